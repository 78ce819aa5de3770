import { DatasetError } from './errors.js';

function invalid(name: string, expected: string, value: unknown): DatasetError {
  return new DatasetError(
    'DW_INVALID_OPTION',
    `option ${name} must be ${expected}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
  );
}

export function optionFinite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(name, 'a finite number', value);
  }
  return value;
}

export function optionSafeInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalid(name, 'an integer', value);
  }
  return value;
}

export function optionNonNegativeInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(name, 'a non-negative integer', value);
  }
  return value;
}

export function optionPositiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid(name, 'a positive integer', value);
  }
  return value;
}

export function optionNonNegativeFinite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(name, 'a finite number ≥ 0', value);
  }
  return value;
}

export function optionPositiveFinite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalid(name, 'a finite number > 0', value);
  }
  return value;
}

/** A probability: `0 ≤ value ≤ 1`. */
export function optionProbability(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw invalid(name, 'in [0, 1]', value);
  }
  return value;
}

export function optionOneOf<T extends string>(
  value: unknown,
  name: string,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}
