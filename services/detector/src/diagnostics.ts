import type { BusDiagnostics } from '@driftwatch/bus';
import { labelDelayBuckets } from '@driftwatch/service-kit';
import { deadLetterCodes, type DriftAlert, type RetrainRequest } from '@driftwatch/topics';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import type { CbpeEstimate } from '@driftwatch/drift';

import type { ConceptMetrics } from './concept-monitor.js';

/** Everything the detector reports, declared in one place. */
export interface DetectorDiagnostics extends BusDiagnostics {
  conceptMetrics(model: string, version: number, metrics: ConceptMetrics): void;
  dataMetrics(
    model: string,
    version: number,
    psi: readonly { feature: string | null; psi: number | undefined }[],
    estimate?: CbpeEstimate,
    /** The last full window's mean PCA reconstruction error, for versions with a multivariate reference. */
    reconstructionError?: number,
  ): void;
  versionRetired(model: string, version: number): void;
  alerted(alert: DriftAlert): void;
  retrainRequested(request: RetrainRequest): void;
  retrainDeduplicated(model: string, reason: string): void;
  labelDelay(model: string, delayMs: number): void;
  deadLettered(code: string): void;
  staleVersion(model: string, stream: 'concept' | 'data'): void;
  /** A record of an A/B candidate's prediction, left out of the serving version's monitoring. */
  candidateRecord(model: string, stream: 'concept' | 'data'): void;
  /**
   * One labeled prediction of any version — serving, an A/B candidate, or one still receiving
   * late labels — and whether it was right: each version's live accuracy, per A/B arm.
   */
  liveOutcome(model: string, version: number, correct: boolean): void;
  /** A shadow's trial decided on live evidence: promoted, or retired (also when overtaken). */
  shadowDecided(model: string, decision: 'promoted' | 'retired'): void;
  /**
   * A version's rules put on the false-alarm budget, per stream: with the calibration the version
   * carries (`version`), or simulated here because it carries none made under these settings.
   */
  alarmsCalibrated(model: string, stream: 'concept' | 'data', by: 'version' | 'detector'): void;
  unknownVersion(model: string, version: number): void;
}

export interface DetectorDiagnosticsOptions {
  /** The topics the detector consumes, whose consumed-records series exist from the start. */
  consumedTopics?: readonly string[];
}

/** Every (kind, detector) pair an alert can carry: the concept and data monitors' signals. */
export const alertDetectors: readonly { kind: DriftAlert['kind']; detector: string }[] = [
  { kind: 'concept', detector: 'adwin' },
  { kind: 'concept', detector: 'fhddm' },
  { kind: 'concept', detector: 'fhddms' },
  { kind: 'concept', detector: 'hddm-a' },
  { kind: 'concept', detector: 'block-accuracy' },
  { kind: 'performance', detector: 'window-accuracy' },
  { kind: 'performance', detector: 'cbpe' },
  { kind: 'data', detector: 'psi' },
  { kind: 'data', detector: 'psi-score' },
  { kind: 'data', detector: 'psi-class-probability' },
  { kind: 'data', detector: 'ks' },
  { kind: 'data', detector: 'cluster-occupancy' },
  { kind: 'data', detector: 'reconstruction' },
];
const retrainReasons: readonly RetrainRequest['reason'][] = [
  'drift',
  'performance',
  'schedule',
  'volume',
  'manual',
  'edge_cases',
];

/**
 * Every counter exists at 0 for the label values known when it could first be incremented —
 * topics and dead-letter codes at start, a model's alert, retrain and skipped-record series when
 * the detector first reports on one of its versions — so the first increment is a step
 * `increase()` sees, not a series appearing at 1.
 */
