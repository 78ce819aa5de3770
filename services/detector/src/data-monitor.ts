import {
  calibrateDataRules,
  clusterTrackName,
  dataRuleTracks,
  type DataRuleTrackSource,
} from '@driftwatch/alarms';
import {
  DriftError,
  ksTwoSample,
  type CbpeEstimate,
  StreamingPsi,
  type PsiWindowKind,
  type StreamingPsiState,
} from '@driftwatch/drift';
import type { CalibratedRule, DataCalibration, ReferenceProfile } from '@driftwatch/topics';

import { budgetNote, count, threeSignificant } from './alert-text.js';
import {
  EstimatedPerformance,
  type EstimatedPerformanceState,
  type EstimateSignal,
} from './estimated-performance.js';
import {
  MultivariateMonitor,
  type MultivariateMonitorState,
  type MultivariateOptions,
  type MultivariateSnapshot,
} from './multivariate-monitor.js';
import { ThresholdGate, type ThresholdGateState } from './threshold-gate.js';
import { TimestampRing, type TimestampRingState } from './timestamp-ring.js';

export interface DataMonitorOptions {
  window: number;
  kind: PsiWindowKind;
  psiThreshold: number;
  /** A PSI alert re-arms once PSI falls below threshold × this. */
  rearmRatio: number;
  /** 0: no KS test. */
  ksAlpha: number;
  /** Binary versions with a calibration: alert when CBPE's estimated accuracy drops this much; 0: off. */
  cbpeMaxDrop: number;
  /** The CBPE alert re-arms once the estimate is this far back above its floor. */
  cbpeRearmMargin: number;
  /**
   * The false-alarm budget in predictions per rule (tumbling windows only); 0 or absent: the raw
   * thresholds above. With one, each rule's threshold is calibrated on the version's reference.
   */
  falseAlarmEvery?: number;
  /** The rules already calibrated to that budget for this reference; computed when absent. */
  calibration?: DataCalibration | null;
  /**
   * Cluster occupancy and reconstruction error over tumbling windows of `window`, for versions whose
   * reference carries a multivariate profile. Default true.
   */
  multivariate?: boolean;
  /** Cluster occupancy's PSI threshold (`MultivariateOptions.psiThreshold`). Default 0.1. */
  clusterPsiThreshold?: number;
}

export interface UnlabeledObservation {
  features: Readonly<Record<string, number | null>>;
  score: number;
  /** Multiclass: each class's probability, in class order. */
  probabilities?: readonly (number | null)[];
  ts: number;
}

/** Evidence that the inputs (or the scores) no longer look like the training data. */
export interface DataSignal {
  kind: 'data';
  detector:
    'psi' | 'psi-score' | 'psi-class-probability' | 'ks' | 'cluster-occupancy' | 'reconstruction';
  /** The feature; the class for a class's probability; null for the (binary) score. */
  feature: string | null;
  statistic: number;
  threshold: number;
  windowStart: number;
  windowEnd: number;
  severity: 'warning' | 'critical';
  /** For people: what changed, by how much, against what. */
  summary: string;
  /** Predictions between false alarms the rule was calibrated to; null: raw threshold. */
  expectedRunLength: number | null;
}

interface Track {
  name: string;
  source: DataRuleTrackSource;
  psi: StreamingPsi;
  gate: ThresholdGate;
  ksGate: ThresholdGate;
  /** The PSI threshold calibrated to the budget; null: the raw `psiThreshold`. */
  budget: CalibratedRule | null;
  /** KS only: the reference sample and the values of the window being filled. */
  sample: readonly number[];
  values: number[];
}

export interface DataMonitorState {
  tracks: {
    name: string;
    psi: StreamingPsiState;
    gate: ThresholdGateState;
    ksGate: ThresholdGateState;
    values: number[];
  }[];
  timestamps: TimestampRingState;
  observed: number;
  /** Absent in snapshots written before the detector estimated performance. */
  estimate?: EstimatedPerformanceState | null;
  /** The rules calibrated to a false-alarm budget; absent or null: raw thresholds. */
  calibration?: DataCalibration | null;
  /** Absent in snapshots written before multivariate drift, and for versions without it. */
  multivariate?: MultivariateMonitorState | null;
}

function trackValue(
  source: DataRuleTrackSource,
  observation: UnlabeledObservation,
): number | null | undefined {
  switch (source.of) {
    case 'feature':
      return observation.features[source.feature];
    case 'score':
      return observation.score;
    case 'class-probability':
      return observation.probabilities?.[source.index];
  }
}

function detectorOf(source: DataRuleTrackSource): DataSignal['detector'] {
  return source.of === 'feature'
    ? 'psi'
    : source.of === 'score'
      ? 'psi-score'
      : 'psi-class-probability';
}

/** What a track measures, as a sentence names it. */
function describe(source: DataRuleTrackSource): string {
  switch (source.of) {
    case 'feature':
      return `the distribution of ${source.feature}`;
    case 'score':
      return "the distribution of the model's scores";
    case 'class-probability':
      return `the distribution of the probability of class ${source.className}`;
  }
}

