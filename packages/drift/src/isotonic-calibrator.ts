import { DriftError } from './errors.js';
import { requireFinite } from './input-checks.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { StateReader } from './state-reader.js';

/**
 * The plain-JSON snapshot of an {@link IsotonicCalibrator} (`toJSON`,
 * `IsotonicCalibrator.fromJSON`): the knots of its piecewise-linear map.
 */
export interface IsotonicCalibratorState {
  /** Strictly increasing scores. */
  thresholdScores: JsonNumber[];
  /** The calibrated value at each, nondecreasing. */
  thresholdValues: JsonNumber[];
}

/**
 * Scores closer than this are one score, as scikit-learn's `_make_unique` merges them
 * (`np.finfo(float64).resolution`).
 */
const SAME_SCORE = 1e-15;

/**
 * A nondecreasing map from a model's scores to calibrated probabilities, fitted by isotonic
 * regression on reference scores and labels: equal to scikit-learn's
 * `IsotonicRegression(out_of_bounds="clip", increasing=True)`, which NannyML's CBPE calibrates
 * with.
 *
 * Fitting sorts the scores, merges equal ones (closer than 1e-15, as scikit-learn does) into one
 * point whose target is their mean and whose weight is their count, and pools adjacent violators
 * (PAVA): neighbouring blocks whose means decrease are merged into their weighted mean until the
 * means increase. The knots kept are the first and last points and every point whose value differs
 * from a neighbour's, so `thresholdScores` and `thresholdValues` equal scikit-learn's
 * `X_thresholds_` and `y_thresholds_`. `calibrate` interpolates linearly between knots (as
 * `np.interp`) and clips scores outside the reference range to the end values.
 *
 * Labels may be any finite numbers (0/1 for a calibrator; other targets give an isotonic fit).
 *
 * @example
 * ```ts
 * const calibrator = IsotonicCalibrator.fit([0.1, 0.2, 0.3, 0.4, 0.6, 0.8], [0, 1, 0, 0, 1, 1]);
 * calibrator.thresholdScores; // => [0.1, 0.2, 0.4, 0.6, 0.8]
 * calibrator.thresholdValues; // => [0, 0.3333333333333333, 0.3333333333333333, 1, 1]
 * calibrator.calibrate(0.5); // => 0.6666666666666665
 * calibrator.calibrate(2); // => 1
 * ```
 *
 * @see Barlow, Bartholomew, Bremner, Brunk (1972), "Statistical inference under order
 * restrictions", Wiley (pool-adjacent-violators).
 * @see Zadrozny, Elkan (2002), "Transforming classifier scores into accurate multiclass
 * probability estimates", KDD.
 */
export class IsotonicCalibrator {
  readonly thresholdScores: readonly number[];
  readonly thresholdValues: readonly number[];

  private constructor(thresholdScores: number[], thresholdValues: number[]) {
    this.thresholdScores = thresholdScores;
    this.thresholdValues = thresholdValues;
  }

  /** Fits the map to `scores` and their `labels` (same length, at least one, all finite). */
  static fit(scores: readonly number[], labels: readonly number[]): IsotonicCalibrator {
    requireSamePairs(scores, labels);
    const order = scores.map((_, i) => i);
    // scikit-learn orders by score, then target (np.lexsort((y, X))).
    order.sort(
      (a, b) =>
        (scores[a] as number) - (scores[b] as number) ||
        (labels[a] as number) - (labels[b] as number),
    );

    // One point per distinct score: its first score, its targets' sum and count.
    const pointScores: number[] = [];
    const pointSums: number[] = [];
    const pointWeights: number[] = [];
    for (const i of order) {
      const score = scores[i] as number;
      const last = pointScores.length - 1;
      if (last >= 0 && score - (pointScores[last] as number) < SAME_SCORE) {
        pointSums[last] = (pointSums[last] as number) + (labels[i] as number);
        pointWeights[last] = (pointWeights[last] as number) + 1;
      } else {
        pointScores.push(score);
        pointSums.push(labels[i] as number);
        pointWeights.push(1);
      }
    }
    const fitted = poolAdjacentViolators(pointSums, pointWeights);

    // Drop the points inside flat runs: interpolation between equal values gives the same.
    const knotScores: number[] = [];
    const knotValues: number[] = [];
    fitted.forEach((value, i) => {
      const interior =
        i > 0 && i < fitted.length - 1 && value === fitted[i - 1] && value === fitted[i + 1];
      if (!interior) {
        knotScores.push(pointScores[i] as number);
        knotValues.push(value);
      }
    });
    return new IsotonicCalibrator(knotScores, knotValues);
  }

