import { setTimeout as sleep } from 'node:timers/promises';

/** A count the test waits to reach: of records on a topic, of a metric, of offsets committed. */
export interface ExpectedCount {
  name: string;
  expected: number;
  current: () => Promise<number> | number;
}

/**
 * Resolves once every count has reached what is expected. The wait is on records, not on time:
 * `safetyMs` only turns a stall into a failure that names each count still short, and by how
 * much, instead of a test that hangs. `check` runs before each look and throws on what no wait
 * can mend (a service that exited), so that fails at once.
 */
export async function waitForCounts(
  counts: readonly ExpectedCount[],
  safetyMs: number,
  check: () => void = () => undefined,
): Promise<void> {
  const deadline = Date.now() + safetyMs;
  for (;;) {
    check();
    const short: string[] = [];
    for (const { name, expected, current } of counts) {
      const value = await current();
      if (value < expected) short.push(`${name}: ${value} of ${expected}`);
    }
    if (short.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`still missing after ${safetyMs} ms:\n  ${short.join('\n  ')}`);
    }
    await sleep(500);
  }
}
