import { DriftError, option } from './errors.js';
import { requireFinite, requireScoredLabels } from './input-checks.js';
import { IsotonicCalibrator, type IsotonicCalibratorState } from './isotonic-calibrator.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { needsCalibration } from './needs-calibration.js';
import { PlattCalibrator, type PlattCalibratorState } from './platt-calibrator.js';
import { StateReader } from './state-reader.js';

/**
 * How {@link Cbpe.fit} calibrates: isotonic when NannyML's test says it helps
 * ({@link needsCalibration}), isotonic always, Platt scaling always ({@link PlattCalibrator}), never.
 */
export type CbpeCalibration = 'auto' | 'isotonic' | 'platt' | 'none';

export interface CbpeFitOptions {
  /** The model's reference scores for the positive class. */
  scores: readonly number[];
  /** Their true labels, 0/1 or booleans. */
  labels: readonly (0 | 1 | boolean)[];
  /** The model predicts positive when its score is at or above this. */
  threshold: number;
  /** Default `'auto'`. */
  calibration?: CbpeCalibration;
}

/** Estimated metrics of a window of unlabeled scores. */
export interface CbpeEstimate {
  count: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number;
}

/** The plain-JSON snapshot of a {@link Cbpe} (`toJSON`, `Cbpe.fromJSON`). */
export interface CbpeState {
  threshold: JsonNumber;
  /** `null` when the scores are used as they are; Platt's has a slope, isotonic's knots. */
  calibrator: IsotonicCalibratorState | PlattCalibratorState | null;
}

/**
 * Expected confusion-matrix counts of a window, and the two sums the ROC AUC estimate needs. Shared
 * by {@link Cbpe.estimate} and {@link StreamingCbpe}, which keep the same sums incrementally.
 */
export interface CbpeSums {
  count: number;
  /**
   * Rows predicted positive, and rows whose probability is exactly 1 or 0. The sums below pick up
   * rounding residue in {@link StreamingCbpe}, so whether a metric's denominator is zero (the
   * metric then 0 or NaN) is read from these exact counts instead.
   */
  predictedPositives: number;
  certainPositives: number;
  certainNegatives: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** Σ calibrated probabilities: the expected number of positives. */
  positives: number;
  /** Twice the area under the expected ROC curve times positives · negatives (see {@link Cbpe}). */
  twiceAreaTimesPairs: number;
}

/**
 * Confidence-based performance estimation (CBPE): a binary classifier's accuracy, precision,
 * recall, F1 and ROC AUC on a window of scores whose labels have not arrived, estimated from the
 * scores alone. Equal to NannyML's `CBPE(problem_type="classification_binary")` estimates to 1e-6
 * on every chunk of the goldens.
 *
 * `Cbpe.fit` learns, from reference scores and labels, whether and how to turn scores into
 * probabilities: with calibration `'auto'` (default) it fits an {@link IsotonicCalibrator} when
 * {@link needsCalibration} says it helps, as NannyML does; `'isotonic'` always fits one; `'platt'`
 * always fits a {@link PlattCalibrator} instead (two parameters: for small references, or scores
 * that are logits); `'none'` trusts the scores as probabilities (they must then lie in [0, 1]).
 *
 * For a window, each score's calibrated probability p is the chance its label is positive, so its
 * prediction (positive when the raw score ≥ `threshold`) is a true positive with probability p or a
 * false positive with 1 − p, and a negative prediction a false negative with p or a true negative
 * with 1 − p. Summed over the window these are the expected counts TP, FP, FN, TN, and
 * - accuracy = (TP + TN) / n;
 * - precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = TP / (TP + (FP + FN) / 2), each 0
 *   when its denominator is (NannyML's convention);
 * - ROC AUC is the area under the expected ROC curve: the window ordered by raw score, highest
 *   first, each row moves the curve by (1 − p) / N right and p / P up, where P = Σp and N = n − P.
 *   By the trapezoid rule that is Σᵢ (1 − pᵢ)(2·Hᵢ + Eᵢ) / (2·P·N), with Hᵢ the sum of p over rows
 *   scored strictly higher and Eᵢ over rows scored the same (ties count as half-ordered, which is
 *   exactly what any order of equal rows gives, since equal scores have equal p). NaN when P or N
 *   is 0.
 *
 * NannyML rounds the cumulative sums to 5 decimals before dividing; we do not, which moves the
 * estimate by at most about 10⁻⁵ / min(P, N): below 10⁻⁸ on the goldens' chunks.
 *
 * @example
 * ```ts
 * const random = mulberry32(11);
 * const scores = [];
 * const labels = [];
 * for (let i = 0; i < 5000; i++) {
 *   const score = random();
 *   scores.push(score);
 *   labels.push(random() < score * score ? 1 : 0);
 * }
 * const cbpe = Cbpe.fit({ scores, labels, threshold: 0.7 });
 * cbpe.calibrated; // => true
 * const estimate = cbpe.estimate(scores.slice(0, 1000));
 * estimate.accuracy; // => 0.8209697492442924
 * estimate.rocAuc; // => 0.8894380704656881
 * ```
 *
 * @see NannyML, "Confidence-based Performance Estimation (CBPE)",
 * https://nannyml.readthedocs.io/en/stable/how_it_works/performance_estimation.html
 */
