import { PsiReference } from '@driftwatch/drift';

import { LearnError } from './errors.js';
import { flattenRows, requireFeatureNames, type FeatureRows } from './input-checks.js';
import { option } from './errors.js';

/** One distribution of the training data as PSI bins: `edges.length === proportions.length + 1`. */
export interface QuantileBins {
  readonly name: string;
  /** Ascending bin edges; the first and last bins are open-ended when a sample is binned. */
  readonly edges: readonly number[];
  /** Share of the training values in each bin. */
  readonly proportions: readonly number[];
}

/** What the detector compares live traffic with: each feature's and the score's distribution. */
export interface QuantileProfile {
  readonly features: readonly QuantileBins[];
  /** The model's scores on the reference rows, or null when none were given. */
  readonly score: QuantileBins | null;
}

export interface QuantileProfileInput {
  readonly featureNames: readonly string[];
  /** Raw feature values, columns in `featureNames` order; at least one row. */
  readonly rows: FeatureRows;
  /** The model's scores (probabilities) on reference rows, if the score should be watched too. */
  readonly scores?: ArrayLike<number> | null;
  /** Quantile bins per distribution (fewer where ties merge edges). */
  readonly bins?: number;
}

/**
 * Bins every feature column (and the scores) of the training data by quantiles with
 * `PsiReference.fit(values, { bins, binning: 'quantile' })` from `@driftwatch/drift`, so the
 * detector's PSI compares live traffic against exactly these bins. A constant column gets `bins`
 * equal-width bins around its value (PsiReference's rule).
 *
 * @example
 * ```ts
 * const profile = buildQuantileProfile({
 *   featureNames: ['x'],
 *   rows: [[1], [2], [3], [4], [5], [6], [7], [8], [9]],
 *   scores: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
 *   bins: 4,
 * });
 * profile.features; // => [{"name":"x","edges":[1,3,5,7,9],"proportions":[0.2222222222222222,0.2222222222222222,0.2222222222222222,0.3333333333333333]}]
 * profile.score.name; // => "score"
 * ```
 */
export function buildQuantileProfile(input: QuantileProfileInput): QuantileProfile {
  const featureNames = requireFeatureNames(input.featureNames);
  const bins = option.positiveInteger(input.bins ?? 10, 'bins');
  const width = featureNames.length;
  const rowCount = input.rows.length;
  if (rowCount === 0) {
    throw new LearnError('DW_LEARN_INVALID_INPUT', 'a reference profile needs at least one row');
  }
  const values = flattenRows(input.rows, width);
  const column = new Float64Array(rowCount);
  const features = featureNames.map((name, j) => {
    for (let i = 0; i < rowCount; i++) column[i] = values[i * width + j] ?? 0;
    return binned(name, column, bins);
  });
  const scores = input.scores ?? null;
  if (scores === null) return { features, score: null };
  if (scores.length === 0) {
    throw new LearnError('DW_LEARN_INVALID_INPUT', 'scores must not be empty when given');
  }
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new LearnError(
        'DW_LEARN_INVALID_INPUT',
        `scores[${i}] must be a finite number, got ${String(score)}`,
      );
    }
  }
  return { features, score: binned('score', scores, bins) };
}

function binned(name: string, values: ArrayLike<number>, bins: number): QuantileBins {
  const reference = PsiReference.fit(values, { bins, binning: 'quantile' });
  return { name, edges: [...(reference.edges ?? [])], proportions: [...reference.proportions] };
}