function featureOf(source: DataRuleTrackSource): string | null {
  return source.of === 'feature' ? source.feature : source.of === 'score' ? null : source.className;
}

/**
 * The version's multivariate rules, from its snapshot when that revives, else afresh; null when
 * the reference itself does not revive (clusters the schema let through but the drift package
 * refuses, say shares that do not add up to 1): the version is then judged feature by feature, as
 * a version without a multivariate reference is, rather than stopping the detector.
 */
function reviveMultivariate(
  reference: NonNullable<ReferenceProfile['multivariate']>,
  options: MultivariateOptions,
  saved: MultivariateMonitorState | undefined,
): MultivariateMonitor | null {
  for (const state of saved ? [saved, undefined] : [undefined]) {
    try {
      return new MultivariateMonitor(reference, options, state);
    } catch (error) {
      if (!(error instanceof DriftError)) throw error;
    }
  }
  return null;
}

/**
 * Data drift of one model version: PSI of each feature and of the score (multiclass: of each
 * class's probability) against the reference
 * profile of the version's training data, over sliding or tumbling windows of predictions. A
 * binary version whose reference carries a calibration also gets its performance estimated from
 * the same predictions' scores ({@link EstimatedPerformance}, over the last `window`). Each
 * feature alerts once per episode: it re-arms when its PSI has fallen back under
 * threshold × rearmRatio. With `ksAlpha` > 0 and a reference sample, a two-sample KS test of each
 * full window gives a second opinion (its alert's statistic is the p-value).
 */
export class DataMonitor {
  readonly #options: DataMonitorOptions;
  readonly #tracks: Track[];
  readonly #timestamps: TimestampRing;
  readonly #estimate: EstimatedPerformance | null;
  readonly #calibration: DataCalibration | null;
  readonly #multivariate: MultivariateMonitor | null;
  #observed = 0;

