import { DriftError, option } from './errors.js';

/** A rule's threshold and the mean run length between false alarms it was calibrated to give. */
export interface RunLengthThreshold {
  threshold: number;
  /**
   * The mean run length between false alarms at `threshold` under the reference, as simulated:
   * in windows for {@link windowThresholdForRunLength}, in events for the others.
   */
  expectedRunLength: number;
}

export interface WindowThresholdOptions {
  /** The target: windows between false alarms, on average; more than 1. */
  windowsPerAlarm: number;
  /** `above`: the rule fires when the statistic exceeds the threshold; `below`: falls under it. */
  direction: 'above' | 'below';
  /**
   * Where a fired rule re-arms, as `ThresholdGate` does: once the statistic is back at or past
   * this value (at or under it for `above`, at or over it for `below`).
   */
  rearmAt: (threshold: number) => number;
}

/**
 * The threshold at which a statistic computed once per window of independent events (a tumbling
 * PSI window, a block's accuracy, a KS p-value) raises a false alarm on average every
 * `windowsPerAlarm` windows, read off values of the statistic simulated under the reference.
 *
 * Windows are independent, so a rule that is armed fires in each with probability p, and once
 * fired re-arms in each with probability r: the mean run length is 1/p + 1/r windows (a renewal
 * cycle of two geometric waits). Candidates are the midpoints between neighbouring simulated
 * values, so a statistic with ties (a block's accuracy) is cut between its atoms; the one whose
 * run length is nearest the target (in ratio) wins. A target beyond what the simulation can see
 * (fewer than one alarm) gets the most extreme candidate and its honest, shorter run length.
 *
 * @example
 * ```ts
 * const uniform = Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
 * const { threshold, expectedRunLength } = windowThresholdForRunLength(uniform, {
 *   windowsPerAlarm: 21,
 *   direction: 'above',
 *   rearmAt: (t) => t,
 * });
 * threshold; // => 0.95
 * expectedRunLength; // => 21.05263157894737
 * ```
 */
export function windowThresholdForRunLength(
  nullValues: ArrayLike<number>,
  options: WindowThresholdOptions,
): RunLengthThreshold {
  const target = option.inOpenInterval(options.windowsPerAlarm, 'windowsPerAlarm', 1, Infinity);
  if (nullValues.length < 2) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      `nullValues must hold at least 2 simulated values, got ${nullValues.length}`,
    );
  }
  // `below` is `above` on the negated statistic: fire when −v > −t, re-arm when −v ≤ −rearmAt(t).
  const sign = options.direction === 'above' ? 1 : -1;
  const sorted = Float64Array.from(nullValues, (value) => sign * value).sort();
  const n = sorted.length;
  let best: RunLengthThreshold | null = null;
  let bestDistance = Infinity;
  for (let i = n - 1; i > 0; i--) {
    const low = sorted[i - 1] ?? NaN;
    const high = sorted[i] ?? NaN;
    if (low === high) continue;
    const candidate = (low + high) / 2;
    const fires = (n - i) / n;
    const rearms = countAtMost(sorted, sign * options.rearmAt(sign * candidate)) / n;
    if (rearms === 0) continue;
    const runLength = 1 / fires + 1 / rearms;
    const distance = Math.abs(Math.log(runLength / target));
    if (distance < bestDistance) {
      bestDistance = distance;
      best = { threshold: sign * candidate, expectedRunLength: runLength };
    }
    // Run lengths only shorten from here on down: once past the target, nothing nearer follows.
    if (runLength < target) break;
  }
  if (!best) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      'the simulated statistic never varies (or never re-arms), so no threshold can be set',
    );
  }
  return best;
}

/** How many of `sorted` (ascending) are ≤ `value`. */
function countAtMost(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? NaN) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
