import {
  Adwin,
  parameterForRunLength,
  slidingMeanFloorForRunLength,
  standardNormal,
  windowThresholdForRunLength,
  type Random,
} from '@driftwatch/drift';
import type { AlarmSettings, ConceptCalibration } from '@driftwatch/topics';

import { createErrorStreamDetector, updateWithError } from './error-stream-detector.js';
import {
  seededFor,
  simulatedEvents,
  simulatedWindows,
  unlessDegenerate,
} from './simulated-run-lengths.js';

type ConceptSettings = AlarmSettings['concept'];

/**
 * The error-stream rules as the concept monitor runs them: ADWIN alarms only on a rise of the
 * error rate; any rule waits out the cooldown after an alarm (its detector still sees every
 * outcome; null: it cannot fire). Larger parameters are more sensitive for all four.
 */
function errorStreamAlarm(
  rule: ConceptSettings['conceptDetector'],
  cooldown: number,
): (parameter: number) => (error: 0 | 1) => boolean | null {
  return (parameter) => {
    let fires: (error: 0 | 1) => boolean;
    if (rule === 'adwin') {
      const adwin = new Adwin({ delta: parameter });
      fires = (error) => {
        const before = adwin.estimation;
        return adwin.update(error) && adwin.estimation > before;
      };
    } else {
      const detector = createErrorStreamDetector(rule, parameter);
      fires = (error) => updateWithError(detector, error);
    }
    let since = cooldown;
    return (error) => {
      since++;
      const fired = fires(error);
      if (since <= cooldown) return null;
      if (!fired) return false;
      since = 0;
      return true;
    };
  };
}

/**
 * Calibrates a version's concept rules to the budget by simulation, from the one thing the null
 * hypothesis needs: its holdout accuracy (each labeled prediction is right with that
 * probability). The block rule is a statistic per block, read off simulated blocks; the window
 * floor and the error-stream rule run over simulated streams.
 *
 * The floors are absolute, so a holdout of a few hundred rows that measured the accuracy a point
 * or two high would put them where fresh blocks fall below them far more often than the budget
 * says (a 400-row holdout at 88% is ±1.6 points; a block of 500 spreads ±1.5). Given
 * `holdoutRows`, each simulated block, and each stretch of 20 windows of the simulated stream,
 * is drawn at an accuracy resampled from the holdout (binomial, read by its normal
 * approximation), so the floors allow for what the holdout left unknown. ADWIN and FHDDM compare
 * the stream with itself, and keep the holdout's accuracy as it is.
 */
export function calibrateConceptRules(
  holdoutAccuracy: number,
  options: ConceptSettings,
  eventsPerAlarm: number,
  holdoutRows: number | null = null,
): ConceptCalibration {
  const rule = options.conceptDetector;
  const errorRate = 1 - holdoutAccuracy;
  const resampledAccuracy = accuracyResampler(holdoutAccuracy, holdoutRows);
  const errorStream = parameterForRunLength({
    create: errorStreamAlarm(rule, options.adwinCooldown),
    errorRate,
    low: 1e-12,
    high: 0.99,
    eventsPerAlarm,
    events: simulatedEvents(eventsPerAlarm, 10 * options.adwinCooldown),
    // 10 halvings of a log range of 10⁻¹² to 0.99 place the parameter within 3%: finer than the
    // simulated run length itself can tell at a large budget, and 4 of 16 runs fewer.
    steps: 10,
    random: seededFor(`error-stream:${rule}`),
  });
  // A rule at 0 is off, and stays off on a budget.
  const blockAccuracy =
    options.blockAccuracyThreshold > 0
      ? unlessDegenerate(() => {
          const random = seededFor('block-accuracy');
          const windowsPerAlarm = eventsPerAlarm / options.blockSize;
          const blocks = Float64Array.from({ length: simulatedWindows(windowsPerAlarm) }, () => {
            const accuracy = resampledAccuracy(random);
            let right = 0;
            for (let i = 0; i < options.blockSize; i++) right += random() < accuracy ? 1 : 0;
            return right / options.blockSize;
          });
          const calibrated = windowThresholdForRunLength(blocks, {
            windowsPerAlarm,
            direction: 'below',
            rearmAt: (threshold) => threshold + options.rearmMargin,
          });
          return {
            threshold: calibrated.threshold,
            expectedRunLength: calibrated.expectedRunLength * options.blockSize,
          };
        })
      : null;
  const windowAccuracy =
    options.accuracyThreshold > 0
      ? unlessDegenerate(() =>
          slidingMeanFloorForRunLength({
            draw: stretchesOf(resampledAccuracy, 20 * options.window),
            window: options.window,
            rearmMargin: options.rearmMargin,
            eventsPerAlarm,
            events: simulatedEvents(eventsPerAlarm, 20 * options.window),
            random: seededFor('window-accuracy'),
          }),
        )
      : null;
  return {
    eventsPerAlarm,
    errorStream: {
      threshold: errorStream.parameter,
      expectedRunLength: errorStream.expectedRunLength,
    },
    blockAccuracy,
    windowAccuracy,
  };
}

/**
 * The accuracy a stretch of the simulated stream runs at: the holdout's, or, given its size,
 * one resampled from it. A resampled holdout's accuracy is binomial around the measured one;
 * over hundreds of rows its normal approximation is close, and costs one draw instead of one per
 * row. Kept inside (0, 1).
 */
function accuracyResampler(
  accuracy: number,
  holdoutRows: number | null,
): (random: Random) => number {
  if (!holdoutRows || holdoutRows <= 0) return () => accuracy;
  const spread = Math.sqrt((accuracy * (1 - accuracy)) / holdoutRows);
  return (random) => Math.min(1 - 1e-9, Math.max(1e-9, accuracy + spread * standardNormal(random)));
}

/** Correct (1) or wrong (0) draws whose accuracy is drawn afresh every `length` events. */
function stretchesOf(accuracyOf: (random: Random) => number, length: number) {
  let accuracy = NaN;
  let left = 0;
  return (random: Random): number => {
    if (left-- <= 0) {
      accuracy = accuracyOf(random);
      left = length - 1;
    }
    return random() < accuracy ? 1 : 0;
  };
}