export class Cbpe {
  readonly threshold: number;
  readonly calibrator: IsotonicCalibrator | PlattCalibrator | null;

  private constructor(threshold: number, calibrator: IsotonicCalibrator | PlattCalibrator | null) {
    this.threshold = threshold;
    this.calibrator = calibrator;
  }

  /** Whether scores are calibrated before estimating. */
  get calibrated(): boolean {
    return this.calibrator !== null;
  }

  static fit({ scores, labels, threshold, calibration = 'auto' }: CbpeFitOptions): Cbpe {
    option.finite(threshold, 'threshold');
    option.oneOf(calibration, 'calibration', ['auto', 'isotonic', 'platt', 'none'] as const);
    const targets = requireScoredLabels(scores, labels);
    if (calibration === 'platt') return new Cbpe(threshold, PlattCalibrator.fit(scores, targets));
    const calibrate =
      calibration === 'isotonic' || (calibration === 'auto' && needsCalibration(scores, targets));
    if (!calibrate) {
      scores.forEach((score, i) => requireProbability(score, `scores[${i}]`));
      return new Cbpe(threshold, null);
    }
    return new Cbpe(threshold, IsotonicCalibrator.fit(scores, targets));
  }

  /** The probability that a row with this raw score is positive. */
  probability(score: number): number {
    requireFinite(score, 'score');
    return this.calibrator === null
      ? requireProbability(score, 'score')
      : this.calibrator.calibrate(score);
  }

  /** Whether the model predicts positive for this raw score. */
  predicts(score: number): boolean {
    return score >= this.threshold;
  }

  /** Estimated metrics of a non-empty window of raw scores. */
  estimate(scores: readonly number[]): CbpeEstimate {
    return estimateFromSums(this.sums(scores));
  }

  /** The expected counts and ROC sums of a non-empty window of raw scores. */
  sums(scores: readonly number[]): CbpeSums {
    const given: unknown = scores;
    if (!Array.isArray(given) || scores.length === 0) {
      throw new DriftError('DW_DRIFT_INVALID_INPUT', 'scores must be a non-empty array');
    }
    const probabilities = scores.map((score, i) => {
      requireFinite(score, `scores[${i}]`);
      return this.probability(score);
    });
    return expectedSums(
      scores,
      probabilities,
      scores.map((score) => this.predicts(score)),
    );
  }

  static fromJSON(state: CbpeState): Cbpe {
    const reader = new StateReader('Cbpe', state);
    const threshold = reader.finiteDouble('threshold');
    const raw = reader.raw('calibrator');
    const calibrator =
      raw === null
        ? null
        : reader.build(() =>
            typeof raw === 'object' && 'slope' in raw
              ? PlattCalibrator.fromJSON(raw as PlattCalibratorState)
              : IsotonicCalibrator.fromJSON(raw as IsotonicCalibratorState),
          );
    return new Cbpe(threshold, calibrator);
  }

  toJSON(): CbpeState {
    return {
      threshold: toJsonNumber(this.threshold),
      calibrator: this.calibrator === null ? null : this.calibrator.toJSON(),
    };
  }
}

