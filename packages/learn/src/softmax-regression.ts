import { logSumExp, softmaxInPlace } from './activations.js';
import { option } from './errors.js';
import { requireClassCount, type FeatureRows } from './input-checks.js';
import type { LogisticRegressionOptions } from './logistic-regression.js';
import { minimizeByNewton, type NewtonObjective } from './newton-minimize.js';
import { fitStandardization, standardize } from './standardization.js';
import type { SoftmaxRegressionModel } from './trained-model.js';
import { multiclassTrainingData } from './training-data.js';

/** The same options as the binary {@link LogisticRegression}, with the same defaults. */
export type SoftmaxRegressionOptions = LogisticRegressionOptions;

/** What a fit produced, and how it got there. */
export interface SoftmaxRegressionFit {
  readonly model: SoftmaxRegressionModel;
  /** Newton iterations taken. */
  readonly iterations: number;
  /** Largest gradient component at the returned parameters (≤ `tolerance`). */
  readonly gradientMaxAbs: number;
}

/**
 * Softmax (multinomial) logistic regression over K ≥ 3 classes with an L2 penalty, fitted by
 * Newton's method with a backtracking line search, exactly as {@link LogisticRegression} fits two
 * classes: unique, deterministic, converged to machine precision. Features are standardized the
 * same way, and the standardization is part of the model. The objective is
 *
 *     (1/n) Σᵢ −log softmax(W zᵢ + b)_{yᵢ} + (λ/2)‖W‖²
 *
 * with one weight row and one intercept per class (the symmetric parametrization), intercepts
 * unpenalized. That is scikit-learn's `LogisticRegression(C=1/(n·λ))` on the standardized data,
 * whose multinomial loss for three or more classes it is; the golden tests check weights,
 * intercepts and probabilities against its `newton-cholesky` solution to 1e-9.
 *
 * Adding one constant to every intercept changes no probability, so the intercepts have no unique
 * optimum; like scikit-learn, the fit returns the one whose intercepts sum to 0. It gets there by
 * minimizing the objective plus ½(Σₖ bₖ)², a term that is 0 at that optimum and makes the Hessian
 * positive definite. The penalty already makes the weight rows sum to 0. Each Newton iteration
 * costs O(n·K²·F²) for K classes and F features.
 *
 * Labels are class indices `0 … classCount − 1` (the caller maps class names to indices), and every
 * class needs at least one training row: `DW_LEARN_ONE_CLASS` with fewer than two classes,
 * `DW_LEARN_MISSING_CLASS` when some other class has none (its intercept's optimum would be −∞).
 * Two classes are the binary {@link LogisticRegression}'s job, so `classCount` is at least 3.
 *
 * Options, all optional, as {@link LogisticRegression}:
 * - `l2` (1e-4): λ, positive.
 * - `maxIterations` (100): Newton iterations before `DW_LEARN_NOT_CONVERGED`.
 * - `tolerance` (1e-10): largest allowed gradient component at the optimum.
 *
 * @example
 * ```ts
 * const rows = [[0], [1], [2], [3], [4], [5], [6], [7], [8]];
 * const fit = new SoftmaxRegression({ l2: 0.01 }).fit(rows, [0, 0, 1, 0, 1, 2, 1, 2, 2], ['x'], 3);
 * fit.model.weights.map(([w]) => w.toFixed(6)); // => ["-2.188223", "0.000000", "2.188223"]
 * fit.model.bias.map((b) => b.toFixed(6)); // => ["-0.386067", "0.772133", "-0.386067"]
 * fit.iterations; // => 6
 * ```
 *
 * @see Böhning, "Multinomial logistic regression algorithm", Annals of the Institute of
 * Statistical Mathematics 44 (1992), for the Hessian of the multinomial log-likelihood.
 */
export class SoftmaxRegression {
  readonly l2: number;
  readonly maxIterations: number;
  readonly tolerance: number;

