import {
  Adwin,
  BlockAccuracy,
  PrequentialAccuracy,
  WindowedClassificationMetrics,
  WindowedMulticlassMetrics,
  type AdwinState,
  type BlockAccuracyState,
  type PrequentialAccuracyState,
  type WindowedClassificationMetricsState,
  type WindowedMulticlassMetricsState,
} from '@driftwatch/drift';
import { defaultBinaryClasses } from '@driftwatch/topics';

import { budgetNote, count, percent, threeSignificant } from './alert-text.js';
import {
  ErrorRateDetector,
  type ErrorRateDetectorName,
  type ErrorRateDetectorState,
} from './error-rate-detector.js';
import type { ConceptCalibration } from '@driftwatch/topics';
import { ThresholdGate, type ThresholdGateState } from './threshold-gate.js';
import { TimestampRing, type TimestampRingState } from './timestamp-ring.js';

export interface ConceptMonitorOptions {
  /** Labeled predictions in the sliding window of the classification metrics. */
  window: number;
  adwinDelta: number;
  blockSize: number;
  /** 0 turns the block-accuracy rule off. */
  blockAccuracyThreshold: number;
  /** 0 turns the window-accuracy (performance) rule off. */
  accuracyThreshold: number;
  rearmMargin: number;
  /** Labeled predictions after a concept-drift alert before the error-stream rule may alert again. */
  adwinCooldown: number;
  /**
   * Which rule watches the error stream for concept drift (default `adwin`). With another, ADWIN
   * still runs for its gauges but does not alert.
   */
  conceptDetector?: 'adwin' | ErrorRateDetectorName;
  /**
   * The false-alarm budget in labeled predictions per rule; 0 or absent: the raw thresholds above.
   * With one, `calibration` (the version's rules calibrated to it) replaces them.
   */
  falseAlarmEvery?: number;
  calibration?: ConceptCalibration | null;
}

export interface LabeledObservation {
  /** The true class's index. */
  label: number;
  /** The predicted class's index. */
  predicted: number;
  /** Binary: the positive class's probability. */
  score: number;
  /** Each class's probability, in class order: needed for three or more classes. */
  probabilities?: readonly number[];
  /** When the labeled record was written (Kafka timestamp, epoch ms). */
  ts: number;
}

/** Evidence that the model's relation between features and label changed. */
export interface ConceptSignal {
  kind: 'concept' | 'performance';
  detector: 'adwin' | ErrorRateDetectorName | 'block-accuracy' | 'window-accuracy';
  statistic: number;
  threshold: number;
  windowStart: number;
  windowEnd: number;
  severity: 'warning' | 'critical';
  /** For people: what changed, by how much, against what. */
  summary: string;
  /** Labeled predictions between false alarms the rule was calibrated to; null: raw threshold. */
  expectedRunLength: number | null;
}

export interface ConceptMetrics {
  count: number;
  accuracy: number;
  /** Binary: of the positive class. Multiclass: macro averages over every class. */
  precision: number;
  recall: number;
  f1: number;
  /** Binary: ROC AUC of the score. Multiclass: one-vs-rest macro ROC AUC. */
  rocAuc: number;
  /**
   * Multiclass: each class's recall in the window, by class name (NaN for a class with no label
   * in it). Empty for a binary model, whose `recall` is the positive class's.
   */
  classRecall: Record<string, number>;
  prequentialAccuracy: number;
  adwinWidth: number;
  /** ADWIN's estimate of the error rate. */
  adwinErrorRate: number;
  blockAccuracy: number;
  labeled: number;
}

export interface ConceptMonitorState {
  /** The version's classes; absent in snapshots taken before they were kept (binary). */
  classes?: string[];
  metrics: WindowedClassificationMetricsState | WindowedMulticlassMetricsState;
  timestamps: TimestampRingState;
  adwin: AdwinState;
  blocks: BlockAccuracyState;
  blockStartTs: number;
  prequential: PrequentialAccuracyState;
  blockGate: ThresholdGateState;
  accuracyGate: ThresholdGateState;
  labeledSinceAdwinAlert: number;
  labeled: number;
  /** The error-stream rule other than ADWIN, when one is chosen; absent for ADWIN. */
  errorRateDetector?: ErrorRateDetectorState;
  /** The rules calibrated to a false-alarm budget; absent or null: raw thresholds. */
  calibration?: ConceptCalibration | null;
  /**
   * The budget the monitor was made under (absent: none), even when its version could not be
   * calibrated to it (no holdout accuracy) and runs on raw thresholds.
   */
  falseAlarmEvery?: number;
}

