/**
 * Histogram buckets the services share, so the same quantity is bucketed the same way wherever it
 * is measured, and a quantile is interpolated between bounds close enough to mean something.
 */

/**
 * Seconds, 1 ms to 30 s: a scoring call, or an event's way from `ts` to its prediction. Roughly
 * 1–2.5–5 per decade, so a p99 is read to within a factor of about two.
 */
export const latencyBuckets: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/**
 * Seconds, 100 ms to 7 days: a label's delay after its prediction, which is a fraction of a
 * second in a demo and days in a real feedback loop. With bounds `1, 10, 60 …` a 1–5 s delay's
 * p50 read as 5.5 s; here it falls between 1, 2.5 and 5.
 */
export const labelDelayBuckets: readonly number[] = [
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
  30,
  60,
  300,
  900,
  1800,
  3600,
  3 * 3600,
  6 * 3600,
  12 * 3600,
  86400,
  2 * 86400,
  3 * 86400,
  7 * 86400,
];
