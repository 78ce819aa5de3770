import type { DetectorDependencies } from './detector-dependencies.js';
import {
  commonEnv,
  ConfigError,
  decimal,
  type EnvConfig,
  flag,
  integer,
  oneOf,
  recordLimitsEnv,
  text,
} from '@driftwatch/service-kit';

/** Every environment variable the detector service reads, with its default. */
export const detectorEnv = {
  ...commonEnv,
  ...recordLimitsEnv,
  /** Default: `<TOPIC_PREFIX>driftwatch-detector`. */
  DETECTOR_GROUP_ID: text(''),
  /**
   * Partition numbers whose batches are handled at once (bus `partitionsConcurrently`), each in
   * its own transaction: a labeled prediction then waits for its own partition's batches, not for
   * every partition fetched with it. A model's sketches and labeled predictions share a partition
   * number, and that number's batches still come one at a time. 1: one batch after the other.
   */
  DETECTOR_CONCURRENT_PARTITIONS: integer(6, { min: 1, max: 64 }),

  // Concept drift, on the labeled stream.
  /** Labeled predictions in the sliding window for accuracy, precision, recall, F1, ROC-AUC. */
  DETECTOR_WINDOW: integer(1000, { min: 10 }),
  /** ADWIN's confidence on the 0/1 error stream: smaller means fewer false alarms, later alerts. */
  DETECTOR_ADWIN_DELTA: decimal(0.002, { min: 1e-12, max: 0.5 }),
  /** Labeled predictions per block for the block-accuracy rule. */
  DETECTOR_BLOCK_SIZE: integer(500, { min: 1 }),
  /** Alert when a block's accuracy falls below this; 0 turns the rule off. */
  DETECTOR_BLOCK_ACCURACY_THRESHOLD: decimal(0, { min: 0, max: 1 }),
  /** Alert (kind performance) when the full window's accuracy falls below this; 0: off. */
  DETECTOR_ACCURACY_THRESHOLD: decimal(0, { min: 0, max: 1 }),
  /** Once a threshold rule fired, it re-arms only after the value recovers by this much. */
  DETECTOR_REARM_MARGIN: decimal(0.02, { min: 0, max: 1 }),
  /**
   * The rule that watches the 0/1 error stream for concept drift: ADWIN, or FHDDM, FHDDMS and
   * HDDM_A (published to detect sooner at equal false alarms), each with its paper's defaults.
   */
  DETECTOR_CONCEPT_DETECTOR: oneOf(['adwin', 'fhddm', 'fhddms', 'hddm-a'], 'adwin'),
  /** After an ADWIN alert, labeled predictions before it may alert again for the same model version. */
  DETECTOR_ADWIN_COOLDOWN: integer(1000, { min: 0 }),

  // Data drift, on the unlabeled stream.
  /** Predictions per PSI window. */
  DETECTOR_PSI_WINDOW: integer(1000, { min: 10 }),
  DETECTOR_PSI_WINDOW_KIND: oneOf(['sliding', 'tumbling'], 'tumbling'),
  /** Alert when a feature's (or the score's) PSI exceeds this; 0.2 is the usual "significant". */
  DETECTOR_PSI_THRESHOLD: decimal(0.2, { min: 0 }),
  /** A feature's PSI alert re-arms once its PSI falls below threshold × this. */
  DETECTOR_PSI_REARM_RATIO: decimal(0.5, { min: 0, max: 1 }),
  /** KS test of each PSI window against the reference sample, as a second opinion; 0: off. */
  DETECTOR_KS_ALPHA: decimal(0, { min: 0, max: 0.5 }),
  /**
   * Versions whose reference carries a multivariate profile: cluster occupancy (PSI over the
   * reference's k-means clusters, at DETECTOR_CLUSTER_PSI_THRESHOLD, with a chi-square test) and PCA
   * reconstruction error, every DETECTOR_PSI_WINDOW predictions (tumbling).
   */
  DETECTOR_MULTIVARIATE: flag(true),
  /**
   * Cluster occupancy alerts past this PSI over the clusters (with a chi-square test rejecting at
   * 1%): lower than a feature's 0.2, as a mix over 20 clusters moves less per cluster.
   */
  DETECTOR_CLUSTER_PSI_THRESHOLD: decimal(0.1, { min: 0 }),
  /**
   * Binary versions: alert (kind performance, detector cbpe) when the accuracy estimated without
   * labels over the last DETECTOR_PSI_WINDOW predictions falls this far below what the version's
   * holdout expected; 0 turns the alert off (the estimates are still exported).
   */
  DETECTOR_CBPE_MAX_DROP: decimal(0.05, { min: 0, max: 1 }),

  // Alerts on a budget.
  /**
   * A false-alarm budget instead of raw thresholds: every rule that is on gets the threshold
   * (ADWIN's or FHDDM's delta, HDDM_A's confidence, the block and window accuracy floors, each
   * feature's and the score's PSI, KS's level, CBPE's floor) at which it fires falsely once every
   * this many events of a stream that looks like the version's reference, on average: labeled
   * predictions for concept rules, predictions for data rules. Calibrated by simulation from the
   * version's reference (its bins and holdout accuracy) when the version is trained or registered
   * (retrain requests carry these settings), or by the detector when the version carries no
   * calibration made under them. Needs tumbling PSI windows and at least 4 windows and blocks per
   * false alarm. 0: raw thresholds.
   *
   * A million by default: with the six or so rules a version has on, traffic that did not change
   * raises a false alarm about every 170,000 events, and none in the demo or in the 24,000-event
   * stationary control; 50,000 raised four in 50,000 such events (`npm run bench:detectors`).
   * Larger budgets cost precision, not time: the simulation is capped (see simulatedEvents).
   */
  DETECTOR_FALSE_ALARM_EVERY: integer(1_000_000, { min: 0 }),

  // Retrain policies, each on or off.
  /** Ask for a retrain after a concept-drift alert. */
  RETRAIN_ON_DRIFT: flag(true),
  /** Ask for a retrain after a data-drift alert too. */
  RETRAIN_ON_DATA_DRIFT: flag(false),
  /** Ask for a retrain when the full window's accuracy is below this; 0: off. */
  RETRAIN_ACCURACY_BELOW: decimal(0, { min: 0, max: 1 }),
  /** Ask for a retrain every interval for a model with traffic; 0: off. */
  RETRAIN_INTERVAL_MS: integer(0, { min: 0 }),
  /** Ask for a retrain after this many labeled predictions of one version; 0: off. */
  RETRAIN_AFTER_LABELED: integer(0, { min: 0 }),
  /**
   * Ask for a retrain (reason edge_cases) each time the serving version has collected this many
   * labeled edge cases (events inference found where its reference was sparse), while they are at
   * least RETRAIN_EDGE_CASE_SHARE of recent labeled predictions; 0: off.
   */
  RETRAIN_AFTER_EDGE_CASES: integer(200, { min: 0 }),
  /**
   * Edge cases ask only while they are at least this share of the last ~1,000 labeled predictions
   * (exponentially weighted). Traffic drawn like the reference has about 1% of them at inference's
   * default p99 (calibrated on held-out reference rows), so 2% says traffic moved where the
   * reference was sparse; without it, a model that is fine would be retrained every ~20,000 labels.
   * Raise it with INFERENCE_EDGE_CASE_QUANTILE=p90 (10% by construction); 0: the count alone.
   */
  RETRAIN_EDGE_CASE_SHARE: decimal(0.02, { min: 0, max: 1 }),
  /**
   * A drift or performance trigger waits for this many labeled predictions after it before the
   * request goes out, so the challenger has data of the new concept to learn from.
   */
  RETRAIN_MIN_ROWS: integer(1000, { min: 0 }),
  /** A request with no resulting model version after this long no longer blocks new ones. */
  RETRAIN_IN_FLIGHT_TIMEOUT_MS: integer(30 * 60_000, { min: 1000 }),
  /**
   * Alerts of one model version, from any rule, within this many milliseconds of each other (by
   * their records' timestamps) are one incident: one id in every alert, at most one retrain
   * request. 0: every alert is an incident of its own.
   */
  DETECTOR_INCIDENT_WINDOW_MS: integer(10 * 60_000, { min: 0 }),
};