function belowWithRearmMargin(options: ConceptMonitorOptions) {
  return { direction: 'below', rearmMargin: () => options.rearmMargin } as const;
}

/** The thresholds a monitor runs with: its calibration's, or else the raw options'. */
function effectiveThresholds(
  options: ConceptMonitorOptions,
  calibration: ConceptCalibration | null,
) {
  const errorStream = calibration?.errorStream.threshold;
  const adwin = (options.conceptDetector ?? 'adwin') === 'adwin';
  return {
    adwinDelta: adwin && errorStream !== undefined ? errorStream : options.adwinDelta,
    /** FHDDM(S)'s δ or HDDM_A's confidence; undefined: the paper's default. */
    errorRateSensitivity: adwin ? undefined : errorStream,
    blockAccuracy: calibration?.blockAccuracy?.threshold ?? options.blockAccuracyThreshold,
    accuracy: calibration?.windowAccuracy?.threshold ?? options.accuracyThreshold,
  };
}

/** The sliding-window metrics of a binary or a multiclass model, read alike. */
type WindowMetrics = WindowedClassificationMetrics | WindowedMulticlassMetrics;

/**
 * Concept drift of one model version, from its labeled predictions: sliding-window accuracy,
 * precision, recall, F1 and ROC-AUC (macro and one-vs-rest for three or more classes, and each
 * class's recall); ADWIN on the 0/1 error stream (or FHDDM, FHDDMS or HDDM_A, when chosen); the
 * block-accuracy rule; and
 * a window-accuracy floor. Each rule raises one signal per episode, not one per record: ADWIN
 * waits out a cooldown, and the threshold rules re-arm only once the value has recovered.
 *
 * ADWIN signals only a rise of the error rate: a model getting better is change, not a problem.
 */
export class ConceptMonitor {
  readonly #options: ConceptMonitorOptions;
  readonly #classes: readonly string[];
  readonly #metrics: WindowMetrics;
  readonly #timestamps: TimestampRing;
  readonly #adwin: Adwin;
  readonly #blocks: BlockAccuracy;
  readonly #prequential: PrequentialAccuracy;
  readonly #blockGate: ThresholdGate;
  readonly #accuracyGate: ThresholdGate;
  /** The chosen error-stream rule when it is not ADWIN. */
  readonly #errorRateDetector: ErrorRateDetector | null;
  readonly #calibration: ConceptCalibration | null;
  readonly #falseAlarmEvery: number;
  readonly #thresholds: ReturnType<typeof effectiveThresholds>;
  #blockStartTs = 0;
  #labeledSinceAdwinAlert: number;
  #labeled = 0;