  /** The calibrated probability of one score. */
  calibrate(score: number): number {
    requireFinite(score, 'score');
    const scores = this.thresholdScores;
    const values = this.thresholdValues;
    const last = scores.length - 1;
    if (score <= (scores[0] as number)) return values[0] as number;
    if (score >= (scores[last] as number)) return values[last] as number;
    // The knot interval [lo, lo + 1) holding the score, by bisection.
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if ((scores[mid] as number) <= score) lo = mid;
      else hi = mid;
    }
    const x0 = scores[lo] as number;
    const y0 = values[lo] as number;
    // np.interp's expression, so the rounding is the same.
    const slope = ((values[hi] as number) - y0) / ((scores[hi] as number) - x0);
    return slope * (score - x0) + y0;
  }

  /**
   * Revives a calibrator from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`):
   * strictly increasing finite scores, nondecreasing finite values of the same length.
   */
  static fromJSON(state: IsotonicCalibratorState): IsotonicCalibrator {
    const reader = new StateReader('IsotonicCalibrator', state);
    const scores = reader.doubles('thresholdScores', true);
    const values = reader.doubles('thresholdValues', true);
    reader.require(
      scores.length > 0 && scores.length === values.length,
      'thresholdScores and thresholdValues must be non-empty and of the same length',
    );
    for (let i = 1; i < scores.length; i++) {
      reader.require(
        (scores[i] as number) > (scores[i - 1] as number) &&
          (values[i] as number) >= (values[i - 1] as number),
        `thresholdScores must increase and thresholdValues must not decrease, not at ${i}`,
      );
    }
    return new IsotonicCalibrator(scores, values);
  }

  toJSON(): IsotonicCalibratorState {
    return {
      thresholdScores: this.thresholdScores.map(toJsonNumber),
      thresholdValues: this.thresholdValues.map(toJsonNumber),
    };
  }
}

/**
 * The nondecreasing sequence closest to the points' means (`sums[i] / weights[i]`) in weighted
 * least squares: a stack of blocks, each new point merged backwards into the blocks before it
 * while their means are not below its own. Blocks keep sums, not means, so that a block of 0/1
 * labels divides exact integers once.
 */
function poolAdjacentViolators(sums: readonly number[], weights: readonly number[]): number[] {
  const blockSums: number[] = [];
  const blockWeights: number[] = [];
  const blockLengths: number[] = [];
  sums.forEach((pointSum, i) => {
    let sum = pointSum;
    let totalWeight = weights[i] as number;
    let length = 1;
    while (blockSums.length > 0) {
      const top = blockSums.length - 1;
      const topWeight = blockWeights[top] as number;
      if ((blockSums[top] as number) / topWeight < sum / totalWeight) break;
      sum += blockSums.pop() as number;
      totalWeight += blockWeights.pop() as number;
      length += blockLengths.pop() as number;
    }
    blockSums.push(sum);
    blockWeights.push(totalWeight);
    blockLengths.push(length);
  });
  const fitted: number[] = [];
  blockSums.forEach((sum, block) => {
    const mean = sum / (blockWeights[block] as number);
    for (let i = 0; i < (blockLengths[block] as number); i++) fitted.push(mean);
  });
  return fitted;
}

function requireSamePairs(scores: readonly number[], labels: readonly number[]): void {
  const given: unknown[] = [scores, labels];
  if (!given.every((array) => Array.isArray(array)) || scores.length === 0) {
    throw new DriftError('DW_DRIFT_INVALID_INPUT', 'scores and labels must be non-empty arrays');
  }
  if (scores.length !== labels.length) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      `scores and labels must have the same length, got ${scores.length} and ${labels.length}`,
    );
  }
  scores.forEach((score, i) => requireFinite(score, `scores[${i}]`));
  labels.forEach((label, i) => requireFinite(label, `labels[${i}]`));
}
