const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;
const steps = [
  ...[1, 2, 5, 10, 15, 30].map((n) => n * second),
  ...[1, 2, 5, 10, 15, 30].map((n) => n * minute),
  ...[1, 2, 3, 6, 12].map((n) => n * hour),
  ...[1, 2, 7, 14, 30, 91, 365].map((n) => n * day),
];

/**
 * Round UTC moments to label a time axis over [from, to] with about `count` ticks, and their
 * labels: seconds for a short range, minutes, then dates, as the demo runs for seconds and a
 * production model for months.
 *
 * @example
 * ```ts
 * const start = Date.UTC(2024, 5, 1, 12, 0, 3);
 * timeTicks(start, start + 20_000, 4).map((tick) => tick.label); // => ["12:00:05", "12:00:10", "12:00:15", "12:00:20"]
 * timeTicks(start, start + 3 * 86_400_000, 3).map((tick) => tick.label); // => ["06-02", "06-03", "06-04"]
 * ```
 */
export function timeTicks(
  from: number,
  to: number,
  count: number,
): { ts: number; label: string }[] {
  const span = Math.max(to - from, 1);
  const step =
    steps.find((candidate) => span / candidate <= count) ?? steps[steps.length - 1] ?? day;
  const ticks: { ts: number; label: string }[] = [];
  for (let ts = Math.ceil(from / step) * step; ts <= to; ts += step) {
    const iso = new Date(ts).toISOString();
    const label =
      step >= day
        ? span > 365 * day
          ? iso.slice(0, 10)
          : iso.slice(5, 10)
        : step >= minute
          ? span > day
            ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}`
            : iso.slice(11, 16)
          : iso.slice(11, 19);
    ticks.push({ ts, label });
  }
  return ticks;
}
