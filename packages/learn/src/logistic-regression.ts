import { sigmoid, softplus } from './activations.js';
import { minimizeByNewton, type NewtonObjective } from './newton-minimize.js';
import { fitStandardization, standardize } from './standardization.js';
import type { LogisticModel } from './trained-model.js';
import { trainingData } from './training-data.js';
import { type FeatureRows } from './input-checks.js';
import { option } from './errors.js';

export interface LogisticRegressionOptions {
  /** L2 penalty λ on the weights (not the intercept), per example: see the class comment. */
  readonly l2?: number;
  /** Newton iterations before giving up with `DW_LEARN_NOT_CONVERGED`. */
  readonly maxIterations?: number;
  /** Converged when every component of the objective's gradient is at most this in magnitude. */
  readonly tolerance?: number;
}

/** What a fit produced, and how it got there. */
export interface LogisticRegressionFit {
  readonly model: LogisticModel;
  /** Newton iterations taken. */
  readonly iterations: number;
  /** Largest gradient component at the returned weights (≤ `tolerance`). */
  readonly gradientMaxAbs: number;
}

/**
 * Binary logistic regression with an L2 penalty, fitted by Newton's method (IRLS) with a
 * backtracking line search. The objective is strictly convex (λ > 0), so the fit is unique and
 * deterministic; Newton reaches machine precision in a handful of iterations for the small feature
 * counts a drift-watched model has (up to ~50; each iteration costs O(n·F²)).
 *
 * Features are standardized with the training rows' means and population standard deviations (a
 * constant feature gets scale 1), and the weights live on that scale; the standardization is part
 * of the returned model, so predictions and the ONNX export take raw features. The objective is
 *
 *     (1/n) Σᵢ logloss(yᵢ, σ(w·zᵢ + b)) + (λ/2)‖w‖²
 *
 * with the intercept b unpenalized. That is scikit-learn's `LogisticRegression(C=1/(n·λ))` on the
 * standardized data (scikit-learn minimises C·Σ logloss + ½‖w‖²); the golden tests check the
 * weights and probabilities against it to 1e-9.
 *
 * Options, all optional:
 * - `l2` (1e-4): λ, positive. Per example, so its effect does not fade as the data grows.
 * - `maxIterations` (100): Newton iterations before `DW_LEARN_NOT_CONVERGED`.
 * - `tolerance` (1e-10): largest allowed gradient component at the optimum.
 *
 * @example
 * ```ts
 * const rows = [[1], [2], [3], [4], [5], [6]];
 * const fit = new LogisticRegression({ l2: 0.01 }).fit(rows, [0, 0, 1, 0, 1, 1], ['x']);
 * fit.model.standardization; // => {"mean":[3.5],"scale":[1.707825127659933]}
 * fit.model.weights; // => [1.833800349492409]
 * Math.abs(fit.model.bias) < 1e-15; // => true
 * fit.iterations; // => 5
 * ```
 *
 * @see Hastie, Tibshirani, Friedman, "The Elements of Statistical Learning", §4.4.1 (IRLS).
 */
export class LogisticRegression {
  readonly l2: number;
  readonly maxIterations: number;
  readonly tolerance: number;

  constructor(options: LogisticRegressionOptions = {}) {
    this.l2 = option.positiveFinite(options.l2 ?? 1e-4, 'l2');
    this.maxIterations = option.positiveInteger(options.maxIterations ?? 100, 'maxIterations');
    this.tolerance = option.positiveFinite(options.tolerance ?? 1e-10, 'tolerance');
  }

