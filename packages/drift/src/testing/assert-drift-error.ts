import assert from 'node:assert/strict';

import { DriftError, type DriftErrorCode } from '../errors.js';

/** Asserts that `run` throws this package's error with `code`, and nothing else passes. */
export function assertDriftError(code: DriftErrorCode, run: () => unknown): void {
  assert.throws(run, (error) => error instanceof DriftError && error.code === code);
}
