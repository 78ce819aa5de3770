import { LearnError } from './errors.js';
import { binomialHalfCdf, chiSquareSurvivalOneDof } from './special-functions.js';
import { requireSameLength } from './input-checks.js';

export interface McNemarOptions {
  /** Exact binomial test (default) rather than the χ² approximation. */
  readonly exact?: boolean;
  /** Continuity correction of the χ² statistic (default true; ignored when `exact`). */
  readonly correction?: boolean;
}

export interface McNemarResult {
  /** Holdout rows the champion got right and the challenger wrong. */
  readonly b: number;
  /** Holdout rows the champion got wrong and the challenger right. */
  readonly c: number;
  /** Exact: min(b, c). χ²: (|b − c| − 1)² / (b + c), or without correction (b − c)² / (b + c). */
  readonly statistic: number;
  /** Two-sided p-value of "both are equally often right" (1 when they never disagree). */
  readonly pValue: number;
}

/**
 * McNemar's test on paired correctness: are two classifiers, scored on the same holdout rows,
 * equally accurate? Only the rows where exactly one of them is right carry evidence: b (champion
 * right, challenger wrong) and c (the reverse). Under the null hypothesis each such row is a fair
 * coin, so the exact test is a two-sided binomial test of min(b, c) in b + c trials at ½.
 *
 * Equal to statsmodels' `mcnemar([[·, b], [c, ·]], exact, correction)` (checked on golden
 * vectors), except that with no disagreements (b = c = 0) the χ² version returns statistic 0 and
 * p-value 1 where statsmodels divides 0 by 0 and returns NaN.
 *
 * `championCorrect[i]` and `challengerCorrect[i]` say whether each model classified holdout row i
 * correctly (booleans or 0/1).
 *
 * @example
 * ```ts
 * const champion = [1, 1, 1, 0, 0, 1, 0, 0, 1, 0];
 * const challenger = [1, 1, 1, 1, 1, 1, 1, 1, 0, 1];
 * mcnemarTest(champion, challenger); // => {"b":1,"c":5,"statistic":1,"pValue":0.21875}
 * mcnemarTest(champion, challenger, { exact: false }).pValue; // => 0.22067136191984693
 * ```
 *
 * @see Quinn McNemar, "Note on the sampling error of the difference between correlated
 * proportions or percentages", Psychometrika 12, 1947.
 */
export function mcnemarTest(
  championCorrect: ArrayLike<boolean | number>,
  challengerCorrect: ArrayLike<boolean | number>,
  options: McNemarOptions = {},
): McNemarResult {
  const exact = options.exact ?? true;
  const correction = options.correction ?? true;
  if (typeof exact !== 'boolean' || typeof correction !== 'boolean') {
    throw new LearnError(
      'DW_LEARN_INVALID_OPTION',
      'options exact and correction must be booleans',
    );
  }
  requireSameLength(championCorrect, 'championCorrect', challengerCorrect, 'challengerCorrect');
  let b = 0;
  let c = 0;
  for (let i = 0; i < championCorrect.length; i++) {
    const champion = correctness(championCorrect[i], `championCorrect[${i}]`);
    const challenger = correctness(challengerCorrect[i], `challengerCorrect[${i}]`);
    if (champion && !challenger) b++;
    else if (!champion && challenger) c++;
  }
  return mcnemarFromCounts(b, c, { exact, correction });
}

/**
 * McNemar's test from the disagreement counts alone — b (champion right, challenger wrong) and c
 * (the reverse) — for a caller that tallies paired outcomes as they stream by instead of keeping
 * them. Same result as `mcnemarTest` on any rows with those counts.
 *
 * @example
 * ```ts
 * mcnemarFromCounts(1, 5).pValue; // => 0.21875
 * ```
 */
export function mcnemarFromCounts(
  b: number,
  c: number,
  options: McNemarOptions = {},
): McNemarResult {
  const exact = options.exact ?? true;
  const correction = options.correction ?? true;
  for (const [name, count] of [
    ['b', b],
    ['c', c],
  ] as const) {
    if (!Number.isInteger(count) || count < 0) {
      throw new LearnError(
        'DW_LEARN_INVALID_INPUT',
        `${name} must be a non-negative integer, got ${String(count)}`,
      );
    }
  }
  const n = b + c;
  if (exact) {
    const statistic = Math.min(b, c);
    return { b, c, statistic, pValue: Math.min(1, 2 * binomialHalfCdf(statistic, n)) };
  }
  if (n === 0) return { b, c, statistic: 0, pValue: 1 };
  const statistic = (Math.abs(b - c) - (correction ? 1 : 0)) ** 2 / n;
  return { b, c, statistic, pValue: chiSquareSurvivalOneDof(statistic) };
}

function correctness(value: boolean | number | undefined, what: string): boolean {
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  throw new LearnError(
    'DW_LEARN_INVALID_INPUT',
    `${what} must be a boolean or 0/1, got ${String(value)}`,
  );
}
