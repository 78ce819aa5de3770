import { DriftError } from './errors.js';

/** Rejects NaN and ±Infinity, which would silently poison every running sum downstream. */
export function requireFinite(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DriftError(
      'DW_INVALID_INPUT',
      `${what} must be a finite number, got ${String(value)}`,
    );
  }
  return value;
}

/** Rejects anything but 0 and 1 (a classifier's error indicator). */
export function requireBinary(value: number | boolean, what: string): 0 | 1 {
  if (value === 0 || value === false) return 0;
  if (value === 1 || value === true) return 1;
  throw new DriftError('DW_INVALID_INPUT', `${what} must be 0 or 1, got ${String(value)}`);
}

export function optionPositiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new DriftError(
      'DW_INVALID_OPTION',
      `option ${name} must be a positive integer, got ${String(value)}`,
    );
  }
  return value;
}

export function optionNonNegativeInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new DriftError(
      'DW_INVALID_OPTION',
      `option ${name} must be a non-negative integer, got ${String(value)}`,
    );
  }
  return value;
}

/** `low < value < high` (open interval), e.g. a confidence `delta` in (0, 1). */
export function optionInOpenInterval(
  value: number,
  name: string,
  low: number,
  high: number,
): number {
  if (!Number.isFinite(value) || value <= low || value >= high) {
    throw new DriftError(
      'DW_INVALID_OPTION',
      `option ${name} must be in (${low}, ${high}), got ${String(value)}`,
    );
  }
  return value;
}

export function optionFinite(value: number, name: string): number {
  if (!Number.isFinite(value)) {
    throw new DriftError(
      'DW_INVALID_OPTION',
      `option ${name} must be a finite number, got ${String(value)}`,
    );
  }
  return value;
}
