import { DriftError, MulticlassCbpe } from '@driftwatch/drift';
import type { ClassCalibration } from '@driftwatch/topics';

import { MIN_CALIBRATION_ROWS } from './fit-score-calibration.js';

export interface ClassCalibrationInput {
  /** Every class's probability on each holdout row, row-major: rows × `classCount` values. */
  readonly probabilities: ArrayLike<number>;
  /** Each holdout row's class index. */
  readonly labels: ArrayLike<number>;
  /** Three or more. */
  readonly classCount: number;
}

/**
 * What the detector needs to estimate a multiclass version's accuracy before labels arrive (CBPE,
 * one-vs-rest as NannyML does it): per class an isotonic calibrator of its probability, fitted on
 * the holdout where NannyML's rule says it helps (`MulticlassCbpe.fit`, calibration `'auto'`), and
 * the accuracy CBPE expects on the holdout itself, which the live estimate is compared with. Null
 * with fewer than 20 rows, for two classes (see `fitScoreCalibration`), or for labels that are not
 * class indices.
 *
 * @example
 * ```ts
 * const rows = [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1]];
 * const probabilities = Array.from({ length: 10 }, () => rows.flat()).flat();
 * const labels = Array.from({ length: 10 }, () => [0, 1, 2, 1]).flat();
 * const calibration = fitClassCalibration({ probabilities, labels, classCount: 3 });
 * calibration?.calibrators.length; // => 3
 * calibration !== null && calibration.expectedAccuracy > 0.5; // => true
 * fitClassCalibration({ probabilities: rows.flat(), labels: [0, 1, 2, 1], classCount: 3 }); // => null
 * ```
 */
export function fitClassCalibration(input: ClassCalibrationInput): ClassCalibration | null {
  const probabilities = Array.from(input.probabilities);
  const labels = Array.from(input.labels);
  const classCount = input.classCount;
  if (classCount < 3 || labels.length < MIN_CALIBRATION_ROWS) return null;
  if (probabilities.length !== labels.length * classCount) return null;
  if (!labels.every((label) => Number.isInteger(label) && label >= 0 && label < classCount)) {
    return null;
  }
  let cbpe: MulticlassCbpe;
  try {
    cbpe = MulticlassCbpe.fit({ probabilities, labels, classCount });
  } catch (error) {
    // Probabilities outside [0, 1] (raw outputs of a user's model) cannot be calibrated this way.
    if (error instanceof DriftError) return null;
    throw error;
  }
  return {
    calibrators: cbpe.toJSON().calibrators.map(
      (calibrator) =>
        calibrator && {
          thresholdScores: calibrator.thresholdScores.map(Number),
          thresholdValues: calibrator.thresholdValues.map(Number),
        },
    ),
    expectedAccuracy: cbpe.estimate(probabilities).accuracy,
  };
}