  constructor(options: SoftmaxRegressionOptions = {}) {
    this.l2 = option.positiveFinite(options.l2 ?? 1e-4, 'l2');
    this.maxIterations = option.positiveInteger(options.maxIterations ?? 100, 'maxIterations');
    this.tolerance = option.positiveFinite(options.tolerance ?? 1e-10, 'tolerance');
  }

  /**
   * Fits the model to `rows` (raw feature values, columns in `featureNames` order) and their class
   * indices `labels`, each in `0 … classCount − 1`, every class present.
   */
  fit(
    rows: FeatureRows,
    labels: ArrayLike<number>,
    featureNames: readonly string[],
    classCount: number,
  ): SoftmaxRegressionFit {
    requireClassCount(classCount, 3);
    const data = multiclassTrainingData(rows, labels, featureNames, classCount);
    const { rowCount: n, width } = data;
    const standardization = fitStandardization(data.values, n, width);
    const z = standardize(data.values, n, width, standardization);
    const objective = new SoftmaxObjective(z, data.labels, n, width, classCount, this.l2);

    // β holds one block [w₀ … w_{F−1}, b] per class. Starting from the class frequencies' centred
    // log makes the first step small.
    const stride = width + 1;
    const start = new Float64Array(classCount * stride);
    const logSizes = data.classSizes.map((size) => Math.log(size));
    let meanLogSize = 0;
    for (const logSize of logSizes) meanLogSize += logSize / classCount;
    logSizes.forEach((logSize, k) => (start[k * stride + width] = logSize - meanLogSize));

    const { beta, iterations, gradientMaxAbs } = minimizeByNewton(objective, start, {
      maxIterations: this.maxIterations,
      tolerance: this.tolerance,
      what: 'softmax regression',
    });
    const model: SoftmaxRegressionModel = {
      family: 'logistic',
      classCount,
      featureNames: [...data.featureNames],
      standardization,
      weights: Array.from({ length: classCount }, (_, k) =>
        Array.from(beta.subarray(k * stride, k * stride + width)),
      ),
      bias: Array.from({ length: classCount }, (_, k) => beta[k * stride + width] ?? 0),
    };
    return { model, iterations, gradientMaxAbs };
  }
}

/**
 * The penalized mean cross-entropy, plus ½(Σₖ bₖ)² to pin the intercepts' free shift, and its
 * derivatives. Parameter k·(F + 1) + j is class k's weight j, and k·(F + 1) + F its intercept.
 */
class SoftmaxObjective implements NewtonObjective {
  readonly size: number;
  readonly #z: Float64Array;
  readonly #y: Int32Array;
  readonly #n: number;
  readonly #width: number;
  readonly #classCount: number;
  readonly #l2: number;
  readonly #logits: Float64Array;

  constructor(
    z: Float64Array,
    y: Int32Array,
    n: number,
    width: number,
    classCount: number,
    l2: number,
  ) {
    this.#z = z;
    this.#y = y;
    this.#n = n;
    this.#width = width;
    this.#classCount = classCount;
    this.#l2 = l2;
    this.#logits = new Float64Array(classCount);
    this.size = classCount * (width + 1);
  }

  /** Row `row`'s logits into `#logits`: products first, intercept last, as the exported graph. */
  #computeLogits(beta: Float64Array, row: number): Float64Array {
    const width = this.#width;
    const stride = width + 1;
    const logits = this.#logits;
    for (let k = 0; k < this.#classCount; k++) {
      let dot = 0;
      for (let j = 0; j < width; j++) {
        dot += (this.#z[row * width + j] ?? 0) * (beta[k * stride + j] ?? 0);
      }
      logits[k] = dot + (beta[k * stride + width] ?? 0);
    }
    return logits;
  }

