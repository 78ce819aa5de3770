import { DEFAULT_CALIBRATION_FOLDS, type CandidateOptions } from './build-candidate.js';

/**
 * How `buildCandidate` trains with these options, as a version's `trainedWith`: the family, the
 * family's own options as given (defaults are the family's), and the calibration's method and
 * folds.
 *
 * @example
 * ```ts
 * const options = { family: 'mlp', training: { mlp: { hiddenUnits: 16, epochs: 30 } }, referenceBins: 10 };
 * candidateTrainedWith(options); // => {"family":"mlp","hiddenUnits":"16","epochs":"30","calibration":"isotonic","calibrationFolds":"5"}
 * ```
 */
export function candidateTrainedWith(options: CandidateOptions): Record<string, string> {
  const own = options.family === 'mlp' ? options.training.mlp : options.training.logistic;
  return {
    family: options.family,
    ...Object.fromEntries(Object.entries(own ?? {}).map(([key, value]) => [key, String(value)])),
    calibration: options.calibration ?? 'isotonic',
    calibrationFolds: String(options.calibrationFolds ?? DEFAULT_CALIBRATION_FOLDS),
  };
}
