import {
  Adwin,
  Cbpe,
  mulberry32,
  parameterForRunLength,
  PsiReference,
  psiNullDistribution,
  slidingMeanFloorForRunLength,
  windowThresholdForRunLength,
  type Random,
  type RunLengthThreshold,
} from '@driftwatch/drift';
import {
  calibrationCbpeState,
  type BinnedDistribution,
  type ScoreCalibration,
} from '@driftwatch/topics';

import { ErrorRateDetector, type ErrorRateDetectorName } from './error-rate-detector.js';

/**
 * A rule calibrated to a false-alarm budget: its threshold (or parameter), and the mean run
 * length between false alarms the simulation measured there, in the events the rule counts.
 */
export type CalibratedRule = RunLengthThreshold;

/** A version's concept rules, calibrated on its holdout accuracy. */
export interface ConceptCalibration {
  /** The budget: labeled predictions between false alarms of each rule, on average. */
  eventsPerAlarm: number;
  /** The error-stream rule's parameter (ADWIN's or FHDDM's δ, HDDM_A's drift confidence). */
  errorStream: CalibratedRule;
  /** Null when the rule is off. */
  blockAccuracy: CalibratedRule | null;
  windowAccuracy: CalibratedRule | null;
}

/** A version's data rules, calibrated on its reference profile. */
export interface DataCalibration {
  /** The budget: predictions between false alarms of each rule, on average. */
  eventsPerAlarm: number;
  /** Each PSI track's threshold, by track name (a feature, `<score>`, `<score:class>`). */
  psi: Record<string, CalibratedRule>;
  /** The KS test's significance level; null when the test is off. */
  ks: CalibratedRule | null;
  /** The floor of CBPE's estimated accuracy; null without a calibration or with the rule off. */
  cbpe: CalibratedRule | null;
}

export interface ConceptBudgetOptions {
  eventsPerAlarm: number;
  errorStreamRule: 'adwin' | ErrorRateDetectorName;
  /** Labeled predictions after an error-stream alarm before it may alarm again. */
  cooldown: number;
  blockSize: number;
  /** Whether the block-accuracy and window-accuracy rules are on. */
  blockAccuracy: boolean;
  windowAccuracy: boolean;
  window: number;
  rearmMargin: number;
}

export interface DataBudgetOptions {
  eventsPerAlarm: number;
  /** Predictions per (tumbling) window. */
  window: number;
  /** A PSI rule re-arms once its PSI is at or under threshold × this. */
  rearmRatio: number;
  ks: boolean;
  cbpe: boolean;
  cbpeRearmMargin: number;
  /** Rows the reference's bins were fitted on (`reference.rows`); null: take them as exact. */
  referenceRows: number | null;
}

/**
 * Alarms the simulations aim to hold at the target: the measured run length of one is then
 * within about 1/√100 = 10% of the truth. Capped so one version costs a few seconds at most.
 */
const simulatedAlarms = 100;
const maxSimulatedEvents = 2_000_000;
const maxSimulatedWindows = 20_000;

function simulatedEvents(eventsPerAlarm: number, atLeast: number): number {
  return Math.max(atLeast, Math.min(maxSimulatedEvents, simulatedAlarms * eventsPerAlarm));
}

function simulatedWindows(windowsPerAlarm: number): number {
  return Math.max(
    2000,
    Math.min(maxSimulatedWindows, Math.ceil(simulatedAlarms * windowsPerAlarm)),
  );
}

/** Each rule's own seeded stream: a version's thresholds are the same on every run and member. */
function seeded(rule: string): Random {
  let hash = 2166136261;
  for (const char of rule) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return mulberry32(hash >>> 0);
}

/**
 * The error-stream rules as the concept monitor runs them: ADWIN alarms only on a rise of the
 * error rate; any rule waits out the cooldown after an alarm (its detector still sees every
 * outcome). Larger parameters are more sensitive for all four.
 */
