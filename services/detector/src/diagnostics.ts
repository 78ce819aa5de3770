import type { BusDiagnostics } from '@driftwatch/bus';
import type { DriftAlert, RetrainRequest } from '@driftwatch/topics';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import type { ConceptMetrics } from './concept-monitor.js';

/** Everything the detector reports, declared in one place. */
export interface DetectorDiagnostics extends BusDiagnostics {
  conceptMetrics(model: string, version: number, metrics: ConceptMetrics): void;
  dataMetrics(
    model: string,
    version: number,
    psi: readonly { feature: string | null; psi: number | undefined }[],
  ): void;
  versionRetired(model: string, version: number): void;
  alerted(alert: DriftAlert): void;
  retrainRequested(request: RetrainRequest): void;
  retrainDeduplicated(model: string, reason: string): void;
  labelDelay(model: string, delayMs: number): void;
  deadLettered(code: string): void;
  staleVersion(model: string, stream: 'concept' | 'data'): void;
  unknownVersion(model: string, version: number): void;
}

export function createDetectorDiagnostics(registry: Registry): DetectorDiagnostics {
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
    buckets: [1, 10, 60, 300, 1800, 3600, 6 * 3600, 86400, 3 * 86400, 7 * 86400],
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
  /** Features with a PSI series, per `<model>/<version>`, so a retired version's can be removed. */
  const psiFeatures = new Map<string, Set<string>>();
  /** Classes with a recall series, per `<model>/<version>`, for the same reason. */
  const recallClasses = new Map<string, string[]>();
  const versionGauges = [
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
    batchProcessed: ({ topic, records }) => {
      consumed.inc({ topic }, records);
    },
    batchRetried: () => {
      retries.inc();
    },
    conceptMetrics: (model, version, metrics) => {
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
    dataMetrics: (model, version, values) => {
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
      alerts.inc({ model: alert.model, kind: alert.kind, detector: alert.detector });
    },
    retrainRequested: (request) => {
      retrains.inc({ model: request.model, reason: request.reason });
    },
    retrainDeduplicated: (model, reason) => {
      deduplicated.inc({ model, reason });
    },
    labelDelay: (model, delayMs) => {
      labelDelay.observe({ model }, Math.max(0, delayMs) / 1000);
    },
    deadLettered: (code) => {
      deadLetters.inc({ code });
    },
    staleVersion: (model, stream) => {
      stale.inc({ model, stream });
    },
    unknownVersion: (model) => {
      unknown.inc({ model });
    },
  };
}
