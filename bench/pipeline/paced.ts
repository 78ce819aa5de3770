import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Calls `step(i)` for i = 0, 1, … on a schedule of one call per `intervalMs` (a late step is
 * followed at once by the next), until `step` returns false or `limit` steps were made. Returns
 * the number of steps made.
 */
export async function paced(
  intervalMs: number,
  limit: number,
  step: (index: number) => Promise<boolean>,
): Promise<number> {
  const start = performance.now();
  for (let index = 0; index < limit; index++) {
    const due = start + index * intervalMs - performance.now();
    if (due > 0) await sleep(due);
    if (!(await step(index))) return index + 1;
  }
  return limit;
}