  constructor(reference: ReferenceProfile, options: DataMonitorOptions, state?: DataMonitorState) {
    this.#options = options;
    const psiGate = {
      direction: 'above',
      rearmMargin: (threshold: number) => threshold * (1 - options.rearmRatio),
    } as const;
    const ksGate = { direction: 'below', rearmMargin: () => 0 } as const;
    const profiles = dataRuleTracks(reference);
    const budget = options.falseAlarmEvery ?? 0;
    this.#calibration =
      state?.calibration ??
      options.calibration ??
      (budget > 0 ? calibrateDataRules(reference, options, budget) : null);
    const calibration = this.#calibration;
    const saved = new Map(state?.tracks.map((track) => [track.name, track]));
    this.#tracks = profiles.map(({ profile, source, name, bins }) => {
      const restored = saved.get(name);
      return {
        name,
        source,
        psi: restored
          ? StreamingPsi.fromJSON(restored.psi)
          : new StreamingPsi(bins, { window: options.window, kind: options.kind }),
        gate: new ThresholdGate(psiGate, restored?.gate),
        ksGate: new ThresholdGate(ksGate, restored?.ksGate),
        budget: calibration?.psi[name] ?? null,
        sample: options.ksAlpha > 0 ? profile.sample : [],
        values: restored ? [...restored.values] : [],
      };
    });
    this.#timestamps = state
      ? TimestampRing.fromJSON(state.timestamps)
      : new TimestampRing(options.window);
    this.#observed = state?.observed ?? 0;
    const estimateOptions = {
      window: options.window,
      maxDrop: options.cbpeMaxDrop,
      rearmMargin: options.cbpeRearmMargin,
      floor: calibration?.cbpe ?? null,
    };
    const savedEstimate = state?.estimate ?? undefined;
    const outputCalibration = reference.cbpe ?? reference.classCbpe;
    this.#estimate = outputCalibration
      ? new EstimatedPerformance(
          outputCalibration,
          estimateOptions,
          savedEstimate && EstimatedPerformance.fits(estimateOptions, savedEstimate)
            ? savedEstimate
            : undefined,
        )
      : null;
    const multivariateOptions = {
      window: options.window,
      psiThreshold: options.clusterPsiThreshold ?? 0.1,
      occupancyBudget: calibration?.psi[clusterTrackName] ?? null,
      reconstructionBudget: calibration?.reconstruction ?? null,
    };
    const savedMultivariate = state?.multivariate ?? undefined;
    this.#multivariate =
      reference.multivariate && options.multivariate !== false
        ? reviveMultivariate(
            reference.multivariate,
            multivariateOptions,
            savedMultivariate && MultivariateMonitor.fits(multivariateOptions, savedMultivariate)
              ? savedMultivariate
              : undefined,
          )
        : null;
  }

  /** Whether a snapshot taken under other options can be continued under these. */
  static fits(options: DataMonitorOptions, state: DataMonitorState): boolean {
    // A snapshot calibrated to another budget (or to none) is judged against other thresholds.
    if ((state.calibration?.eventsPerAlarm ?? 0) !== (options.falseAlarmEvery ?? 0)) return false;
    return state.tracks.every(
      (track) => track.psi.window === options.window && track.psi.kind === options.kind,
    );
  }

  observe(observation: UnlabeledObservation): (DataSignal | EstimateSignal)[] {
    const signals: (DataSignal | EstimateSignal)[] = [];
    this.#observed++;
    this.#timestamps.push(observation.ts);
    const { window } = this.#options;
    const ks = this.#calibration?.ks ?? null;
    const ksAlpha = ks?.threshold ?? this.#options.ksAlpha;
    const estimated = this.#estimate?.observe(
      observation.score,
      observation.probabilities,
      this.#timestamps.oldest(),
      observation.ts,
    );
    if (estimated) signals.push(estimated);
    for (const track of this.#tracks) {
      const value = trackValue(track.source, observation);
      // A feature the event did not carry cannot be compared; inference dead-letters such events.
      if (value === null || value === undefined || !Number.isFinite(value)) continue;
      const windowFull = track.psi.update(value);
      if (track.sample.length > 0) track.values.push(value);
      if (!windowFull) continue;
      const psi = track.psi.value ?? 0;
      const psiThreshold = track.budget?.threshold ?? this.#options.psiThreshold;
      if (track.gate.check(psi, psiThreshold)) {
        signals.push({
          kind: 'data',
          detector: detectorOf(track.source),
          feature: featureOf(track.source),
          statistic: psi,
          threshold: psiThreshold,
          windowStart: this.#timestamps.oldest(),
          windowEnd: observation.ts,
          severity: psi >= 2 * psiThreshold ? 'critical' : 'warning',
          summary: `${describe(track.source)} moved away from training: PSI ${psi.toFixed(3)} over the last ${count(window)} predictions (alert at ${threeSignificant(psiThreshold)}${track.budget ? budgetNote(track.budget.expectedRunLength, 'predictions') : ''}; above 0.25 is usually a major shift)`,
          expectedRunLength: track.budget?.expectedRunLength ?? null,
        });
      }
      // KS re-sorts its samples, so it runs once per `window` values even on a sliding window.
      if (track.sample.length > 0 && track.values.length >= window) {
        const { pValue } = ksTwoSample(track.sample, track.values);
        track.values = [];
        if (track.ksGate.check(pValue, ksAlpha)) {
          signals.push({
            kind: 'data',
            detector: 'ks',
            feature: featureOf(track.source),
            statistic: pValue,
            threshold: ksAlpha,
            windowStart: this.#timestamps.oldest(),
            windowEnd: observation.ts,
            severity: 'warning',
            summary: `${describe(track.source)} differs from training: KS test p-value ${pValue.toExponential(2)} < ${threeSignificant(ksAlpha)} over ${count(window)} predictions${ks ? budgetNote(ks.expectedRunLength, 'predictions', ' (') + ')' : ''}`,
            expectedRunLength: ks?.expectedRunLength ?? null,
          });
        }
      }
    }
    if (this.#multivariate) {
      signals.push(
        ...this.#multivariate.observe(
          observation.features,
          this.#timestamps.oldest(),
          observation.ts,
        ),
      );
    }
    return signals;
  }

  /** The last full window's cluster PSI and reconstruction error; null without a multivariate reference. */
  multivariate(): MultivariateSnapshot | null {
    return this.#multivariate?.last ?? null;
  }

  /**
   * PSI of each track's latest full window (undefined while the first fills), and of the clusters
   * (`<clusters>`) with a multivariate reference.
   */
  psiByFeature(): { feature: string | null; psi: number | undefined }[] {
    const clusters = this.#multivariate
      ? [{ feature: clusterTrackName, psi: this.#multivariate.last.clusterPsi }]
      : [];
    return [
      ...this.#tracks.map((track) => ({
        feature:
          track.source.of === 'score'
            ? null
            : track.source.of === 'feature'
              ? track.source.feature
              : track.name,
        psi: track.psi.value,
      })),
      ...clusters,
    ];
  }

  /** The rules calibrated to a false-alarm budget; null with raw thresholds. */
  get calibration(): DataCalibration | null {
    return this.#calibration;
  }

  get observed(): number {
    return this.#observed;
  }

  /** CBPE's estimates over the window; undefined without a calibration or before a prediction. */
  estimate(): CbpeEstimate | undefined {
    return this.#estimate?.estimate();
  }

  toJSON(): DataMonitorState {
    return {
      tracks: this.#tracks.map((track) => ({
        name: track.name,
        psi: track.psi.toJSON(),
        gate: track.gate.toJSON(),
        ksGate: track.ksGate.toJSON(),
        values: track.values,
      })),
      timestamps: this.#timestamps.toJSON(),
      observed: this.#observed,
      estimate: this.#estimate?.toJSON() ?? null,
      calibration: this.#calibration,
      multivariate: this.#multivariate?.toJSON() ?? null,
    };
  }
}