/**
 * The {@link CbpeSums} of a window from each row's raw score (which orders the ROC curve), its
 * calibrated probability of being positive and whether it is predicted positive; the arrays are
 * of one length, already checked. {@link Cbpe} passes one binary classifier's rows;
 * {@link MulticlassCbpe} passes each class's one-vs-rest view of a multiclass window.
 *
 * Rows of equal score form one diagonal step of the expected ROC curve (ties half-ordered): right
 * by Σ(1 − p) / N and up by Σp / P over the tied rows. In a binary window equal scores have equal
 * probabilities; in a multiclass window they need not, because each row's probabilities are
 * normalized over its classes, and the diagonal is what keeps the area independent of the order
 * in which the tied rows are listed.
 */
export function expectedSums(
  scores: readonly number[],
  probabilities: readonly number[],
  predictedPositive: readonly boolean[],
): CbpeSums {
  const sums: CbpeSums = { ...emptyCbpeSums(), count: scores.length };
  probabilities.forEach((p, i) => {
    if (p === 1) sums.certainPositives++;
    if (p === 0) sums.certainNegatives++;
    if (predictedPositive[i] === true) {
      sums.predictedPositives++;
      sums.truePositives += p;
      sums.falsePositives += 1 - p;
    } else {
      sums.falseNegatives += p;
      sums.trueNegatives += 1 - p;
    }
    sums.positives += p;
  });

  const order = scores.map((_, i) => i);
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let above = 0;
  for (let start = 0; start < order.length;) {
    const score = scores[order[start] as number] as number;
    let end = start + 1;
    while (end < order.length && scores[order[end] as number] === score) end++;
    if (end === start + 1) {
      const p = probabilities[order[start] as number] as number;
      sums.twiceAreaTimesPairs += (1 - p) * (2 * above + p);
      above += p;
    } else {
      let tiedPositives = 0;
      let tiedNegatives = 0;
      for (let k = start; k < end; k++) {
        const p = probabilities[order[k] as number] as number;
        tiedPositives += p;
        tiedNegatives += 1 - p;
      }
      sums.twiceAreaTimesPairs += tiedNegatives * (2 * above + tiedPositives);
      above += tiedPositives;
    }
    start = end;
  }
  return sums;
}

/** The metrics of {@link CbpeSums}; NaN for all of them on an empty window. */
export function estimateFromSums(sums: CbpeSums): CbpeEstimate {
  const { count, truePositives, falsePositives, falseNegatives, trueNegatives } = sums;
  if (count === 0) {
    return { count, accuracy: NaN, precision: NaN, recall: NaN, f1: NaN, rocAuc: NaN };
  }
  // Every probability 0 means no expected positive: recall's denominator (TP + FN) is 0, and F1's
  // too when nothing is predicted positive either.
  const noPositives = sums.certainNegatives === count;
  const noNegatives = sums.certainPositives === count;
  const negatives = count - sums.positives;
  return {
    count,
    accuracy: (truePositives + trueNegatives) / count,
    precision: sums.predictedPositives === 0 ? 0 : truePositives / (truePositives + falsePositives),
    recall: noPositives ? 0 : truePositives / (truePositives + falseNegatives),
    f1:
      noPositives && sums.predictedPositives === 0
        ? 0
        : truePositives / (truePositives + 0.5 * (falsePositives + falseNegatives)),
    rocAuc:
      noPositives || noNegatives
        ? NaN
        : sums.twiceAreaTimesPairs / (2 * sums.positives * negatives),
  };
}

function requireProbability(value: number, what: string): number {
  if (!(value >= 0 && value <= 1)) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      `${what} must be a probability in [0, 1] when Cbpe does not calibrate, got ${value}`,
    );
  }
  return value;
}

/** The sums of an empty window, which {@link StreamingCbpe} and its multiclass kin start from. */
export function emptyCbpeSums(): CbpeSums {
  return {
    count: 0,
    predictedPositives: 0,
    certainPositives: 0,
    certainNegatives: 0,
    truePositives: 0,
    falsePositives: 0,
    falseNegatives: 0,
    trueNegatives: 0,
    positives: 0,
    twiceAreaTimesPairs: 0,
  };
}
