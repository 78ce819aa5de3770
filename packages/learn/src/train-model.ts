import { LogisticRegression, type LogisticRegressionOptions } from './logistic-regression.js';
import { Mlp, type MlpOptions } from './mlp.js';
import { modelFamilies, type ModelFamily, type TrainedModel } from './trained-model.js';
import { type FeatureRows } from './input-checks.js';
import { option } from './errors.js';

/** Options for each family; only the chosen family's are read, so a config may carry both. */
export interface TrainModelOptions {
  readonly logistic?: LogisticRegressionOptions;
  readonly mlp?: MlpOptions;
}

/**
 * Trains a model of the given family: the one entry point a trainer needs when the family comes
 * from configuration. `rows` are raw feature values in `featureNames` order, `labels` 0/1 with
 * both classes present. Throws `LearnError` (`DW_LEARN_INVALID_OPTION`, `DW_LEARN_INVALID_INPUT`,
 * `DW_LEARN_NOT_CONVERGED`).
 *
 * @example
 * ```ts
 * const rows = [[1, 10], [2, 10], [3, 10], [4, 10]];
 * const model = trainModel('logistic', rows, [0, 0, 1, 1], ['x', 'constant'], { logistic: { l2: 0.1 } });
 * model.family; // => "logistic"
 * model.standardization.scale; // => [1.118033988749895, 1]
 * ```
 */
export function trainModel(
  family: ModelFamily,
  rows: FeatureRows,
  labels: ArrayLike<number | boolean>,
  featureNames: readonly string[],
  options: TrainModelOptions = {},
): TrainedModel {
  switch (option.oneOf(family, 'family', modelFamilies)) {
    case 'logistic':
      return new LogisticRegression(options.logistic).fit(rows, labels, featureNames).model;
    case 'mlp':
      return new Mlp(options.mlp).fit(rows, labels, featureNames);
  }
}
