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

/**
 * Rejects a table that is not a non-empty array of rows of one width (`width` if given, else the
 * first row's) holding finite numbers; returns the width. Multivariate methods measure distances
 * across whole rows, so one NaN would poison every distance it enters.
 */
export function requireRows(
  rows: readonly ArrayLike<number>[],
  what: string,
  width?: number,
): number {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new DriftError('DW_DRIFT_INVALID_INPUT', `${what} must be a non-empty array of rows`);
  }
  const expected = width ?? (rows[0] as ArrayLike<number> | undefined)?.length ?? 0;
  if (!Number.isSafeInteger(expected) || expected === 0) {
    throw new DriftError('DW_DRIFT_INVALID_INPUT', `${what}[0] must be a non-empty row of numbers`);
  }
  rows.forEach((row: ArrayLike<number>, i) => {
    requireRow(row, `${what}[${i}]`, expected);
  });
  return expected;
}

/** Rejects a row that does not hold exactly `width` finite numbers. */
export function requireRow(row: ArrayLike<number>, what: string, width: number): void {
  // Typed as a row, but it may come from parsed JSON: check it is one before reading it.
  const candidate: unknown = row;
  if (typeof candidate !== 'object' || candidate === null || row.length !== width) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      `${what} must be a row of ${width} numbers, got ${typeof candidate === 'object' && candidate !== null ? `${String(row.length)} values` : String(candidate)}`,
    );
  }
  // The element's name is built only for the one that fails: rows may be 768 wide and checked per event.
  for (let j = 0; j < width; j++) {
    if (!Number.isFinite(row[j])) requireFinite(row[j] as number, `${what}[${j}]`);
  }
}

/**
 * Rejects scores and 0/1 labels (or booleans) that are not two non-empty arrays of one length
 * holding finite scores; returns the labels as 0/1.
 */
export function requireScoredLabels(
  scores: readonly number[],
  labels: readonly (0 | 1 | boolean)[],
): (0 | 1)[] {
  // Typed as arrays, but they may come from parsed JSON: check they are before reading them.
  const given: unknown[] = [scores, labels];
  if (!given.every((array) => Array.isArray(array)) || scores.length === 0) {
    throw new DriftError('DW_DRIFT_INVALID_INPUT', 'scores and labels must be non-empty arrays');
  }
  if (scores.length !== labels.length) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      `scores and labels must have the same length, got ${scores.length} and ${labels.length}`,
    );
  }
  scores.forEach((score, i) => requireFinite(score, `scores[${i}]`));
  return labels.map((label, i) => requireBinary(label, `labels[${i}]`));
}
