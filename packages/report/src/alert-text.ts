import type { DriftAlert } from '@driftwatch/topics';

import { utcTime } from './utc-time.js';

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
const decimal = (value: number): string => String(Number(value.toPrecision(3)));

/** What changed and by how much, for each of the detector's rules; `undefined`: not one of them. */
function change(alert: DriftAlert): string | undefined {
  const { statistic, threshold } = alert;
  const of = alert.feature === null ? "the model's score" : alert.feature;
  switch (alert.detector) {
    // ADWIN's statistic is the error rate after the cut, its threshold the rate before it.
    case 'adwin':
      return `error rate rose from ${percent(threshold)} to ${percent(statistic)} (ADWIN)`;
    case 'block-accuracy':
      return `accuracy of a block fell to ${percent(statistic)}, below ${percent(threshold)}`;
    case 'window-accuracy':
      return `accuracy over the window fell to ${percent(statistic)}, below ${percent(threshold)}`;
    case 'psi-class-probability':
      return `PSI of the probability of class ${alert.feature ?? '?'} reached ${decimal(statistic)} (threshold ${decimal(threshold)})`;
    case 'psi':
    case 'psi-score':
      return `PSI of ${of} reached ${decimal(statistic)} (threshold ${decimal(threshold)})`;
    // KS's statistic is the p-value of the window against the reference sample.
    case 'ks':
      return `KS test on ${of}: p-value ${decimal(statistic)}, below ${decimal(threshold)}`;
    // Cluster occupancy's statistic is the PSI over the reference's k-means clusters.
    case 'cluster-occupancy':
      return `the inputs' mix of reference clusters moved: PSI over clusters ${decimal(statistic)} (threshold ${decimal(threshold)})`;
    // Reconstruction's statistic is the window's mean PCA reconstruction error.
    case 'reconstruction':
      return `mean PCA reconstruction error of the inputs reached ${decimal(statistic)} (bound ${decimal(threshold)})`;
    default:
      return undefined;
  }
}

/**
 * An alert in words: what changed, by how much, and since when its evidence runs.
 *
 * @example
 * ```ts
 * const alert = {
 *   alertId: 'a1',
 *   model: 'sea',
 *   modelVersion: 1,
 *   kind: 'concept',
 *   detector: 'adwin',
 *   feature: null,
 *   statistic: 0.141,
 *   threshold: 0.12,
 *   windowStart: 1717243200000,
 *   windowEnd: 1717243203000,
 *   observedAt: 1717243203100,
 *   severity: 'warning',
 * };
 * alertText(alert); // => "error rate rose from 12.0% to 14.1% (ADWIN), evidence since 2024-06-01 12:00:00"
 * alertText({ ...alert, kind: 'data', detector: 'psi', feature: 'x1', statistic: 0.3123, threshold: 0.2 }); // => "PSI of x1 reached 0.312 (threshold 0.2), evidence since 2024-06-01 12:00:00"
 * alertText({ ...alert, detector: 'page-hinkley', statistic: 51.5, threshold: 50 }); // => "page-hinkley: 51.5 against threshold 50, evidence since 2024-06-01 12:00:00"
 * ```
 */
export function alertText(alert: DriftAlert): string {
  const what =
    change(alert) ??
    `${alert.detector}${alert.feature === null ? '' : ` on ${alert.feature}`}: ${decimal(alert.statistic)} against threshold ${decimal(alert.threshold)}`;
  return `${what}, evidence since ${utcTime(alert.windowStart)}`;
}