  /** Σ‖W‖² and Σₖ bₖ. */
  #penaltyTerms(beta: Float64Array): { squares: number; interceptSum: number } {
    const width = this.#width;
    const stride = width + 1;
    let squares = 0;
    let interceptSum = 0;
    for (let k = 0; k < this.#classCount; k++) {
      for (let j = 0; j < width; j++) squares += (beta[k * stride + j] ?? 0) ** 2;
      interceptSum += beta[k * stride + width] ?? 0;
    }
    return { squares, interceptSum };
  }

  value(beta: Float64Array): number {
    const classCount = this.#classCount;
    let loss = 0;
    for (let i = 0; i < this.#n; i++) {
      const logits = this.#computeLogits(beta, i);
      loss += logSumExp(logits, 0, classCount) - (logits[this.#y[i] ?? 0] ?? 0);
    }
    const { squares, interceptSum } = this.#penaltyTerms(beta);
    return loss / this.#n + (this.#l2 / 2) * squares + interceptSum ** 2 / 2;
  }

  derivatives(beta: Float64Array): { gradient: Float64Array; hessian: Float64Array } {
    const width = this.#width;
    const stride = width + 1;
    const classCount = this.#classCount;
    const n = this.#n;
    const z = this.#z;
    const size = this.size;
    const gradient = new Float64Array(size);
    const probabilities = new Float64Array(n * classCount);
    for (let i = 0; i < n; i++) {
      const p = this.#computeLogits(beta, i);
      softmaxInPlace(p, 0, classCount);
      probabilities.set(p, i * classCount);
      const label = this.#y[i] ?? 0;
      for (let k = 0; k < classCount; k++) {
        const residual = (p[k] ?? 0) - (k === label ? 1 : 0);
        for (let j = 0; j < width; j++) {
          gradient[k * stride + j] =
            (gradient[k * stride + j] ?? 0) + residual * (z[i * width + j] ?? 0);
        }
        gradient[k * stride + width] = (gradient[k * stride + width] ?? 0) + residual;
      }
    }

    // Block (k, l) of the cross-entropy's Hessian is Σᵢ pᵢₖ(δₖₗ − pᵢₗ) xᵢ xᵢᵀ, x = [z, 1]: a
    // symmetric (F + 1)² block. Each is summed on its own, half of it, so it stays in cache.
    const hessian = new Float64Array(size * size);
    const block = new Float64Array(stride * stride);
    const row = new Float64Array(stride);
    row[width] = 1;
    for (let k = 0; k < classCount; k++) {
      for (let l = 0; l <= k; l++) {
        block.fill(0);
        for (let i = 0; i < n; i++) {
          const pk = probabilities[i * classCount + k] ?? 0;
          const curvature = pk * ((k === l ? 1 : 0) - (probabilities[i * classCount + l] ?? 0));
          if (curvature === 0) continue;
          for (let j = 0; j < width; j++) row[j] = z[i * width + j] ?? 0;
          for (let a = 0; a < stride; a++) {
            const weighted = curvature * (row[a] ?? 0);
            const base = a * stride;
            for (let b = 0; b <= a; b++) {
              block[base + b] = (block[base + b] ?? 0) + weighted * (row[b] ?? 0);
            }
          }
        }
        // Into the lower triangle of the whole matrix (the mirror comes below).
        for (let a = 0; a < stride; a++) {
          const last = l === k ? a : stride - 1;
          for (let b = 0; b <= last; b++) {
            const value = b <= a ? block[a * stride + b] : block[b * stride + a];
            hessian[(k * stride + a) * size + l * stride + b] = value ?? 0;
          }
        }
      }
    }

    const { interceptSum } = this.#penaltyTerms(beta);
    const isIntercept = (index: number): boolean => index % stride === width;
    for (let r = 0; r < size; r++) {
      gradient[r] =
        (gradient[r] ?? 0) / n + (isIntercept(r) ? interceptSum : this.#l2 * (beta[r] ?? 0));
      for (let c = 0; c <= r; c++) {
        let entry = (hessian[r * size + c] ?? 0) / n;
        if (isIntercept(r) && isIntercept(c)) entry += 1;
        else if (r === c) entry += this.#l2;
        hessian[r * size + c] = entry;
        hessian[c * size + r] = entry;
      }
    }
    return { gradient, hessian };
  }
}