function errorStreamAlarm(
  rule: ConceptBudgetOptions['errorStreamRule'],
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
      const detector = new ErrorRateDetector(rule, undefined, parameter);
      fires = (error) => detector.update(error) !== null;
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
  options: ConceptBudgetOptions,
): ConceptCalibration {
  const { eventsPerAlarm } = options;
  const errorRate = 1 - holdoutAccuracy;
  const correct = (random: Random): number => (random() < holdoutAccuracy ? 1 : 0);
  const errorStream = parameterForRunLength({
    create: errorStreamAlarm(options.errorStreamRule, options.cooldown),
    errorRate,
    low: 1e-12,
    high: 0.99,
    eventsPerAlarm,
    events: simulatedEvents(eventsPerAlarm, 10 * options.cooldown),
    random: seeded(`error-stream:${options.errorStreamRule}`),
  });
  let blockAccuracy: CalibratedRule | null = null;
  if (options.blockAccuracy) {
    const random = seeded('block-accuracy');
    const windowsPerAlarm = eventsPerAlarm / options.blockSize;
    const blocks = Float64Array.from({ length: simulatedWindows(windowsPerAlarm) }, () => {
      let right = 0;
      for (let i = 0; i < options.blockSize; i++) right += correct(random);
      return right / options.blockSize;
    });
    const rule = windowThresholdForRunLength(blocks, {
      windowsPerAlarm,
      direction: 'below',
      rearmAt: (threshold) => threshold + options.rearmMargin,
    });
    blockAccuracy = {
      threshold: rule.threshold,
      expectedRunLength: rule.expectedRunLength * options.blockSize,
    };
  }
  const windowAccuracy = options.windowAccuracy
    ? slidingMeanFloorForRunLength({
        draw: correct,
        window: options.window,
        rearmMargin: options.rearmMargin,
        eventsPerAlarm,
        events: simulatedEvents(eventsPerAlarm, 20 * options.window),
        random: seeded('window-accuracy'),
      })
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
 * Calibrates a version's data rules to the budget from its reference profile: each PSI track's
 * threshold from PSI of windows drawn from the track's own bins (the exact null of a tumbling
 * PSI, whatever the values inside a bin), allowing for how few rows fitted them; the KS level from the test's uniform p-values under
 * the null; CBPE's floor from scores drawn from the score's bins, their estimated correctness
 * centred on what the holdout expected.
 */
export function calibrateDataRules(
  tracks: readonly { name: string; profile: BinnedDistribution }[],
  calibration: ScoreCalibration | null,
  scoreProfile: BinnedDistribution | null,
  options: DataBudgetOptions,
): DataCalibration {
  const { eventsPerAlarm, window } = options;
  const windowsPerAlarm = eventsPerAlarm / window;
  const psi: Record<string, CalibratedRule> = {};
  for (const { name, profile } of tracks) {
    const reference = PsiReference.fromJSON({
      kind: 'numeric',
      edges: [...profile.edges],
      proportions: [...profile.proportions],
    });
    const values = psiNullDistribution(reference, {
      window,
      windows: simulatedWindows(windowsPerAlarm),
      ...(options.referenceRows ? { referenceRows: options.referenceRows } : {}),
      random: seeded(`psi:${name}`),
    });
    const rule = windowThresholdForRunLength(values, {
      windowsPerAlarm,
      direction: 'above',
      rearmAt: (threshold) => threshold * options.rearmRatio,
    });
    psi[name] = { threshold: rule.threshold, expectedRunLength: rule.expectedRunLength * window };
  }
  return {
    eventsPerAlarm,
    psi,
    ks: options.ks ? ksLevel(windowsPerAlarm, window) : null,
    cbpe:
      options.cbpe && calibration && scoreProfile
        ? cbpeFloor(calibration, scoreProfile, options)
        : null,
  };
}

/**
 * Under the null a KS p-value is uniform, so the test fires with probability α per window and
 * re-arms with 1 − α: the run length is 1/α + 1/(1 − α) windows, solved for α. Features with
 * ties make the test conservative (alarms rarer than this), never eager.
 */
function ksLevel(windowsPerAlarm: number, window: number): CalibratedRule {
  const alpha = windowsPerAlarm >= 4 ? (1 - Math.sqrt(1 - 4 / windowsPerAlarm)) / 2 : 0.5;
  return { threshold: alpha, expectedRunLength: (1 / alpha + 1 / (1 - alpha)) * window };
}

/** Scores drawn in a pool this large give each simulated window's mean its own variance. */
const scorePoolSize = 100_000;

function cbpeFloor(
  calibration: ScoreCalibration,
  scoreProfile: BinnedDistribution,
  options: DataBudgetOptions,
): CalibratedRule {
  const cbpe = Cbpe.fromJSON(calibrationCbpeState(calibration));
  const random = seeded('cbpe');
  const { edges, proportions } = scoreProfile;
  const total = proportions.reduce((sum, share) => sum + share, 0);
  const pool = new Float64Array(scorePoolSize);
  for (let i = 0; i < pool.length; i++) {
    let u = random() * total;
    let bin = 0;
    while (bin < proportions.length - 1 && u >= (proportions[bin] ?? 0))
      u -= proportions[bin++] ?? 0;
    const low = Math.max(0, edges[bin] ?? 0);
    const high = Math.min(1, edges[bin + 1] ?? 1);
    const score = low + (high - low) * random();
    const probability = cbpe.probability(score);
    pool[i] = cbpe.predicts(score) ? probability : 1 - probability;
  }
  // Inside a bin the simulation spreads scores evenly, which moves the mean a little; the
  // holdout measured where it is.
  const shift =
    calibration.expectedAccuracy - pool.reduce((sum, value) => sum + value, 0) / pool.length;
  for (let i = 0; i < pool.length; i++) pool[i] = (pool[i] ?? 0) + shift;
  return slidingMeanFloorForRunLength({
    draw: (r) => pool[Math.floor(r() * pool.length)] ?? 0,
    window: options.window,
    rearmMargin: options.cbpeRearmMargin,
    eventsPerAlarm: options.eventsPerAlarm,
    events: simulatedEvents(options.eventsPerAlarm, 20 * options.window),
    random: seeded('cbpe-stream'),
  });
}
