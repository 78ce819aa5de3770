/**
 * Validation of constructor options, the same way in every package: each check returns the value
 * when it is what the option needs and otherwise throws the error `invalid` makes from a message
 * naming the option, what it must be and what it got. Options are checked once, at construction,
 * so a bad value fails where it was written rather than as a NaN three calls later.
 */
export interface OptionChecks {
  finite(value: unknown, name: string): number;
  positiveFinite(value: unknown, name: string): number;
  nonNegativeFinite(value: unknown, name: string): number;
  safeInteger(value: unknown, name: string): number;
  positiveInteger(value: unknown, name: string): number;
  nonNegativeInteger(value: unknown, name: string): number;
  /** `0 ≤ value ≤ 1`. */
  probability(value: unknown, name: string): number;
  /** `low < value < high` (open interval), e.g. a confidence `delta` in (0, 1). */
  inOpenInterval(value: unknown, name: string, low: number, high: number): number;
  oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T;
}

/**
 * The checks, throwing the calling package's own error.
 *
 * @example
 * ```ts
 * const option = optionChecks((message) => new RangeError(message));
 * option.positiveInteger(3, 'window'); // => 3
 * ```
 */
export function optionChecks(invalid: (message: string) => Error): OptionChecks {
  const check = (ok: boolean, value: unknown, name: string, expected: string): void => {
    if (!ok) throw invalid(`option ${name} must be ${expected}, got ${shown(value)}`);
  };
  const isFinite = (value: unknown): value is number =>
    typeof value === 'number' && Number.isFinite(value);
  const isInteger = (value: unknown): value is number =>
    typeof value === 'number' && Number.isSafeInteger(value);
  return {
    finite(value, name) {
      check(isFinite(value), value, name, 'a finite number');
      return value as number;
    },
    positiveFinite(value, name) {
      check(isFinite(value) && value > 0, value, name, 'a finite number > 0');
      return value as number;
    },
    nonNegativeFinite(value, name) {
      check(isFinite(value) && value >= 0, value, name, 'a finite number ≥ 0');
      return value as number;
    },
    safeInteger(value, name) {
      check(isInteger(value), value, name, 'an integer');
      return value as number;
    },
    positiveInteger(value, name) {
      check(isInteger(value) && value > 0, value, name, 'a positive integer');
      return value as number;
    },
    nonNegativeInteger(value, name) {
      check(isInteger(value) && value >= 0, value, name, 'a non-negative integer');
      return value as number;
    },
    probability(value, name) {
      check(isFinite(value) && value >= 0 && value <= 1, value, name, 'in [0, 1]');
      return value as number;
    },
    inOpenInterval(value, name, low, high) {
      check(isFinite(value) && value > low && value < high, value, name, `in (${low}, ${high})`);
      return value as number;
    },
    oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
      const ok = typeof value === 'string' && (allowed as readonly string[]).includes(value);
      check(ok, value, name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
      return value as T;
    },
  };
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
