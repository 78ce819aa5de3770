import {
  Cbpe,
  expectedCalibrationError,
  IsotonicCalibrator,
  PlattCalibrator,
} from '@driftwatch/drift';
import type { ScoreCalibration } from '@driftwatch/topics';

export interface ScoreCalibrationInput {
  /** The positive class's probability on each holdout row. */
  readonly scores: ArrayLike<number>;
  /** Each holdout row's label, 0 or 1. */
  readonly labels: ArrayLike<number>;
  /** The version's threshold: predict positive at or above it. */
  readonly threshold: number;
  /**
   * `isotonic` (default): NannyML's choice, an isotonic map when its test says it helps; `platt`:
   * Platt's two-parameter sigmoid, for small holdouts or scores that are not probabilities.
   */
  readonly method?: CalibrationMethod;
}

/** How a version's scores are calibrated for performance estimation. */
export type CalibrationMethod = 'isotonic' | 'platt';
export const calibrationMethods: readonly CalibrationMethod[] = ['isotonic', 'platt'];

/** Bins of the expected calibration error, as NannyML decides calibration with. */
const CALIBRATION_BINS = 10;
/** Two rows per bin: fewer cannot measure the error in every bin. */
export const MIN_CALIBRATION_ROWS = 2 * CALIBRATION_BINS;

/**
 * What the detector needs to estimate a binary version's accuracy before labels arrive (CBPE):
 * a calibrator of its scores fitted on the holdout — by default an isotonic map when NannyML's
 * rule says it helps (`Cbpe.fit`, calibration `'auto'`), or Platt's sigmoid with `method: 'platt'`
 * — the holdout's expected calibration error before and after, and the accuracy CBPE expects on
 * the holdout itself, which the live estimate is compared with.
 *
 * A calibrator is fitted on the very rows its "after" error is measured on, where it can only
 * look better than it will be on new rows, so an isotonic map is kept only if `Cbpe.fit`'s
 * cross-validated test chose it, and either is kept only if it does not make the holdout's error
 * worse. Null with fewer than 20 rows (two per bin of the error), a label other than 0/1, or
 * (isotonic) a score outside [0, 1]; Platt scaling takes any finite scores, logits included.
 *
 * @example
 * ```ts
 * const scores = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9].flatMap((score) => [score, score, score]);
 * const labels = [0, 0, 0, 1, 0, 1, 1, 1].flatMap((label) => [label, label, label]);
 * const calibration = fitScoreCalibration({ scores, labels, threshold: 0.5 });
 * calibration?.calibrator; // => {"thresholdScores":[0.1,0.3,0.4,0.6,0.7,0.9],"thresholdValues":[0,0,0.5,0.5,1,1]}
 * calibration?.calibrationErrorBefore; // => 0.24999999999999994
 * calibration?.calibrationErrorAfter; // => 0.12499999999999999
 * calibration?.expectedAccuracy; // => 0.875
 * ```
 */
export function fitScoreCalibration(input: ScoreCalibrationInput): ScoreCalibration | null {
  const scores = Array.from(input.scores);
  const labels = Array.from(input.labels);
  if (scores.length < MIN_CALIBRATION_ROWS || labels.length !== scores.length) return null;
  if (!labels.every((label) => label === 0 || label === 1)) return null;
  const method = input.method ?? 'isotonic';
  const probabilities = scores.every((score) => score >= 0 && score <= 1);
  if (!probabilities && method === 'isotonic') return null;
  const targets = labels.map((label) => (label === 1 ? 1 : 0));
  // Raw scores that are not probabilities have no error to measure before: it counts as the worst.
  const before = probabilities
    ? expectedCalibrationError(scores, targets, { bins: CALIBRATION_BINS })
    : 1;
  let cbpe = probabilities
    ? Cbpe.fit({ scores, labels: targets, threshold: input.threshold, calibration: 'none' })
    : null;
  let after = before;
  const fitted = Cbpe.fit({
    scores,
    labels: targets,
    threshold: input.threshold,
    calibration: method === 'platt' ? 'platt' : 'auto',
  });
  if (fitted.calibrator) {
    const calibrated = scores.map((score) => fitted.probability(score));
    const error = expectedCalibrationError(calibrated, targets, { bins: CALIBRATION_BINS });
    if (error <= before) {
      cbpe = fitted;
      after = error;
    }
  }
  if (!cbpe) return null;
  const calibrator = cbpe.calibrator;
  return {
    threshold: input.threshold,
    calibrator:
      calibrator instanceof IsotonicCalibrator
        ? {
            thresholdScores: [...calibrator.thresholdScores],
            thresholdValues: [...calibrator.thresholdValues],
          }
        : null,
    platt:
      calibrator instanceof PlattCalibrator
        ? { slope: calibrator.slope, intercept: calibrator.intercept }
        : null,
    calibrationErrorBefore: before,
    calibrationErrorAfter: after,
    expectedAccuracy: cbpe.estimate(scores).accuracy,
  };
}
