import { DriftError, option } from './errors.js';
import type { Random } from './random.js';
import type { RunLengthThreshold } from './run-length-threshold.js';

export interface SlidingMeanFloorOptions {
  /** Draws one event's value under the reference: 1 or 0 for a correct prediction, … */
  draw: (random: Random) => number;
  /** Events in the sliding window whose mean the rule watches; it is checked once full. */
  window: number;
  /** A fired rule re-arms once the mean is back at or above the floor plus this. */
  rearmMargin: number;
  /** The target: events between false alarms, on average. */
  eventsPerAlarm: number;
  /** Events to simulate; the more alarms they hold at the target, the closer the estimate. */
  events: number;
  random: Random;
}

/** Candidate floors tried, spread over the lower tail of the simulated means. */
const candidateCount = 240;

/**
 * The floor under which the mean of a sliding window, checked at every event, falls on average
 * once every `eventsPerAlarm` events when events are drawn from the reference: a
 * window-accuracy floor, or a floor on the accuracy CBPE estimates. Neighbouring windows share
 * all but one event, so no closed form gives the run length; one long simulated stream runs every
 * candidate floor side by side, each with its own re-arming (as `ThresholdGate` does), and the
 * candidate whose alarms are spaced nearest the target (in ratio) wins. Candidates span 0.5 to 8
 * standard deviations of the simulated means below their average.
 *
 * @example
 * ```ts
 * const random = mulberry32(7);
 * const { threshold, expectedRunLength } = slidingMeanFloorForRunLength({
 *   draw: (r) => (r() < 0.9 ? 1 : 0),
 *   window: 100,
 *   rearmMargin: 0.02,
 *   eventsPerAlarm: 5000,
 *   events: 200_000,
 *   random,
 * });
 * threshold < 0.9; // => true
 * expectedRunLength > 5000 / 1.5 && expectedRunLength < 5000 * 1.5; // => true
 * ```
 */
export function slidingMeanFloorForRunLength(options: SlidingMeanFloorOptions): RunLengthThreshold {
  const window = option.positiveInteger(options.window, 'window');
  const margin = option.nonNegativeFinite(options.rearmMargin, 'rearmMargin');
  const target = option.positiveFinite(options.eventsPerAlarm, 'eventsPerAlarm');
  const events = option.positiveInteger(options.events, 'events');
  if (events < 2 * window) {
    throw new DriftError(
      'DW_DRIFT_INVALID_OPTION',
      `option events (${events}) must be at least two windows (${2 * window})`,
    );
  }
  const means = slidingMeans(options.draw, options.random, window, events);
  let sum = 0;
  let sumOfSquares = 0;
  for (const mean of means) {
    sum += mean;
    sumOfSquares += mean * mean;
  }
  const average = sum / means.length;
  const deviation = Math.sqrt(Math.max(0, sumOfSquares / means.length - average * average));
  if (!(deviation > 0)) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      'the simulated window mean never varies, so no floor can be set',
    );
  }
  const floors = Float64Array.from(
    { length: candidateCount },
    (_, k) => average - deviation * (0.5 + (7.5 * k) / (candidateCount - 1)),
  );
  const alarms = new Int32Array(candidateCount);
  const armedEvents = new Float64Array(candidateCount);
  const armed = new Uint8Array(candidateCount).fill(1);
  for (const mean of means) {
    for (let k = 0; k < candidateCount; k++) {
      const floor = floors[k] ?? NaN;
      if (armed[k] === 1) {
        armedEvents[k] = (armedEvents[k] ?? 0) + 1;
        if (mean < floor) {
          armed[k] = 0;
          alarms[k] = (alarms[k] ?? 0) + 1;
        }
      } else if (mean >= floor + margin) {
        armed[k] = 1;
      }
    }
  }
  let best: RunLengthThreshold | null = null;
  let bestDistance = Infinity;
  for (let k = 0; k < candidateCount; k++) {
    const count = alarms[k] ?? 0;
    if (count === 0) break;
    // Events checked while armed, per alarm: how long a rule that was just armed (a new
    // version, or one recovered) goes before its next false alarm. Counting the events it spends
    // disarmed too would credit a floor just under the mean, which fires at once and then waits
    // for a recovery of `rearmMargin` (many σ of a long window's mean) that hardly comes, with a
    // run length of the whole simulation. The first `window − 1` events only fill the window.
    const runLength = (armedEvents[k] ?? 0) / count;
    const distance = Math.abs(Math.log(runLength / target));
    if (distance < bestDistance) {
      bestDistance = distance;
      best = { threshold: floors[k] ?? NaN, expectedRunLength: runLength };
    }
  }
  if (!best) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      'no candidate floor ever fired in the simulation: simulate more events',
    );
  }
  return best;
}

/** The window's mean after each event from the first full window on. */
function slidingMeans(
  draw: (random: Random) => number,
  random: Random,
  window: number,
  events: number,
): Float64Array {
  const ring = new Float64Array(window);
  const means = new Float64Array(events - window + 1);
  let sum = 0;
  for (let i = 0; i < events; i++) {
    const value = draw(random);
    const slot = i % window;
    sum += value - (ring[slot] ?? 0);
    ring[slot] = value;
    // Re-adding a float window drifts by rounding; a fresh sum each window keeps it exact enough.
    if (slot === window - 1) sum = ring.reduce((total, v) => total + v, 0);
    if (i >= window - 1) means[i - window + 1] = sum / window;
  }
  return means;
}
