import {
  Adwin,
  parameterForRunLength,
  slidingMeanFloorForRunLength,
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
 * outcome). Larger parameters are more sensitive for all four.
 */
function errorStreamAlarm(
  rule: ConceptSettings['conceptDetector'],
  cooldown: number,
): (parameter: number) => (error: 0 | 1) => boolean {
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
      if (!fires(error) || since <= cooldown) return false;
      since = 0;
      return true;
    };
  };
}

/**
 * Calibrates a version's concept rules to the budget by simulation, from the one thing the null
 * hypothesis needs: its holdout accuracy (each labeled prediction is right with that
 * probability). The block rule is a statistic per block, read off simulated blocks; the window
 * floor and the error-stream rule run over simulated streams. The floors are absolute, so they
 * keep to the budget only as well as the holdout measured the accuracy; ADWIN and FHDDM compare
 * the stream with itself and depend on it far less.
 */
export function calibrateConceptRules(
  holdoutAccuracy: number,
  options: ConceptSettings,
  eventsPerAlarm: number,
): ConceptCalibration {
  const rule = options.conceptDetector;
  const errorRate = 1 - holdoutAccuracy;
  const correct = (random: Random): number => (random() < holdoutAccuracy ? 1 : 0);
  const errorStream = parameterForRunLength({
    create: errorStreamAlarm(rule, options.adwinCooldown),
    errorRate,
    low: 1e-12,
    high: 0.99,
    eventsPerAlarm,
    events: simulatedEvents(eventsPerAlarm, 10 * options.adwinCooldown),
    random: seededFor(`error-stream:${rule}`),
  });
  // A rule at 0 is off, and stays off on a budget.
  const blockAccuracy =
    options.blockAccuracyThreshold > 0
      ? unlessDegenerate(() => {
          const random = seededFor('block-accuracy');
          const windowsPerAlarm = eventsPerAlarm / options.blockSize;
          const blocks = Float64Array.from({ length: simulatedWindows(windowsPerAlarm) }, () => {
            let right = 0;
            for (let i = 0; i < options.blockSize; i++) right += correct(random);
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
            draw: correct,
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
