import { LearnError } from './errors.js';
import {
  binaryLabels,
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