  /**
   * Fits the model to `rows` (raw feature values, columns in `featureNames` order) and their 0/1
   * `labels`; both classes must be present.
   */
  fit(
    rows: FeatureRows,
    labels: ArrayLike<number | boolean>,
    featureNames: readonly string[],
  ): LogisticRegressionFit {
    const data = trainingData(rows, labels, featureNames);
    const { rowCount: n, width } = data;
    const standardization = fitStandardization(data.values, n, width);
    const z = standardize(data.values, n, width, standardization);
    const y = data.labels;
    const objective = new LogisticObjective(z, y, n, width, this.l2);

    // β = [w₀ … w_{F−1}, b]. Starting from the base rate's log-odds makes the first step small.
    const size = width + 1;
    const beta = new Float64Array(size);
    let positives = 0;
    for (const label of y) positives += label;
    beta[width] = Math.log(positives / (n - positives));

    const optimum = minimizeByNewton(objective, beta, {
      maxIterations: this.maxIterations,
      tolerance: this.tolerance,
      what: 'logistic regression',
    });
    return {
      model: toModel(data.featureNames, standardization, optimum.beta),
      iterations: optimum.iterations,
      gradientMaxAbs: optimum.gradientMaxAbs,
    };
  }
}

/** The penalized mean log-loss and its derivatives, over standardized rows. */
class LogisticObjective implements NewtonObjective {
  readonly size: number;
  readonly #z: Float64Array;
  readonly #y: Float64Array;
  readonly #n: number;
  readonly #width: number;
  readonly #l2: number;

  constructor(z: Float64Array, y: Float64Array, n: number, width: number, l2: number) {
    this.#z = z;
    this.#y = y;
    this.#n = n;
    this.#width = width;
    this.#l2 = l2;
    this.size = width + 1;
  }

  #logit(beta: Float64Array, row: number): number {
    const width = this.#width;
    let dot = 0;
    for (let j = 0; j < width; j++) dot += (this.#z[row * width + j] ?? 0) * (beta[j] ?? 0);
    return dot + (beta[width] ?? 0);
  }

  value(beta: Float64Array): number {
    let loss = 0;
    for (let i = 0; i < this.#n; i++) {
      const logit = this.#logit(beta, i);
      // −[y log σ(η) + (1 − y) log(1 − σ(η))] = softplus(η) − y η, stable for any η.
      loss += softplus(logit) - (this.#y[i] ?? 0) * logit;
    }
    let squares = 0;
    for (let j = 0; j < this.#width; j++) squares += (beta[j] ?? 0) ** 2;
    return loss / this.#n + (this.#l2 / 2) * squares;
  }

  derivatives(beta: Float64Array): { gradient: Float64Array; hessian: Float64Array } {
    const width = this.#width;
    const size = width + 1;
    const gradient = new Float64Array(size);
    const hessian = new Float64Array(size * size);
    const row = new Float64Array(size);
    row[width] = 1;
    for (let i = 0; i < this.#n; i++) {
      for (let j = 0; j < width; j++) row[j] = this.#z[i * width + j] ?? 0;
      const p = sigmoid(this.#logit(beta, i));
      const residual = p - (this.#y[i] ?? 0);
      const curvature = p * (1 - p);
      for (let j = 0; j < size; j++) {
        const rj = row[j] ?? 0;
        gradient[j] = (gradient[j] ?? 0) + residual * rj;
        const weighted = curvature * rj;
        // Lower triangle only; mirrored below.
        for (let k = 0; k <= j; k++) {
          hessian[j * size + k] = (hessian[j * size + k] ?? 0) + weighted * (row[k] ?? 0);
        }
      }
    }
    const n = this.#n;
    for (let j = 0; j < size; j++) {
      gradient[j] = (gradient[j] ?? 0) / n + (j < width ? this.#l2 * (beta[j] ?? 0) : 0);
      for (let k = 0; k <= j; k++) {
        const entry = (hessian[j * size + k] ?? 0) / n + (j === k && j < width ? this.#l2 : 0);
        hessian[j * size + k] = entry;
        hessian[k * size + j] = entry;
      }
    }
    return { gradient, hessian };
  }
}

function toModel(
  featureNames: readonly string[],
  standardization: LogisticModel['standardization'],
  beta: Float64Array,
): LogisticModel {
  const width = featureNames.length;
  return {
    family: 'logistic',
    featureNames: [...featureNames],
    standardization,
    weights: Array.from(beta.subarray(0, width)),
    bias: beta[width] ?? 0,
  };
}