export function createDetectorDiagnostics(
  registry: Registry,
  options: DetectorDiagnosticsOptions = {},
): DetectorDiagnostics {
  const registers = [registry];
  const perVersion = ['model', 'model_version'];
  const windowGauge = (name: string, help: string): Gauge =>
    new Gauge({
      name: `driftwatch_detector_window_${name}`,
      help,
      labelNames: perVersion,
      registers,
    });
  const accuracy = windowGauge(
    'accuracy_ratio',
    'Accuracy over the sliding window of labeled predictions.',
  );
  const precision = windowGauge(
    'precision_ratio',
    'Precision over the sliding window (multiclass: macro average).',
  );
  const recall = windowGauge(
    'recall_ratio',
    'Recall over the sliding window (multiclass: macro average).',
  );
  const f1 = windowGauge('f1_ratio', 'F1 over the sliding window (multiclass: macro average).');
  const rocAuc = windowGauge(
    'roc_auc_ratio',
    'ROC-AUC over the sliding window (multiclass: one-vs-rest macro; NaN while a class lacks positives or negatives).',
  );
  const classRecall = new Gauge({
    name: 'driftwatch_detector_window_class_recall_ratio',
    help: "Multiclass: each class's recall over the sliding window (NaN while the class has no label in it).",
    labelNames: [...perVersion, 'class'],
    registers,
  });
  const windowCount = windowGauge('predictions', 'Labeled predictions in the sliding window.');
  const prequential = new Gauge({
    name: 'driftwatch_detector_prequential_accuracy_ratio',
    help: 'Prequential accuracy with a fading factor.',
    labelNames: perVersion,
    registers,
  });
  const blockAccuracy = new Gauge({
    name: 'driftwatch_detector_block_accuracy_ratio',
    help: 'Accuracy of the last completed block.',
    labelNames: perVersion,
    registers,
  });
  const adwinWidth = new Gauge({
    name: 'driftwatch_detector_adwin_width_predictions',
    help: "ADWIN's window width on the error stream.",
    labelNames: perVersion,
    registers,
  });
  const adwinErrorRate = new Gauge({
    name: 'driftwatch_detector_adwin_error_rate_ratio',
    help: "ADWIN's estimate of the error rate.",
    labelNames: perVersion,
    registers,
  });
  const labeled = new Gauge({
    name: 'driftwatch_detector_labeled_predictions',
    help: 'Labeled predictions seen for the serving version.',
    labelNames: perVersion,
    registers,
  });
  const psi = new Gauge({
    name: 'driftwatch_detector_psi',
    help: 'PSI of the latest window against the training reference; feature="<score>" for the score.',
    labelNames: [...perVersion, 'feature'],
    registers,
  });
  const reconstruction = new Gauge({
    name: 'driftwatch_detector_reconstruction_error',
    help: "Mean PCA reconstruction error of the latest window of inputs, against the reference's principal components.",
    labelNames: perVersion,
    registers,
  });
  const alerts = new Counter({
    name: 'driftwatch_detector_alerts_total',
    help: 'Drift alerts published, by kind and detector.',
    labelNames: ['model', 'kind', 'detector'],
    registers,
  });
  const retrains = new Counter({
    name: 'driftwatch_detector_retrain_requests_total',
    help: 'Retrain requests published, by reason.',
    labelNames: ['model', 'reason'],
    registers,
  });
  const deduplicated = new Counter({
    name: 'driftwatch_detector_retrain_requests_deduplicated_total',
    help: 'Retrain causes dropped because a request for the model was in flight.',
    labelNames: ['model', 'reason'],
    registers,
  });
  const labelDelay = new Histogram({
    name: 'driftwatch_detector_label_delay_seconds',
    help: 'Event-time delay from a prediction to its label.',
    labelNames: ['model'],
    buckets: [...labelDelayBuckets],
    registers,
  });
  const deadLetters = new Counter({
    name: 'driftwatch_detector_dead_letters_total',
    help: 'Records sent to the dead-letter topic, by reason code.',
    labelNames: ['code'],
    registers,
  });
  const stale = new Counter({
    name: 'driftwatch_detector_stale_version_records_total',
    help: 'Records of a model version older than the one monitored (late labels), ignored.',
    labelNames: ['model', 'stream'],
    registers,
  });
  const candidate = new Counter({
    name: 'driftwatch_detector_candidate_records_total',
    help: "Records of an A/B candidate's predictions, left out of the serving version's monitoring.",
    labelNames: ['model', 'stream'],
    registers,
  });
  const shadowDecisions = new Counter({
    name: 'driftwatch_detector_shadow_decisions_total',
    help: 'Shadow trials decided on live labels: promoted, or retired (worse, or overtaken by a newer serving version).',
    labelNames: ['model', 'decision'],
    registers,
  });
  const alarmCalibrations = new Counter({
    name: 'driftwatch_detector_alarm_calibrations_total',
    help: 'Model versions whose rules were put on the false-alarm budget, per stream: by the calibration the version carries (by=version), or simulated by the detector (by=detector, in a worker thread), which holds that batch for seconds.',
    labelNames: ['model', 'stream', 'by'],
    registers,
  });
  const live = new Counter({
    name: 'driftwatch_detector_live_predictions_total',
    help: 'Labeled predictions of every model version (serving, A/B candidate, or retired but still labeled), by outcome: correct or wrong. correct / all is the live accuracy per version, or per A/B arm.',
    labelNames: ['model', 'model_version', 'outcome'],
    registers,
  });
  const liveVersions = new Set<string>();
  const unknown = new Counter({
    name: 'driftwatch_detector_unknown_version_records_total',
    help: 'Feature batches of a model version missing from model-versions, skipped.',
    labelNames: ['model'],
    registers,
  });
  const consumed = new Counter({
    name: 'driftwatch_detector_records_consumed_total',
    help: 'Records consumed, by topic.',
    labelNames: ['topic'],
    registers,
  });
  const retries = new Counter({
    name: 'driftwatch_detector_batch_retries_total',
    help: 'Batches retried after a retriable failure.',
    registers,
  });
  const consumerLag = new Gauge({
    name: 'driftwatch_detector_consumer_lag_records',
    help: 'Records of a partition left to read after the last batch consumed from it.',
    labelNames: ['topic', 'partition'],
    registers,
  });
  for (const topic of options.consumedTopics ?? []) consumed.inc({ topic }, 0);
  for (const code of deadLetterCodes) deadLetters.inc({ code }, 0);
  const seenModels = new Set<string>();
  const seeModel = (model: string): void => {
    if (seenModels.has(model)) return;
    seenModels.add(model);
    for (const { kind, detector } of alertDetectors) alerts.inc({ model, kind, detector }, 0);
    for (const reason of retrainReasons) {
      retrains.inc({ model, reason }, 0);
      deduplicated.inc({ model, reason }, 0);
    }
    for (const stream of ['concept', 'data']) {
      stale.inc({ model, stream }, 0);
      candidate.inc({ model, stream }, 0);
      for (const by of ['version', 'detector']) alarmCalibrations.inc({ model, stream, by }, 0);
    }
    unknown.inc({ model }, 0);
    for (const decision of ['promoted', 'retired']) shadowDecisions.inc({ model, decision }, 0);
  };
  /** Features with a PSI series, per `<model>/<version>`, so a retired version's can be removed. */
  const psiFeatures = new Map<string, Set<string>>();
  /** Classes with a recall series, per `<model>/<version>`, for the same reason. */
  const recallClasses = new Map<string, string[]>();
  const estimatedGauge = (name: string, what: string): Gauge =>
    new Gauge({
      name: `driftwatch_detector_estimated_${name}_ratio`,
      help: `${what} estimated without labels (CBPE) over the last DETECTOR_PSI_WINDOW predictions of a binary version with a calibration.`,
      labelNames: perVersion,
      registers,
    });
  const estimated = {
    accuracy: estimatedGauge('accuracy', 'Accuracy'),
    precision: estimatedGauge('precision', 'Precision'),
    recall: estimatedGauge('recall', 'Recall'),
    f1: estimatedGauge('f1', 'F1'),
    rocAuc: estimatedGauge('roc_auc', 'ROC AUC'),
  };
  const versionGauges = [
    ...Object.values(estimated),
    accuracy,
    precision,
    recall,
    f1,
    rocAuc,
    windowCount,
    prequential,
    blockAccuracy,
    adwinWidth,
    adwinErrorRate,
    labeled,
  ];

  return {
    batchProcessed: ({ topic, partition, records, lag }) => {
      consumed.inc({ topic }, records);
      consumerLag.set({ topic, partition: String(partition) }, lag);
    },
    batchRetried: () => {
      retries.inc();
    },
    conceptMetrics: (model, version, metrics) => {
      seeModel(model);
      const labels = { model, model_version: String(version) };
      accuracy.set(labels, metrics.accuracy);
      precision.set(labels, metrics.precision);
      recall.set(labels, metrics.recall);
      f1.set(labels, metrics.f1);
      rocAuc.set(labels, metrics.rocAuc);
      windowCount.set(labels, metrics.count);
      prequential.set(labels, metrics.prequentialAccuracy);
      blockAccuracy.set(labels, metrics.blockAccuracy);
      adwinWidth.set(labels, metrics.adwinWidth);
      adwinErrorRate.set(labels, metrics.adwinErrorRate);
      labeled.set(labels, metrics.labeled);
      const classes = Object.keys(metrics.classRecall);
      if (classes.length > 0) recallClasses.set(`${model}/${version}`, classes);
      for (const [name, value] of Object.entries(metrics.classRecall)) {
        classRecall.set({ ...labels, class: name }, value);
      }
    },
    dataMetrics: (model, version, values, estimate, reconstructionError) => {
      seeModel(model);
      if (reconstructionError !== undefined) {
        reconstruction.set({ model, model_version: String(version) }, reconstructionError);
      }
      if (estimate) {
        const labels = { model, model_version: String(version) };
        for (const [name, gauge] of Object.entries(estimated)) {
          const value = estimate[name as keyof typeof estimated];
          // NaN (precision with no predicted positive, AUC of one class) is left unset, not exported.
          if (Number.isFinite(value)) gauge.set(labels, value);
        }
      }
      const features = psiFeatures.get(`${model}/${version}`) ?? new Set<string>();
      psiFeatures.set(`${model}/${version}`, features);
      for (const { feature, psi: value } of values) {
        if (value === undefined) continue;
        features.add(feature ?? '<score>');
        psi.set({ model, model_version: String(version), feature: feature ?? '<score>' }, value);
      }
    },
    versionRetired: (model, version) => {
      // A retired version's series would otherwise show its last values forever.
      const labels = { model, model_version: String(version) };
      for (const gauge of versionGauges) gauge.remove(labels);
      for (const feature of psiFeatures.get(`${model}/${version}`) ?? [])
        psi.remove({ ...labels, feature });
      psiFeatures.delete(`${model}/${version}`);
      for (const name of recallClasses.get(`${model}/${version}`) ?? [])
        classRecall.remove({ ...labels, class: name });
      recallClasses.delete(`${model}/${version}`);
    },
    alerted: (alert) => {
      seeModel(alert.model);
      alerts.inc({ model: alert.model, kind: alert.kind, detector: alert.detector });
    },
    retrainRequested: (request) => {
      seeModel(request.model);
      retrains.inc({ model: request.model, reason: request.reason });
    },
    retrainDeduplicated: (model, reason) => {
      seeModel(model);
      deduplicated.inc({ model, reason });
    },
    labelDelay: (model, delayMs) => {
      seeModel(model);
      labelDelay.observe({ model }, Math.max(0, delayMs) / 1000);
    },
    deadLettered: (code) => {
      deadLetters.inc({ code });
    },
    staleVersion: (model, stream) => {
      seeModel(model);
      stale.inc({ model, stream });
    },
    candidateRecord: (model, stream) => {
      seeModel(model);
      candidate.inc({ model, stream });
    },
    shadowDecided: (model, decision) => {
      seeModel(model);
      shadowDecisions.inc({ model, decision });
    },
    alarmsCalibrated: (model, stream, by) => {
      seeModel(model);
      alarmCalibrations.inc({ model, stream, by });
    },
    unknownVersion: (model) => {
      seeModel(model);
      unknown.inc({ model });
    },
    liveOutcome: (model, version, correct) => {
      const labels = { model, model_version: String(version) };
      if (!liveVersions.has(`${model}/${version}`)) {
        // Both outcomes from the version's first record, so increase() sees the first of each.
        liveVersions.add(`${model}/${version}`);
        live.inc({ ...labels, outcome: 'correct' }, 0);
        live.inc({ ...labels, outcome: 'wrong' }, 0);
      }
      live.inc({ ...labels, outcome: correct ? 'correct' : 'wrong' });
    },
  };
}
