import { requireFinite, requireScoredLabels } from './input-checks.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { StateReader } from './state-reader.js';

/** The plain-JSON snapshot of a {@link PlattCalibrator} (`toJSON`, `PlattCalibrator.fromJSON`). */
export interface PlattCalibratorState {
  slope: JsonNumber;
  intercept: JsonNumber;
}

/** Newton steps before giving up; Platt's problem converges in a handful. */
const MAX_ITERATIONS = 100;
/** Stop once the gradient of the mean log-loss is this small. */
const GRADIENT_TOLERANCE = 1e-12;
/** Added to the Hessian's diagonal: keeps a step finite when the scores are all one value. */
const RIDGE = 1e-12;

/**
 * Platt scaling: a score s becomes the probability 1 / (1 + e^−(slope·s + intercept)), the sigmoid
 * fitted to reference scores and labels by maximum likelihood. Two parameters, so it cannot follow
 * a bent calibration curve as an {@link IsotonicCalibrator} can, but it needs far fewer rows and
 * is smooth and strictly increasing.
 *
 * As Platt proposed, and as scikit-learn's `CalibratedClassifierCV(method="sigmoid")` fits it, the
 * targets are not 0 and 1 but (N₊ + 1)/(N₊ + 2) for positives and 1/(N₋ + 2) for negatives, a
 * prior that keeps the fit finite when the scores separate the classes. The likelihood is
 * maximized by Newton's method with a backtracking line search (the robust form of Lin, Lin and
 * Weng), to a gradient below 10⁻¹² — not by scikit-learn's L-BFGS, whose answer stops at its own
 * tolerance; the goldens agree to that tolerance.
 *
 * @example
 * ```ts
 * const platt = PlattCalibrator.fit([0.1, 0.2, 0.3, 0.6, 0.7, 0.8, 0.4, 0.9], [0, 0, 0, 1, 1, 1, 1, 0]);
 * platt.slope; // => 2.3393068193146167
 * platt.calibrate(0.5); // => 0.5
 * platt.calibrate(0.8); // => 0.6685849719679189
 * ```
 *
 * @see J. Platt (1999), "Probabilistic outputs for support vector machines and comparisons to
 * regularized likelihood methods", Advances in Large Margin Classifiers, 61–74.
 * @see H.-T. Lin, C.-J. Lin, R. C. Weng (2007), "A note on Platt's probabilistic outputs for
 * support vector machines", Machine Learning 68, 267–276.
 */
export class PlattCalibrator {
  readonly slope: number;
  readonly intercept: number;

  private constructor(slope: number, intercept: number) {
    this.slope = slope;
    this.intercept = intercept;
  }

  /** Fits the sigmoid to `scores` and their 0/1 `labels` (same length, at least one, finite). */
  static fit(scores: readonly number[], labels: readonly (0 | 1 | boolean)[]): PlattCalibrator {
    const targets01 = requireScoredLabels(scores, labels);
    const positives = targets01.reduce<number>((sum, label) => sum + label, 0);
    const negatives = targets01.length - positives;
    const high = (positives + 1) / (positives + 2);
    const low = 1 / (negatives + 2);
    const targets = targets01.map((label) => (label === 1 ? high : low));
    const n = scores.length;

    let slope = 0;
    let intercept = Math.log((positives + 1) / (negatives + 1));
    let loss = meanLoss(scores, targets, slope, intercept);
    for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      let gSlope = 0;
      let gIntercept = 0;
      let hSS = RIDGE;
      let hSI = 0;
      let hII = RIDGE;
      scores.forEach((score, i) => {
        const p = sigmoid(slope * score + intercept);
        const residual = p - (targets[i] as number);
        const weight = p * (1 - p);
        gSlope += (residual * score) / n;
        gIntercept += residual / n;
        hSS += (weight * score * score) / n;
        hSI += (weight * score) / n;
        hII += weight / n;
      });
      if (Math.hypot(gSlope, gIntercept) < GRADIENT_TOLERANCE) break;
      const determinant = hSS * hII - hSI * hSI;
      const dSlope = -(hII * gSlope - hSI * gIntercept) / determinant;
      const dIntercept = -(hSS * gIntercept - hSI * gSlope) / determinant;
      const descent = gSlope * dSlope + gIntercept * dIntercept;
      let step = 1;
      let next = meanLoss(scores, targets, slope + dSlope, intercept + dIntercept);
      // Armijo's condition; a step too small to change anything ends the fit.
      while (next > loss + 1e-4 * step * descent && step > 1e-10) {
        step /= 2;
        next = meanLoss(scores, targets, slope + step * dSlope, intercept + step * dIntercept);
      }
      if (step <= 1e-10) break;
      slope += step * dSlope;
      intercept += step * dIntercept;
      loss = next;
    }
    return new PlattCalibrator(slope, intercept);
  }

  /** The calibrated probability of one score. */
  calibrate(score: number): number {
    requireFinite(score, 'score');
    return sigmoid(this.slope * score + this.intercept);
  }

  /** Revives a calibrator from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`). */
  static fromJSON(state: PlattCalibratorState): PlattCalibrator {
    const reader = new StateReader('PlattCalibrator', state);
    return new PlattCalibrator(reader.finiteDouble('slope'), reader.finiteDouble('intercept'));
  }

  toJSON(): PlattCalibratorState {
    return { slope: toJsonNumber(this.slope), intercept: toJsonNumber(this.intercept) };
  }
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Mean cross-entropy of soft targets against σ(slope·s + intercept), stable for large |z|. */
function meanLoss(
  scores: readonly number[],
  targets: readonly number[],
  slope: number,
  intercept: number,
): number {
  let total = 0;
  scores.forEach((score, i) => {
    const z = slope * score + intercept;
    // −[t·log σ(z) + (1 − t)·log(1 − σ(z))] = log(1 + e^z) − t·z
    const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    total += softplus - (targets[i] as number) * z;
  });
  return total / scores.length;
}
