import { DriftError } from './errors.js';
import { fromJsonNumber } from './json-number.js';

/**
 * Reads a snapshot handed to a `fromJSON`, field by field. A snapshot comes back from outside (a
 * changelog topic, a file) and a revived object must not fail later on the first update, so each
 * field is checked as it is read; every failure is a `DW_DRIFT_INVALID_STATE` naming the class, the
 * field and what it held.
 */
export class StateReader {
  readonly #of: string;
  readonly #path: string;
  readonly #fields: Readonly<Record<string, unknown>>;

  /** `of` names the class in messages; `path` prefixes field names in a nested object. */
  constructor(of: string, state: unknown, path = '') {
    this.#of = of;
    this.#path = path;
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      throw this.invalid(
        `${path === '' ? 'the state' : path} must be an object, got ${describe(state)}`,
      );
    }
    this.#fields = state as Record<string, unknown>;
  }

  /** A `DW_DRIFT_INVALID_STATE` error about this snapshot. */
  invalid(reason: string, cause?: unknown): DriftError {
    return new DriftError('DW_DRIFT_INVALID_STATE', `invalid ${this.#of} state: ${reason}`, {
      cause,
    });
  }

  /** Throws `DW_DRIFT_INVALID_STATE` with `reason` unless `condition` holds. */
  require(condition: boolean, reason: string): void {
    if (!condition) throw this.invalid(reason);
  }

  /** The full name of a field, for messages. */
  name(field: string): string {
    return `${this.#path}${field}`;
  }

  /** The field as it is, unchecked. */
  raw(field: string): unknown {
    return this.#fields[field];
  }

  /** Builds the object's options-validated shell; a rejected option is a bad state, not a bad call. */
  build<T>(construct: () => T): T {
    try {
      return construct();
    } catch (error) {
      if (error instanceof DriftError && error.code !== 'DW_DRIFT_INVALID_STATE') {
        throw this.invalid(error.message, error);
      }
      throw error;
    }
  }

  /** A nested object, read with the same checks. */
  object(field: string): StateReader {
    return new StateReader(this.#of, this.#fields[field], this.name(field));
  }

  /** An array of nested objects. */
  objects(field: string): StateReader[] {
    return this.array(field).map(
      (element, i) => new StateReader(this.#of, element, `${this.name(field)}[${i}]`),
    );
  }

  boolean(field: string): boolean {
    const value = this.#fields[field];
    if (typeof value !== 'boolean') {
      throw this.invalid(`${this.name(field)} must be a boolean, got ${describe(value)}`);
    }
    return value;
  }

  /** One of a closed set of strings (a mode, a kind). */
  oneOf<T extends string>(field: string, values: readonly T[]): T {
    const value = this.#fields[field];
    if (!values.includes(value as T)) {
      throw this.invalid(
        `${this.name(field)} must be one of ${values.join(', ')}, got ${describe(value)}`,
      );
    }
    return value as T;
  }

  /** A plain finite number (options are never anything else). */
  finite(field: string): number {
    const value = this.#fields[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw this.invalid(`${this.name(field)} must be a finite number, got ${describe(value)}`);
    }
    return value;
  }

  /** A safe integer in [min, max]. */
  integer(field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    return this.#integer(this.#fields[field], this.name(field), min, max);
  }

  /** A double written as a `JsonNumber`: any double, NaN and ±Infinity included. */
  double(field: string): number {
    return this.#double(this.#fields[field], this.name(field), false);
  }

  /** A double written as a `JsonNumber` that must be finite (an input the object accepted). */
  finiteDouble(field: string): number {
    return this.#double(this.#fields[field], this.name(field), true);
  }

  /** A `JsonNumber` or `null`. */
  nullableDouble(field: string): number | null {
    return this.#fields[field] === null ? null : this.double(field);
  }

  /** An array of doubles written as `JsonNumber`s; `finite` rejects NaN and ±Infinity. */
  doubles(field: string, finite = false): number[] {
    return this.array(field).map((value, i) =>
      this.#double(value, `${this.name(field)}[${i}]`, finite),
    );
  }

  /** An array of non-empty rows of one width, each an array of doubles as {@link doubles} reads. */
  doubleRows(field: string, finite = false): number[][] {
    const rows = this.array(field).map((row, i) => {
      const name = `${this.name(field)}[${i}]`;
      if (!Array.isArray(row)) throw this.invalid(`${name} must be an array, got ${describe(row)}`);
      return row.map((value, j) => this.#double(value, `${name}[${j}]`, finite));
    });
    const width = rows[0]?.length ?? 0;
    if (rows.some((row) => row.length !== width || width === 0)) {
      throw this.invalid(`${this.name(field)} must be non-empty rows of one width`);
    }
    return rows;
  }

  /** An array of safe integers in [min, max]. */
  integers(field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number[] {
    return this.array(field).map((value, i) =>
      this.#integer(value, `${this.name(field)}[${i}]`, min, max),
    );
  }

  /** Strictly increasing indices below `end`, as a detector's `detections` are. */
  indices(field: string, end: number): number[] {
    const indices = this.integers(field);
    indices.forEach((index, i) => {
      if (index >= end || (i > 0 && index <= (indices[i - 1] as number))) {
        throw this.invalid(
          `${this.name(field)} must be strictly increasing indices below ${end}, got ${index} at ${i}`,
        );
      }
    });
    return indices;
  }

  array(field: string): unknown[] {
    const value = this.#fields[field];
    if (!Array.isArray(value)) {
      throw this.invalid(`${this.name(field)} must be an array, got ${describe(value)}`);
    }
    return value;
  }

  #integer(value: unknown, name: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
      throw this.invalid(`${name} must be an integer ${range}, got ${describe(value)}`);
    }
    return value;
  }

  #double(value: unknown, name: string, finite: boolean): number {
    const double = fromJsonNumber(value);
    if (double === undefined || (finite && !Number.isFinite(double))) {
      throw this.invalid(
        `${name} must be a ${finite ? 'finite number (or "-0")' : 'number, "NaN", "Infinity", "-Infinity" or "-0"'}, got ${describe(value)}`,
      );
    }
    return double;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return `a ${typeof value}`;
}
