import { DriftError, option } from './errors.js';
import { ReferenceClusters, type ReferenceClustersOptions } from './reference-clusters.js';

/** How far past each distance quantile a row must fall to be as rare as that quantile promises. */
export interface EdgeDistanceScales {
  p50: number;
  p90: number;
  p99: number;
}

export interface EdgeDistanceScalesOptions extends ReferenceClustersOptions {
  /** Folds the rows are split into, each held out once. Default 5. */
  folds?: number;
}

const levels = { p50: 0.5, p90: 0.9, p99: 0.99 } as const;

/**
 * Widening factors for {@link ReferenceClusters}' distance quantiles, measured on rows the
 * clusters never saw, so that a new row from the reference's own distribution passes a cluster's
 * p99 × `p99` about 1% of the time (and p90 × `p90` 10%, p50 × `p50` half).
 *
 * Why: a cluster's quantiles are read off the very rows its centroid was pulled towards, and off few
 * of them (80 rows a cluster at 1,600 reference rows and k = 20, where the empirical p99 lies
 * between the two largest distances). Fresh rows of the same distribution pass that p99 2–4% of the
 * time, not 1% (measured on the SEA and orientation streams). An edge-case count meant to flag the
 * rare would then grow two to four times too fast on traffic that never drifted.
 *
 * How (split conformal calibration, cross-fitted): the rows are split into `folds` interleaved
 * folds; for each, clusters are fitted on the others with the same options and each held-out row's
 * distance to its nearest centroid is divided by that cluster's quantile. A level's scale is the
 * conformal quantile of those ratios — the ⌈(n + 1)·level⌉-th smallest of n — never below 1, so an
 * edge case is always beyond its cluster's own quantile. A held-out row landing in a cluster with no
 * rows counts as beyond every scale, as {@link EdgeCaseFinder} treats it.
 *
 * Deterministic: the same rows and options give the same scales.
 *
 * @example
 * ```ts
 * const rows = Array.from({ length: 200 }, (_, i) => [Math.sin(i) * 3, Math.cos(i * 7) * 2]);
 * const scales = fitEdgeDistanceScales(rows, { k: 4, seed: 1 });
 * scales.p99 >= 1; // => true
 * ```
 */
export function fitEdgeDistanceScales(
  rows: readonly ArrayLike<number>[],
  options: EdgeDistanceScalesOptions = {},
): EdgeDistanceScales {
  const { folds: foldsOption, ...clusterOptions } = options;
  const folds = option.positiveInteger(foldsOption ?? 5, 'folds');
  if (folds < 2 || rows.length < 2 * folds) {
    throw new DriftError(
      'DW_DRIFT_INVALID_OPTION',
      `option folds must be at least 2 and leave at least 2 rows a fold, got ${folds} folds of ${rows.length} rows`,
    );
  }
  const ratios: Record<keyof EdgeDistanceScales, number[]> = { p50: [], p90: [], p99: [] };
  for (let fold = 0; fold < folds; fold++) {
    const clusters = ReferenceClusters.fit(
      rows.filter((_, i) => i % folds !== fold),
      clusterOptions,
    );
    for (let i = fold; i < rows.length; i += folds) {
      const { index, distance } = clusters.nearestCentroid(rows[i] as ArrayLike<number>);
      const quantiles = clusters.distanceQuantiles[index];
      for (const level of Object.keys(levels) as (keyof EdgeDistanceScales)[]) {
        const bound = quantiles?.[level] ?? 0;
        // A zero bound (a cluster of identical rows) is passed by any row not on it.
        ratios[level].push(bound > 0 ? distance / bound : distance > 0 ? Infinity : 0);
      }
    }
  }
  const scale = (level: keyof EdgeDistanceScales): number => {
    const sorted = Float64Array.from(ratios[level]).sort();
    const rank = Math.ceil((sorted.length + 1) * levels[level]);
    // Fewer held-out rows than the level can promise: the largest ratio is the best bound there is.
    const value = sorted[Math.min(rank, sorted.length) - 1] ?? 1;
    return Number.isFinite(value) ? Math.max(1, value) : 1;
  };
  return { p50: scale('p50'), p90: scale('p90'), p99: scale('p99') };
}
