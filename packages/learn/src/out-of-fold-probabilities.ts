import { LearnError, option } from './errors.js';
import type { FeatureRows } from './input-checks.js';
import { predictClassProbabilities } from './predict-class-probabilities.js';
import { trainModel, type TrainModelOptions } from './train-model.js';
import type { ModelFamily } from './trained-model.js';

export interface OutOfFoldOptions {
  readonly family: ModelFamily;
  /** Raw feature values in `featureNames` order. */
  readonly rows: FeatureRows;
  /** A class index per row, `0 … classCount − 1`. */
  readonly labels: readonly number[];
  readonly featureNames: readonly string[];
  readonly training?: TrainModelOptions;
  /** Default 2. */
  readonly classCount?: number;
  /** Contiguous folds, each scored by a model trained on the others; 2 or more, at most one per row. */
  readonly folds: number;
}

/**
 * Every row's class probabilities from a model that did not see it: the rows are cut into
 * `folds` contiguous blocks (scikit-learn's unshuffled `KFold`), and each block is scored by the
 * same family, options and class count trained on every other block. Row-major like
 * `predictClassProbabilities`: `rows.length × K` values, `[1 − p, p]` per row for two classes.
 *
 * Why: scores of the rows a model was trained on are more confident than its live scores, and a
 * holdout alone is often a few hundred rows. Out-of-fold scores are held-out scores for every
 * training row, so what is fitted on them (a calibrator) sees as many rows as the training did.
 * Contiguous blocks keep a stream's neighbouring rows out of each other's models.
 *
 * Throws `LearnError` as `trainModel` does for a block's training rows — a fold whose other
 * blocks hold one class (`DW_LEARN_ONE_CLASS`) or miss one (`DW_LEARN_MISSING_CLASS`) — and
 * `DW_LEARN_INVALID_OPTION` for `folds` below 2 or above the row count.
 *
 * @example
 * ```ts
 * const rows = [[0], [10], [1], [11], [2], [12], [3], [13]];
 * const labels = [0, 1, 0, 1, 0, 1, 0, 1];
 * const oof = outOfFoldProbabilities({ family: 'logistic', rows, labels, featureNames: ['x'], folds: 2 });
 * oof.length; // => 16
 * oof[1] < 0.5 && oof[3] > 0.5; // => true
 * ```
 */
export function outOfFoldProbabilities(options: OutOfFoldOptions): Float64Array {
  const { rows, labels, featureNames, family } = options;
  const classCount = options.classCount ?? 2;
  const folds = option.safeInteger(options.folds, 'folds');
  if (folds < 2 || folds > rows.length) {
    throw new LearnError(
      'DW_LEARN_INVALID_OPTION',
      `option folds must be from 2 to the ${rows.length} rows, got ${folds}`,
    );
  }
  const probabilities = new Float64Array(rows.length * classCount);
  for (let fold = 0; fold < folds; fold += 1) {
    const from = Math.floor((fold * rows.length) / folds);
    const to = Math.floor(((fold + 1) * rows.length) / folds);
    const model = trainModel(
      family,
      [...rows.slice(0, from), ...rows.slice(to)],
      [...labels.slice(0, from), ...labels.slice(to)],
      featureNames,
      options.training,
      classCount,
    );
    probabilities.set(predictClassProbabilities(model, rows.slice(from, to)), from * classCount);
  }
  return probabilities;
}