/**
 * Refuses a false-alarm budget the calibration cannot honour: a sliding PSI window is checked at
 * every prediction, so its run length is not the per-window one the calibration computes; and a
 * budget of fewer than 4 windows (or blocks) per false alarm leaves no room for a threshold.
 */
export function checkFalseAlarmBudget(config: EnvConfig<typeof detectorEnv>): void {
  const every = config.DETECTOR_FALSE_ALARM_EVERY;
  if (every === 0) return;
  const problems = [];
  if (config.DETECTOR_PSI_WINDOW_KIND !== 'tumbling') {
    problems.push({
      variable: 'DETECTOR_FALSE_ALARM_EVERY',
      problem: `a false-alarm budget needs DETECTOR_PSI_WINDOW_KIND=tumbling, not ${config.DETECTOR_PSI_WINDOW_KIND} (DETECTOR_FALSE_ALARM_EVERY=0 keeps raw thresholds)`,
    });
  }
  const window = Math.max(config.DETECTOR_PSI_WINDOW, config.DETECTOR_BLOCK_SIZE);
  if (every < 4 * window) {
    problems.push({
      variable: 'DETECTOR_FALSE_ALARM_EVERY',
      problem: `must be at least 4 windows of DETECTOR_PSI_WINDOW and DETECTOR_BLOCK_SIZE (${4 * window}), got ${every}`,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** The monitors' and the policy's options, as the service runs them, from its configuration. */
export function detectorOptions(
  config: EnvConfig<typeof detectorEnv>,
): DetectorDependencies['options'] {
  return {
    concept: {
      window: config.DETECTOR_WINDOW,
      adwinDelta: config.DETECTOR_ADWIN_DELTA,
      blockSize: config.DETECTOR_BLOCK_SIZE,
      blockAccuracyThreshold: config.DETECTOR_BLOCK_ACCURACY_THRESHOLD,
      accuracyThreshold: config.DETECTOR_ACCURACY_THRESHOLD,
      rearmMargin: config.DETECTOR_REARM_MARGIN,
      adwinCooldown: config.DETECTOR_ADWIN_COOLDOWN,
      conceptDetector: config.DETECTOR_CONCEPT_DETECTOR,
      falseAlarmEvery: config.DETECTOR_FALSE_ALARM_EVERY,
    },
    data: {
      window: config.DETECTOR_PSI_WINDOW,
      kind: config.DETECTOR_PSI_WINDOW_KIND,
      psiThreshold: config.DETECTOR_PSI_THRESHOLD,
      rearmRatio: config.DETECTOR_PSI_REARM_RATIO,
      ksAlpha: config.DETECTOR_KS_ALPHA,
      cbpeMaxDrop: config.DETECTOR_CBPE_MAX_DROP,
      cbpeRearmMargin: config.DETECTOR_REARM_MARGIN,
      falseAlarmEvery: config.DETECTOR_FALSE_ALARM_EVERY,
      multivariate: config.DETECTOR_MULTIVARIATE,
      clusterPsiThreshold: config.DETECTOR_CLUSTER_PSI_THRESHOLD,
    },
    policy: {
      onDrift: config.RETRAIN_ON_DRIFT,
      onDataDrift: config.RETRAIN_ON_DATA_DRIFT,
      accuracyBelow: config.RETRAIN_ACCURACY_BELOW,
      rearmMargin: config.DETECTOR_REARM_MARGIN,
      intervalMs: config.RETRAIN_INTERVAL_MS,
      afterLabeled: config.RETRAIN_AFTER_LABELED,
      afterEdgeCases: config.RETRAIN_AFTER_EDGE_CASES,
      edgeCaseShare: config.RETRAIN_EDGE_CASE_SHARE,
      minRows: config.RETRAIN_MIN_ROWS,
      inFlightTimeoutMs: config.RETRAIN_IN_FLIGHT_TIMEOUT_MS,
      incidentWindowMs: config.DETECTOR_INCIDENT_WINDOW_MS,
    },
  };
}
