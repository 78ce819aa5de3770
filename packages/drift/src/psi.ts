import { DriftError } from './errors.js';
import { requireFinite } from './input-checks.js';
import { option } from './errors.js';

export interface PsiOptions {
  /**
   * The proportion an empty bin counts as. Default: Evidently's rule, applied to each side on its
   * own: `1e-4`, or the smallest non-empty proportion divided by 10^6 when that is `<= 1e-4`.
   */
  epsilon?: number;
}

/** How far a side's proportions may sum from 1 (they usually come from `count / total`). */
const SUM_TOLERANCE = 1e-6;

/**
 * Population Stability Index of two binned distributions: `Σ (a − e) · ln(a / e)` over bins, where
 * `e` and `a` are the expected (reference) and actual (current) proportions of each bin.
 *
 * A bin that is empty on one side would make the sum infinite, so empty bins are floored first;
 * by default exactly as Evidently does (its `get_binned_data(..., feel_zeroes=True)`): each side's
 * zeros become `1e-4`, or that side's smallest non-zero proportion divided by 10^6 when it is at
 * most `1e-4`. Proportions are not renormalised afterwards, and a bin empty on both sides still
 * contributes when the two sides' floors differ, as in Evidently.
 *
 * Options:
 * - `epsilon` (default: Evidently's rule above): a fixed proportion for every empty bin instead.
 *
 * Throws `DW_DRIFT_INVALID_INPUT` when the sides differ in length, are empty, hold a negative or
 * non-finite proportion, or do not sum to 1 (within 1e-6).
 *
 * @example
 * ```ts
 * psi([0.25, 0.25, 0.5], [0.25, 0.25, 0.5]); // => 0
 * psi([0.5, 0.5], [0.4, 0.6]); // => 0.04054651081081643
 * psi([0.5, 0.5, 0], [0.5, 0.25, 0.25]); // => 2.1285158932529735
 * psi([0.5, 0.5, 0], [0.5, 0.25, 0.25], { epsilon: 0.001 }); // => 1.5481305636876856
 * ```
 *
 * @see Yurdakul, B. (2018). Statistical properties of population stability index. Western
 * Michigan University, dissertation 3208.
 * @see Evidently, `evidently/legacy/calculations/stattests/psi.py` and `.../stattests/utils.py`
 * (`get_binned_data`).
 */
export function psi(
  expected: ArrayLike<number>,
  actual: ArrayLike<number>,
  options: PsiOptions = {},
): number {
  if (expected.length !== actual.length) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      `expected and actual must have the same number of bins, got ${expected.length} and ${actual.length}`,
    );
  }
  const epsilon =
    options.epsilon === undefined
      ? undefined
      : option.inOpenInterval(options.epsilon, 'epsilon', 0, 1);
  const floored = (side: ArrayLike<number>, what: string): Float64Array =>
    floorEmptyBins(requireProportions(side, what), epsilon);
  const e = floored(expected, 'expected');
  const a = floored(actual, 'actual');
  let sum = 0;
  for (let i = 0; i < e.length; i++) {
    const ei = e[i] ?? NaN;
    const ai = a[i] ?? NaN;
    // Evidently's orientation, (e − a) · ln(e / a): the same value, rounded the same way.
    sum += (ei - ai) * Math.log(ei / ai);
  }
  return sum;
}

/** Checks that `side` is a non-empty vector of proportions summing to 1, and copies it. */
export function requireProportions(side: ArrayLike<number>, what: string): Float64Array {
  if (side.length === 0) {
    throw new DriftError('DW_DRIFT_INVALID_INPUT', `${what} must have at least one bin`);
  }
  const proportions = Float64Array.from(side);
  let sum = 0;
  for (let i = 0; i < proportions.length; i++) {
    const value = requireFinite(proportions[i] ?? NaN, `${what}[${i}]`);
    if (value < 0) {
      throw new DriftError(
        'DW_DRIFT_INVALID_INPUT',
        `${what}[${i}] must not be negative, got ${value}`,
      );
    }
    sum += value;
  }
  if (Math.abs(sum - 1) > SUM_TOLERANCE) {
    throw new DriftError('DW_DRIFT_INVALID_INPUT', `${what} must sum to 1, got ${sum}`);
  }
  return proportions;
}

/** Replaces zeros in place, by `epsilon` or else by Evidently's rule (see {@link psi}). */
function floorEmptyBins(proportions: Float64Array, epsilon: number | undefined): Float64Array {
  let smallest = Infinity;
  let hasEmpty = false;
  for (const value of proportions) {
    if (value === 0) hasEmpty = true;
    else if (value < smallest) smallest = value;
  }
  if (!hasEmpty) return proportions;
  const floor = epsilon ?? (smallest <= 1e-4 ? smallest / 10 ** 6 : 1e-4);
  for (let i = 0; i < proportions.length; i++) {
    if (proportions[i] === 0) proportions[i] = floor;
  }
  return proportions;
}
