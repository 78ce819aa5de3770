import assert from 'node:assert/strict';

import { DatasetError } from '../errors.js';

/** `build` throws DW_DATASET_INVALID_OPTION with a message that mentions `mentions`. */
export function expectInvalidOption(build: () => unknown, mentions: string): void {
  assert.throws(
    build,
    (error: unknown) =>
      error instanceof DatasetError &&
      error.code === 'DW_DATASET_INVALID_OPTION' &&
      error.message.includes(mentions),
  );
}

/** |observed − expected| within 5 binomial standard errors. */
export function assertRate(observed: number, n: number, p: number, what: string): void {
  const tolerance = 5 * Math.sqrt((p * (1 - p)) / n);
  assert.ok(
    Math.abs(observed / n - p) <= tolerance,
    `${what}: ${observed}/${n} = ${observed / n}, expected ${p} ± ${tolerance}`,
  );
}
