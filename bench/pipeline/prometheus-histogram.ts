import { metricValue } from '@driftwatch/demo';

/**
 * A quantile of a Prometheus histogram in text format, summed over its other labels, as PromQL's
 * `histogram_quantile` estimates it: linear within the bucket the rank falls in. Only as precise
 * as the buckets are narrow.
 */
export function histogramQuantile(metrics: string, name: string, quantile: number): number {
  const bounds = new Set<string>();
  for (const match of metrics.matchAll(new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"`, 'gm')))
    if (match[1] !== undefined) bounds.add(match[1]);
  const buckets = [...bounds]
    .map((le) => ({
      upper: Number(le),
      cumulative: metricValue(metrics, `${name}_bucket`, { le }),
    }))
    .sort((a, b) => a.upper - b.upper);
  const total = buckets.at(-1)?.cumulative ?? 0;
  if (total === 0) return NaN;
  const rank = quantile * total;
  let lower = 0;
  let below = 0;
  for (const { upper, cumulative } of buckets) {
    if (cumulative >= rank) {
      if (upper === Infinity) return lower;
      return lower + ((upper - lower) * (rank - below)) / Math.max(cumulative - below, 1);
    }
    lower = upper;
    below = cumulative;
  }
  return lower;
}

/** The exact mean of a histogram's observations: `_sum / _count`. */
export function histogramMean(metrics: string, name: string): number {
  return metricValue(metrics, `${name}_sum`) / metricValue(metrics, `${name}_count`);
}

/** The exact `quantile` of samples (nearest rank). */
export function sampleQuantile(samples: readonly number[], quantile: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(quantile * sorted.length)));
  return sorted[rank - 1] ?? NaN;
}
