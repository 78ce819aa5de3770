import { Cbpe, expectedCalibrationError } from '@driftwatch/drift';
import type { ScoreCalibration } from '@driftwatch/topics';

export interface ScoreCalibrationInput {
  /** The positive class's probability on each holdout row. */
  readonly scores: ArrayLike<number>;
  /** Each holdout row's label, 0 or 1. */
  readonly labels: ArrayLike<number>;
  /** The version's threshold: predict positive at or above it. */
  readonly threshold: number;
}

/** Bins of the expected calibration error, as NannyML decides calibration with. */
const CALIBRATION_BINS = 10;
/** Two rows per bin: fewer cannot measure the error in every bin. */
const MIN_ROWS = 2 * CALIBRATION_BINS;

/**
 * What the detector needs to estimate a binary version's accuracy before labels arrive (CBPE):
 * an isotonic calibrator of its scores fitted on the holdout when NannyML's rule says it helps
 * (`Cbpe.fit`, calibration `'auto'`), the holdout's expected calibration error before and after,
 * and the accuracy CBPE expects on the holdout itself, which the live estimate is compared with.
 *
 * The isotonic map is fitted on the very rows its "after" error is measured on, where it can
 * only look better than it will be on new rows, so it is kept only if `Cbpe.fit`'s cross-validated
 * test chose it and it does not make the holdout's error worse. Null with fewer than 20 rows (two
 * per bin of the error), a label other than 0/1, or a score outside [0, 1].
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
  if (scores.length < MIN_ROWS || labels.length !== scores.length) return null;
  if (!labels.every((label) => label === 0 || label === 1)) return null;
  if (!scores.every((score) => score >= 0 && score <= 1)) return null;
  const targets = labels.map((label) => (label === 1 ? 1 : 0));
  const raw = Cbpe.fit({
    scores,
    labels: targets,
    threshold: input.threshold,
    calibration: 'none',
  });
  const before = expectedCalibrationError(scores, targets, { bins: CALIBRATION_BINS });
  let cbpe = raw;
  let after = before;
  const fitted = Cbpe.fit({ scores, labels: targets, threshold: input.threshold });
  if (fitted.calibrator) {
    const calibrated = scores.map((score) => fitted.probability(score));
    const error = expectedCalibrationError(calibrated, targets, { bins: CALIBRATION_BINS });
    if (error <= before) {
      cbpe = fitted;
      after = error;
    }
  }
  return {
    threshold: input.threshold,
    calibrator: cbpe.calibrator
      ? {
          thresholdScores: [...cbpe.calibrator.thresholdScores],
          thresholdValues: [...cbpe.calibrator.thresholdValues],
        }
      : null,
    calibrationErrorBefore: before,
    calibrationErrorAfter: after,
    expectedAccuracy: cbpe.estimate(scores).accuracy,
  };
}
