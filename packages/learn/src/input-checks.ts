import { LearnError } from './errors.js';

/** Rows of feature values, one inner array per example, columns in `featureNames` order. */
export type FeatureRows = readonly (readonly number[])[];

/** At least one name, each a non-empty string, no repeats: they key the features at serving. */
export function requireFeatureNames(featureNames: readonly string[]): readonly string[] {
  if (!isArray(featureNames) || featureNames.length === 0) {
    throw new LearnError('DW_LEARN_INVALID_INPUT', 'featureNames must be a non-empty array');
  }
  const seen = new Set<string>();
  for (const [i, name] of (featureNames as readonly unknown[]).entries()) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new LearnError(
        'DW_LEARN_INVALID_INPUT',
        `featureNames[${i}] must be a non-empty string, got ${JSON.stringify(name)}`,
      );
    }
    if (seen.has(name)) {
      throw new LearnError('DW_LEARN_INVALID_INPUT', `featureNames repeats "${name}"`);
    }
    seen.add(name);
  }
  return featureNames;
}

/**
 * Copies rows into one row-major Float64Array (`rows.length × width`), checking every row has
 * `width` finite values: one NaN would poison every weight of a fit.
 */
export function flattenRows(rows: FeatureRows, width: number, what = 'rows'): Float64Array {
  if (!isArray(rows)) {
    throw new LearnError('DW_LEARN_INVALID_INPUT', `${what} must be an array of rows`);
  }
  const flat = new Float64Array(rows.length * width);
  for (const [i, row] of (rows as readonly unknown[]).entries()) {
    if (!isArray(row) || row.length !== width) {
      throw new LearnError(
        'DW_LEARN_INVALID_INPUT',
        `${what}[${i}] must have ${width} values, got ${isArray(row) ? row.length : typeof row}`,
      );
    }
    for (let j = 0; j < width; j++) {
      const value = row[j];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new LearnError(
          'DW_LEARN_INVALID_INPUT',
          `${what}[${i}][${j}] must be a finite number, got ${String(value)}`,
        );
      }
      flat[i * width + j] = value;
    }
  }
  return flat;
}

/** Copies 0/1 labels (also accepting booleans) into a Float64Array, rejecting anything else. */
export function binaryLabels(labels: ArrayLike<number | boolean>, what = 'labels'): Float64Array {
  const candidate: unknown = labels;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    typeof (candidate as { length?: unknown }).length !== 'number'
  ) {
    throw new LearnError('DW_LEARN_INVALID_INPUT', `${what} must be an array of 0/1 values`);
  }
  const copy = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === 1 || label === true) copy[i] = 1;
    else if (label !== 0 && label !== false) {
      throw new LearnError(
        'DW_LEARN_INVALID_INPUT',
        `${what}[${i}] must be 0 or 1, got ${String(label)}`,
      );
    }
  }
  return copy;
}

/**
 * Copies class indices (integers `0 … classCount − 1`; the caller maps class names to indices)
 * into an Int32Array, rejecting anything else.
 */
export function classLabels(
  labels: ArrayLike<number>,
  classCount: number,
  what = 'labels',
): Int32Array {
  const candidate: unknown = labels;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    typeof (candidate as { length?: unknown }).length !== 'number'
  ) {
    throw new LearnError('DW_LEARN_INVALID_INPUT', `${what} must be an array of class indices`);
  }
  const copy = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label >= classCount) {
      throw new LearnError(
        'DW_LEARN_INVALID_INPUT',
        `${what}[${i}] must be a class index in 0 … ${classCount - 1}, got ${String(label)}`,
      );
    }
    copy[i] = label;
  }
  return copy;
}

/** A class count: an integer of at least `least` (2 for any classifier, 3 for a softmax model). */
export function requireClassCount(classCount: unknown, least: number): number {
  if (typeof classCount !== 'number' || !Number.isSafeInteger(classCount) || classCount < least) {
    throw new LearnError(
      'DW_LEARN_INVALID_OPTION',
      `option classCount must be an integer ≥ ${least}, got ${String(classCount)}`,
    );
  }
  return classCount;
}

/** Rejects a length mismatch between two parallel inputs. */
export function requireSameLength(
  a: { length: number },
  aName: string,
  b: { length: number },
  bName: string,
): void {
  if (a.length !== b.length) {
    throw new LearnError(
      'DW_LEARN_INVALID_INPUT',
      `${aName} and ${bName} must have the same length, got ${a.length} and ${b.length}`,
    );
  }
}

/** `Array.isArray` without widening to `any[]`: inputs from JavaScript callers are checked too. */
function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}
