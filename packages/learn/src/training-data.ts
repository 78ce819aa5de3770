import { LearnError } from './errors.js';
import {
  binaryLabels,
  classLabels,
  flattenRows,
  requireFeatureNames,
  requireSameLength,
  type FeatureRows,
} from './input-checks.js';

/** Validated training inputs, flattened row-major for the fitting loops. */
export interface TrainingData {
  readonly featureNames: readonly string[];
  /** Raw feature values, `rowCount × width`, row-major. */
  readonly values: Float64Array;
  /** 0 or 1 per row. */
  readonly labels: Float64Array;
  readonly rowCount: number;
  readonly width: number;
}

/**
 * Checks and copies what a fit needs: unique feature names, one finite value per name in every
 * row, a 0/1 label per row, and both classes present (with one class the unpenalized intercept of
 * the optimum is infinite, and no holdout could rank anything).
 */
export function trainingData(
  rows: FeatureRows,
  labels: ArrayLike<number | boolean>,
  featureNames: readonly string[],
): TrainingData {
  requireFeatureNames(featureNames);
  const width = featureNames.length;
  const values = flattenRows(rows, width);
  const y = binaryLabels(labels);
  requireSameLength(rows, 'rows', y, 'labels');
  let positives = 0;
  for (const label of y) positives += label;
  if (positives === 0 || positives === y.length) {
    throw new LearnError(
      'DW_LEARN_ONE_CLASS',
      `training labels must contain both classes, got ${y.length} rows of class ${positives === 0 ? 0 : 1} only`,
    );
  }
  return { featureNames: [...featureNames], values, labels: y, rowCount: rows.length, width };
}

/** Validated multiclass training inputs, flattened row-major for the fitting loops. */
export interface MulticlassTrainingData {
  readonly featureNames: readonly string[];
  /** Raw feature values, `rowCount × width`, row-major. */
  readonly values: Float64Array;
  /** A class index `0 … classCount − 1` per row. */
  readonly labels: Int32Array;
  readonly classCount: number;
  /** Rows of each class. */
  readonly classSizes: readonly number[];
  readonly rowCount: number;
  readonly width: number;
}

/**
 * Checks and copies what a softmax fit needs: as {@link trainingData}, with class indices
 * `0 … classCount − 1` for labels and every class present. With one class there is nothing to
 * tell apart (`DW_LEARN_ONE_CLASS`); with a class absent (`DW_LEARN_MISSING_CLASS`) the unpenalized
 * intercept of that class has its optimum at −∞, and a model that can never predict a class would
 * be published on a holdout that cannot show it.
 */
export function multiclassTrainingData(
  rows: FeatureRows,
  labels: ArrayLike<number>,
  featureNames: readonly string[],
  classCount: number,
): MulticlassTrainingData {
  requireFeatureNames(featureNames);
  const width = featureNames.length;
  const values = flattenRows(rows, width);
  const y = classLabels(labels, classCount);
  requireSameLength(rows, 'rows', y, 'labels');
  const classSizes = new Array<number>(classCount).fill(0);
  for (const label of y) classSizes[label] = (classSizes[label] ?? 0) + 1;
  const present = classSizes.filter((size) => size > 0).length;
  if (present < 2) {
    throw new LearnError(
      'DW_LEARN_ONE_CLASS',
      `training labels must contain at least two classes, got ${y.length} rows of ${present === 0 ? 'no class' : `class ${classSizes.findIndex((size) => size > 0)} only`}`,
    );
  }
  if (present < classCount) {
    const missing = classSizes.flatMap((size, k) => (size === 0 ? [k] : []));
    throw new LearnError(
      'DW_LEARN_MISSING_CLASS',
      `training labels must contain every one of the ${classCount} classes, class${missing.length > 1 ? 'es' : ''} ${missing.join(', ')} ha${missing.length > 1 ? 've' : 's'} no row`,
    );
  }
  return {
    featureNames: [...featureNames],
    values,
    labels: y,
    classCount,
    classSizes,
    rowCount: rows.length,
    width,
  };
}
