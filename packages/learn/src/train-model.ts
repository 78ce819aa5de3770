import { option } from './errors.js';
import { requireClassCount, type FeatureRows } from './input-checks.js';
import { LogisticRegression, type LogisticRegressionOptions } from './logistic-regression.js';
import { Mlp, type MlpOptions } from './mlp.js';
import { SoftmaxMlp } from './softmax-mlp.js';
import { SoftmaxRegression } from './softmax-regression.js';
import { modelFamilies, type ModelFamily, type TrainedModel } from './trained-model.js';

/** Options for each family; only the chosen family's are read, so a config may carry both. */
export interface TrainModelOptions {
  /** For `LogisticRegression`, and `SoftmaxRegression` with more than two classes. */
  readonly logistic?: LogisticRegressionOptions;
  /** For `Mlp`, and `SoftmaxMlp` with more than two classes. */
  readonly mlp?: MlpOptions;
}

/**
 * Trains a model of the given family: the one entry point a trainer needs when the family comes
 * from configuration. `rows` are raw feature values in `featureNames` order; `labels` are class
 * indices `0 … classCount − 1` (0/1 for the default two classes).
 *
 * Two classes train the binary model of the family (`LogisticRegression`, `Mlp`), exactly as
 * before multiclass existed; three or more train its softmax form (`SoftmaxRegression`,
 * `SoftmaxMlp`) with the same options, which needs every class in the labels. Throws `LearnError`
 * (`DW_LEARN_INVALID_OPTION`, `DW_LEARN_INVALID_INPUT`, `DW_LEARN_ONE_CLASS`,
 * `DW_LEARN_MISSING_CLASS`, `DW_LEARN_NOT_CONVERGED`).
 *
 * @example
 * ```ts
 * const rows = [[1, 10], [2, 10], [3, 10], [4, 10]];
 * const model = trainModel('logistic', rows, [0, 0, 1, 1], ['x', 'constant'], { logistic: { l2: 0.1 } });
 * model.family; // => "logistic"
 * model.standardization.scale; // => [1.118033988749895, 1]
 * const three = trainModel('logistic', [[1], [2], [3], [4], [5], [6]], [0, 0, 1, 1, 2, 2], ['x'], {}, 3);
 * modelClassCount(three); // => 3
 * ```
 */
export function trainModel(
  family: ModelFamily,
  rows: FeatureRows,
  labels: ArrayLike<number | boolean>,
  featureNames: readonly string[],
  options: TrainModelOptions = {},
  classCount = 2,
): TrainedModel {
  const checkedFamily = option.oneOf(family, 'family', modelFamilies);
  if (requireClassCount(classCount, 2) === 2) {
    switch (checkedFamily) {
      case 'logistic':
        return new LogisticRegression(options.logistic).fit(rows, labels, featureNames).model;
      case 'mlp':
        return new Mlp(options.mlp).fit(rows, labels, featureNames);
    }
  }
  // Booleans are 0/1 labels only; class indices are numbers, and the fit rejects anything else.
  const indices = labels as ArrayLike<number>;
  switch (checkedFamily) {
    case 'logistic':
      return new SoftmaxRegression(options.logistic).fit(rows, indices, featureNames, classCount)
        .model;
    case 'mlp':
      return new SoftmaxMlp(options.mlp).fit(rows, indices, featureNames, classCount);
  }
}