  /** `classes`: the version's, in probability order (a snapshot's own when restoring one). */
  constructor(
    options: ConceptMonitorOptions,
    state?: ConceptMonitorState,
    classes: readonly string[] = defaultBinaryClasses,
  ) {
    this.#options = options;
    this.#calibration = state ? (state.calibration ?? null) : (options.calibration ?? null);
    this.#falseAlarmEvery = state ? (state.falseAlarmEvery ?? 0) : (options.falseAlarmEvery ?? 0);
    this.#thresholds = effectiveThresholds(options, this.#calibration);
    if (state) {
      this.#classes = state.classes ?? defaultBinaryClasses;
      this.#metrics =
        'classCount' in state.metrics
          ? WindowedMulticlassMetrics.fromJSON(state.metrics)
          : WindowedClassificationMetrics.fromJSON(state.metrics);
      this.#timestamps = TimestampRing.fromJSON(state.timestamps);
      this.#adwin = Adwin.fromJSON(state.adwin);
      this.#blocks = BlockAccuracy.fromJSON(state.blocks);
      this.#prequential = PrequentialAccuracy.fromJSON(state.prequential);
      this.#blockGate = new ThresholdGate(belowWithRearmMargin(options), state.blockGate);
      this.#accuracyGate = new ThresholdGate(belowWithRearmMargin(options), state.accuracyGate);
      this.#blockStartTs = state.blockStartTs;
      this.#labeledSinceAdwinAlert = state.labeledSinceAdwinAlert;
      this.#labeled = state.labeled;
      this.#errorRateDetector = state.errorRateDetector
        ? new ErrorRateDetector(state.errorRateDetector.name, state.errorRateDetector)
        : null;
      return;
    }
    this.#classes = classes;
    this.#metrics =
      classes.length > 2
        ? new WindowedMulticlassMetrics({ window: options.window, classCount: classes.length })
        : new WindowedClassificationMetrics({ window: options.window, positiveLabel: 1 });
    this.#timestamps = new TimestampRing(options.window);
    this.#adwin = new Adwin({ delta: this.#thresholds.adwinDelta });
    this.#blocks = new BlockAccuracy({
      blockSize: options.blockSize,
      threshold: this.#thresholds.blockAccuracy,
    });
    this.#prequential = new PrequentialAccuracy();
    this.#blockGate = new ThresholdGate(belowWithRearmMargin(options));
    this.#accuracyGate = new ThresholdGate(belowWithRearmMargin(options));
    this.#labeledSinceAdwinAlert = options.adwinCooldown;
    const chosen = options.conceptDetector ?? 'adwin';
    this.#errorRateDetector =
      chosen === 'adwin'
        ? null
        : new ErrorRateDetector(chosen, undefined, this.#thresholds.errorRateSensitivity);
  }

  /** Whether a snapshot taken under other options can be continued under these. */
  static fits(options: ConceptMonitorOptions, state: ConceptMonitorState): boolean {
    const calibration = state.calibration ?? null;
    // A snapshot made under another budget (or none) is judged against other thresholds.
    if ((state.falseAlarmEvery ?? 0) !== (options.falseAlarmEvery ?? 0)) return false;
    const thresholds = effectiveThresholds(options, calibration);
    return (
      state.metrics.window === options.window &&
      state.adwin.delta === thresholds.adwinDelta &&
      state.blocks.blockSize === options.blockSize &&
      state.blocks.threshold === thresholds.blockAccuracy &&
      (state.errorRateDetector?.name ?? 'adwin') === (options.conceptDetector ?? 'adwin')
    );
  }

  observe(observation: LabeledObservation): ConceptSignal[] {
    const { label, predicted, score, probabilities, ts } = observation;
    const correct = label === predicted;
    const signals: ConceptSignal[] = [];
    this.#labeled++;
    this.#labeledSinceAdwinAlert++;
    if (this.#metrics instanceof WindowedMulticlassMetrics) {
      this.#metrics.update({ label, predicted, probabilities: probabilities ?? [] });
    } else {
      this.#metrics.update({ label, predicted, score });
    }
    this.#timestamps.push(ts);
    this.#prequential.update(correct);

    const errorRateBefore = this.#adwin.estimation;
    const widthBefore = this.#adwin.width;
    const error = correct ? 0 : 1;
    if (this.#adwin.update(error)) {
      const errorRateAfter = this.#adwin.estimation;
      if (
        this.#errorRateDetector === null &&
        errorRateAfter > errorRateBefore &&
        this.#labeledSinceAdwinAlert > this.#options.adwinCooldown
      ) {
        this.#labeledSinceAdwinAlert = 0;
        // The statistic compares the whole window before and after ADWIN dropped its old part,
        // which can read "0.2433 vs 0.2414"; a person needs the old part against the new.
        const kept = this.#adwin.width;
        const dropped = widthBefore + 1 - kept;
        const droppedRate =
          (errorRateBefore * widthBefore + error - errorRateAfter * kept) / dropped;
        signals.push({
          kind: 'concept',
          detector: 'adwin',
          statistic: errorRateAfter,
          threshold: errorRateBefore,
          windowStart: this.#timestamps.ago(Math.min(this.#adwin.width, this.#options.window) - 1),
          windowEnd: ts,
          severity: 'warning',
          summary: `the error rate rose from ${percent(droppedRate)} over ${count(dropped)} labeled predictions to ${percent(errorRateAfter)} over the last ${count(kept)} (ADWIN, delta ${threeSignificant(this.#thresholds.adwinDelta)}${this.#budgetNote(this.#calibration?.errorStream)})`,
          expectedRunLength: this.#calibration?.errorStream.expectedRunLength ?? null,
        });
      }
    }

    const detection = this.#errorRateDetector?.update(error);
    if (detection && this.#labeledSinceAdwinAlert > this.#options.adwinCooldown) {
      this.#labeledSinceAdwinAlert = 0;
      signals.push({
        kind: 'concept',
        detector: this.#errorRateDetector?.name ?? 'adwin',
        statistic: detection.statistic,
        threshold: detection.threshold,
        windowStart: this.#timestamps.ago(Math.min(this.#adwin.width, this.#options.window) - 1),
        windowEnd: ts,
        severity: 'warning',
        summary: `${detection.summary}${this.#budgetNote(this.#calibration?.errorStream, ';')}`,
        expectedRunLength: this.#calibration?.errorStream.expectedRunLength ?? null,
      });
    }

    if ((this.#labeled - 1) % this.#options.blockSize === 0) this.#blockStartTs = ts;
    const block = this.#blocks.update(correct);
    const blockFloor = this.#thresholds.blockAccuracy;
    if (block && blockFloor > 0) {
      if (this.#blockGate.check(block.accuracy, blockFloor)) {
        signals.push({
          kind: 'concept',
          detector: 'block-accuracy',
          statistic: block.accuracy,
          threshold: blockFloor,
          windowStart: this.#blockStartTs,
          windowEnd: ts,
          severity: 'warning',
          summary: `accuracy over a block of ${count(this.#options.blockSize)} labeled predictions fell to ${percent(block.accuracy)}, below the floor of ${percent(blockFloor)} (block accuracy${this.#budgetNote(this.#calibration?.blockAccuracy)})`,
          expectedRunLength: this.#calibration?.blockAccuracy?.expectedRunLength ?? null,
        });
      }
    }

    const floor = this.#thresholds.accuracy;
    if (floor > 0 && this.#metrics.count === this.#options.window) {
      const accuracy = this.#metrics.accuracy;
      if (this.#accuracyGate.check(accuracy, floor)) {
        signals.push({
          kind: 'performance',
          detector: 'window-accuracy',
          statistic: accuracy,
          threshold: floor,
          windowStart: this.#timestamps.oldest(),
          windowEnd: ts,
          severity: 'critical',
          summary: `accuracy over the last ${count(this.#options.window)} labeled predictions fell to ${percent(accuracy)}, below the floor of ${percent(floor)} (window accuracy${this.#budgetNote(this.#calibration?.windowAccuracy)})`,
          expectedRunLength: this.#calibration?.windowAccuracy?.expectedRunLength ?? null,
        });
      }
    }
    return signals;
  }

  /** ", calibrated to one false alarm every N labeled predictions", or nothing without a budget. */
  #budgetNote(rule: { expectedRunLength: number } | null | undefined, separator = ','): string {
    return rule ? budgetNote(rule.expectedRunLength, 'labeled predictions', separator) : '';
  }

  /** The rules calibrated to a false-alarm budget; null with raw thresholds. */
  get calibration(): ConceptCalibration | null {
    return this.#calibration;
  }

  /** The full window's accuracy, or undefined while the window is filling. */
  get fullWindowAccuracy(): number | undefined {
    return this.#metrics.count === this.#options.window ? this.#metrics.accuracy : undefined;
  }

  /** Timestamp of the oldest labeled prediction in the window. */
  get windowStart(): number {
    return this.#timestamps.oldest();
  }

  /** The version's classes, in probability order. */
  get classes(): readonly string[] {
    return this.#classes;
  }

  metrics(): ConceptMetrics {
    const window = this.#metrics.snapshot();
    const recalls =
      this.#metrics instanceof WindowedMulticlassMetrics ? this.#metrics.classRecall : [];
    return {
      classRecall: Object.fromEntries(
        recalls.map((recall, k) => [this.#classes[k] ?? String(k), recall]),
      ),
      count: window.count,
      accuracy: window.accuracy,
      precision: window.precision,
      recall: window.recall,
      f1: window.f1,
      rocAuc: window.rocAuc,
      prequentialAccuracy: this.#prequential.value,
      adwinWidth: this.#adwin.width,
      adwinErrorRate: this.#adwin.estimation,
      blockAccuracy: this.#blocks.accuracy,
      labeled: this.#labeled,
    };
  }

  toJSON(): ConceptMonitorState {
    return {
      classes: [...this.#classes],
      metrics: this.#metrics.toJSON(),
      timestamps: this.#timestamps.toJSON(),
      adwin: this.#adwin.toJSON(),
      blocks: this.#blocks.toJSON(),
      blockStartTs: this.#blockStartTs,
      prequential: this.#prequential.toJSON(),
      blockGate: this.#blockGate.toJSON(),
      accuracyGate: this.#accuracyGate.toJSON(),
      labeledSinceAdwinAlert: this.#labeledSinceAdwinAlert,
      labeled: this.#labeled,
      ...(this.#errorRateDetector ? { errorRateDetector: this.#errorRateDetector.toJSON() } : {}),
      calibration: this.#calibration,
      falseAlarmEvery: this.#falseAlarmEvery,
    };
  }
}
