import {
  Adwin,
  categoricalSampler,
  Cbpe,
  DriftError,
  mulberry32,
  parameterForRunLength,
  psiNullDistribution,
  slidingMeanFloorForRunLength,
  windowThresholdForRunLength,
  type PsiReference,
  type Random,
  type RunLengthThreshold,
} from '@driftwatch/drift';
import {
  calibrationCbpeState,
  type BinnedDistribution,
  type ReferenceProfile,
  type ScoreCalibration,
} from '@driftwatch/topics';

import type { ConceptMonitorOptions } from './concept-monitor.js';
import type { DataMonitorOptions } from './data-monitor.js';
import { ErrorRateDetector } from './error-rate-detector.js';

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
  /** Null when the rule is off, or cannot vary (raw threshold). */
  blockAccuracy: CalibratedRule | null;
  windowAccuracy: CalibratedRule | null;
}

/** A version's data rules, calibrated on its reference profile. */
export interface DataCalibration {
  /** The budget: predictions between false alarms of each rule, on average. */
  eventsPerAlarm: number;
  /**
   * Each PSI track's threshold, by track name (a feature, `<score>`, `<score:class>`); a track
   * missing here cannot vary (one bin) and keeps the raw threshold.
   */
  psi: Record<string, CalibratedRule>;
  /** The KS test's significance level; null when the test is off. */
  ks: CalibratedRule | null;
  /** The floor of CBPE's estimated accuracy; null without a calibration or with the rule off. */
  cbpe: CalibratedRule | null;
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
 * A rule whose statistic cannot vary under its reference (a feature constant in the training
 * rows has one bin, and PSI 0 forever; blocks of a version that never erred) cannot be put on a
 * budget: it keeps its raw threshold (null here) instead of stopping the detector.
 */
function unlessDegenerate(calibrate: () => CalibratedRule): CalibratedRule | null {
  try {
    return calibrate();
  } catch (error) {
    if (error instanceof DriftError && error.code === 'DW_DRIFT_INVALID_INPUT') return null;
    throw error;
  }
}

/**
 * The error-stream rules as the concept monitor runs them: ADWIN alarms only on a rise of the
 * error rate; any rule waits out the cooldown after an alarm (its detector still sees every
 * outcome). Larger parameters are more sensitive for all four.
 */
function errorStreamAlarm(
  rule: NonNullable<ConceptMonitorOptions['conceptDetector']>,
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
  options: ConceptMonitorOptions,
): ConceptCalibration {
  const eventsPerAlarm = options.falseAlarmEvery ?? 0;
  const rule = options.conceptDetector ?? 'adwin';
  const errorRate = 1 - holdoutAccuracy;
  const correct = (random: Random): number => (random() < holdoutAccuracy ? 1 : 0);
  const errorStream = parameterForRunLength({
    create: errorStreamAlarm(rule, options.adwinCooldown),
    errorRate,
    low: 1e-12,
    high: 0.99,
    eventsPerAlarm,
    events: simulatedEvents(eventsPerAlarm, 10 * options.adwinCooldown),
    random: seeded(`error-stream:${rule}`),
  });
  // A rule at 0 is off, and stays off on a budget.
  const blockAccuracy =
    options.blockAccuracyThreshold > 0
      ? unlessDegenerate(() => {
          const random = seeded('block-accuracy');
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
            random: seeded('window-accuracy'),
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
 * Calibrates a version's data rules to the budget from its reference profile: each PSI track's
 * threshold from PSI of windows drawn from the track's own bins (the exact null of a tumbling
 * PSI, whatever the values inside a bin), allowing for how few rows fitted them; the KS level
 * from the test's uniform p-values under the null; CBPE's floor from scores drawn from the
 * score's bins, their estimated correctness centred on what the holdout expected.
 */
export function calibrateDataRules(
  tracks: readonly { name: string; bins: PsiReference }[],
  reference: Pick<ReferenceProfile, 'cbpe' | 'score' | 'rows'>,
  options: DataMonitorOptions,
): DataCalibration {
  const eventsPerAlarm = options.falseAlarmEvery ?? 0;
  const { window } = options;
  const windowsPerAlarm = eventsPerAlarm / window;
  const psi: Record<string, CalibratedRule> = {};
  for (const { name, bins } of tracks) {
    const rule = unlessDegenerate(() => {
      const values = psiNullDistribution(bins, {
        window,
        windows: simulatedWindows(windowsPerAlarm),
        ...(reference.rows ? { referenceRows: reference.rows } : {}),
        random: seeded(`psi:${name}`),
      });
      const calibrated = windowThresholdForRunLength(values, {
        windowsPerAlarm,
        direction: 'above',
        rearmAt: (threshold) => threshold * options.rearmRatio,
      });
      return { ...calibrated, expectedRunLength: calibrated.expectedRunLength * window };
    });
    if (rule) psi[name] = rule;
  }
  const { cbpe, score } = reference;
  return {
    eventsPerAlarm,
    psi,
    // Rules at 0 are off, and stay off on a budget.
    ks: options.ksAlpha > 0 ? ksLevel(windowsPerAlarm, window) : null,
    cbpe:
      options.cbpeMaxDrop > 0 && cbpe && score
        ? unlessDegenerate(() => cbpeFloor(cbpe, score, { ...options, eventsPerAlarm }))
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
  options: DataMonitorOptions & { eventsPerAlarm: number },
): CalibratedRule {
  const cbpe = Cbpe.fromJSON(calibrationCbpeState(calibration));
  const random = seeded('cbpe');
  const { edges, proportions } = scoreProfile;
  const drawBin = categoricalSampler(proportions);
  const pool = new Float64Array(scorePoolSize);
  for (let i = 0; i < pool.length; i++) {
    const bin = drawBin(random);
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
