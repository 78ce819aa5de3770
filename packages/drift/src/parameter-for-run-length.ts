import { DriftError, option } from './errors.js';
import type { Random } from './random.js';

/** A detector's sensitivity parameter and the mean run length between false alarms it gives. */
export interface RunLengthParameter {
  parameter: number;
  /**
   * Events between false alarms at `parameter`, as simulated, counting only those on which the
   * rule could fire; when the run held none, the events simulated (a lower bound) and `atLeast`
   * true.
   */
  expectedRunLength: number;
  atLeast: boolean;
}

export interface ParameterForRunLengthOptions {
  /**
   * A fresh alarm for one parameter value: it takes one event's error (1 = wrong) and says
   * whether the rule fires on it, or null while it cannot fire at all (a cooldown after an alarm;
   * its detector still sees the event). A larger parameter must mean a more sensitive rule
   * (ADWIN's δ, FHDDM's δ, HDDM_A's confidence).
   */
  create: (parameter: number) => (error: 0 | 1) => boolean | null;
  /** The reference's error rate, from which the error stream is drawn. */
  errorRate: number;
  /** The parameter's range, both ends > 0; searched on a log scale. */
  low: number;
  high: number;
  /** The target: events between false alarms, on average. */
  eventsPerAlarm: number;
  /** Events simulated per parameter tried. */
  events: number;
  /** Parameters tried by bisection after the two ends. */
  steps?: number;
  random: Random;
}

/**
 * The sensitivity parameter of a sequential detector (ADWIN's δ, FHDDM's δ, HDDM_A's drift
 * confidence) at which it raises a false alarm on average once every `eventsPerAlarm` events of
 * an error stream drawn from the reference's error rate. Detectors on the error stream have no
 * closed-form run length, so each parameter tried runs the detector over the same simulated
 * stream (common random numbers keep the run lengths monotone in the parameter), bisecting on a
 * log scale. The parameter whose run length was nearest the target (in ratio) is returned.
 *
 * @example
 * ```ts
 * // A rule that fires on every run of k errors in a row, more often for a larger parameter.
 * const create = (parameter) => {
 *   const k = Math.max(1, Math.round(10 - parameter));
 *   let run = 0;
 *   return (error) => {
 *     run = error === 1 ? run + 1 : 0;
 *     if (run < k) return false;
 *     run = 0;
 *     return true;
 *   };
 * };
 * const { parameter } = parameterForRunLength({
 *   create, errorRate: 0.5, low: 0.5, high: 9, eventsPerAlarm: 62, events: 100_000,
 *   random: mulberry32(1),
 * });
 * Math.round(10 - parameter); // => 5
 * ```
 */
export function parameterForRunLength(options: ParameterForRunLengthOptions): RunLengthParameter {
  const low = option.positiveFinite(options.low, 'low');
  const high = option.positiveFinite(options.high, 'high');
  if (!(high > low)) {
    throw new DriftError(
      'DW_DRIFT_INVALID_OPTION',
      `option high (${high}) must exceed low (${low})`,
    );
  }
  const errorRate = option.probability(options.errorRate, 'errorRate');
  const target = option.positiveFinite(options.eventsPerAlarm, 'eventsPerAlarm');
  const events = option.positiveInteger(options.events, 'events');
  const steps = option.positiveInteger(options.steps ?? 14, 'steps');
  const errors = new Uint8Array(events);
  for (let i = 0; i < events; i++) errors[i] = options.random() < errorRate ? 1 : 0;

  // Events in a cooldown are left out: the run length is how long a rule that can fire goes
  // before it fires falsely. Counted in, a long cooldown (one alert per episode, or ever) would
  // meet any budget alone, and the most sensitive parameter, firing at the first blip, would win.
  const runLength = (parameter: number): number => {
    const fires = options.create(parameter);
    let alarms = 0;
    let armed = 0;
    for (const error of errors) {
      const fired = fires(error as 0 | 1);
      if (fired === null) continue;
      armed++;
      if (fired) alarms++;
    }
    return alarms === 0 ? Infinity : armed / alarms;
  };
  let best = { parameter: low, length: runLength(low) };
  const consider = (parameter: number, length: number): void => {
    const distance = (value: number): number => Math.abs(Math.log(value / target));
    if (distance(length) < distance(best.length)) best = { parameter, length };
  };
  const result = (): RunLengthParameter => ({
    parameter: best.parameter,
    expectedRunLength: Number.isFinite(best.length) ? best.length : events,
    atLeast: !Number.isFinite(best.length),
  });
  // Too eager at its least sensitive, or too slow at its most: the end is the nearest there is.
  if (best.length <= target) return result();
  const highLength = runLength(high);
  consider(high, highLength);
  if (highLength >= target) return result();
  let logLow = Math.log(low);
  let logHigh = Math.log(high);
  for (let step = 0; step < steps; step++) {
    const middle = Math.exp((logLow + logHigh) / 2);
    const length = runLength(middle);
    consider(middle, length);
    if (length > target) logLow = Math.log(middle);
    else logHigh = Math.log(middle);
  }
  return result();
}
