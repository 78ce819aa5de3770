import { DriftError } from './errors.js';

/** Rejects NaN and ±Infinity, which would silently poison every running sum downstream. */
export function requireFinite(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      `${what} must be a finite number, got ${String(value)}`,
    );
  }
  return value;
}

/** Rejects anything but 0 and 1 (a classifier's error indicator). */
export function requireBinary(value: number | boolean, what: string): 0 | 1 {
  if (value === 0 || value === false) return 0;
  if (value === 1 || value === true) return 1;
  throw new DriftError('DW_DRIFT_INVALID_INPUT', `${what} must be 0 or 1, got ${String(value)}`);
}
