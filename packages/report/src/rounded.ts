/**
 * A metric as a report stores it: 4 decimals (a chart cannot show more, and the file stays
 * small), and null where the metric is undefined (NaN), as JSON has no NaN.
 *
 * @example
 * ```ts
 * rounded(0.123456); // => 0.1235
 * rounded(Number.NaN); // => null
 * ```
 */
export function rounded(value: number): number | null {
  return Number.isFinite(value) ? Math.round(value * 1e4) / 1e4 : null;
}
