/**
 * A moment as a report prints it: UTC, to the second, one width, sorting as text. A report is
 * attached to tickets read in other time zones, so it never prints local time.
 *
 * @example
 * ```ts
 * utcTime(1717243203456); // => "2024-06-01 12:00:03"
 * ```
 */
export function utcTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}
