import type { BusDiagnostics } from '@driftwatch/bus';
import { latencyBuckets } from '@driftwatch/service-kit';
import { deadLetterCodes } from '@driftwatch/topics';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Everything the inference service reports, declared in one place. */
export interface InferenceDiagnostics extends BusDiagnostics {
  scored(model: string, version: number, events: number, seconds: number): void;
  /** Predictions produced (their transaction committed), with each event's own `ts` in ms. */
  predicted(model: string, eventTimestamps: readonly number[]): void;
  deadLettered(code: string): void;
  /** Of `judged` predictions of a version with a multivariate reference, `found` were edge cases. */
  edgeCases(model: string, found: number, judged: number): void;
  serving(model: string, version: number): void;
  /** The model's A/B candidate and its share of events; version 0 and share 0 when none. */
  splitting(model: string, version: number, traffic: number): void;
  modelLoadFailed(model: string, version: number): void;
  /** The model's shadows on trial now (empty: none). */
  shadowing(model: string, versions: readonly number[]): void;
  /**
   * A shadow's predictions of one batch, attached to the serving ones (with the ONNX call's time),
   * or lost to a failed call.
   */
  shadowScored(
    model: string,
    version: number,
    outcome: 'scored' | 'failed',
    events: number,
    seconds?: number,
  ): void;
}

export interface InferenceDiagnosticsOptions {
  /** The clock event-to-prediction latency is measured with; default `Date.now`. */
  now?: () => number;
  /**
   * Told the model's running totals each time its edge cases pass another hundred (and at the
   * first), for a log line a person can follow: "N edge cases identified out of M total samples".
   */
  onEdgeCaseMilestone?: (model: string, found: number, judged: number) => void;
}

/**
 * Every counter exists at 0 for the label values known when it could first be incremented —
 * dead-letter codes at start, a model's series when a version of it is first served — so the
 * first increment is a step `increase()` sees, not a series appearing at 1.
 */
export function createInferenceDiagnostics(
  registry: Registry,
  options: InferenceDiagnosticsOptions = {},
): InferenceDiagnostics {
  const now = options.now ?? Date.now;
  const consumed = new Counter({
    name: 'driftwatch_inference_events_consumed_total',
    help: 'Events consumed from the events topic.',
    registers: [registry],
  });
  const predictions = new Counter({
    name: 'driftwatch_inference_predictions_total',
    help: 'Predictions produced, by model and the version that scored them.',
    labelNames: ['model', 'model_version'],
    registers: [registry],
  });
  const edgeCasesFound = new Counter({
    name: 'driftwatch_inference_edge_cases_total',
    help: "Predictions inference judged edge cases (where the version's reference was sparse), sent to edge-cases.",
    labelNames: ['model'],
    registers: [registry],
  });
  const edgeCasesJudged = new Counter({
    name: 'driftwatch_inference_edge_case_judged_total',
    help: 'Predictions judged for edge cases: those of versions with a multivariate reference.',
    labelNames: ['model'],
    registers: [registry],
  });
  const edgeCaseTotals = new Map<string, { found: number; judged: number }>();
  const deadLetters = new Counter({
    name: 'driftwatch_inference_dead_letters_total',
    help: 'Events sent to the dead-letter topic, by reason code.',
    labelNames: ['code'],
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'driftwatch_inference_batch_size_events',
    help: 'Events per consumed batch.',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    registers: [registry],
  });
  const scoring = new Histogram({
    name: 'driftwatch_inference_scoring_duration_seconds',
    help: 'Time of one batched ONNX scoring call.',
    labelNames: ['model'],
    buckets: [...latencyBuckets],
    registers: [registry],
  });
  const eventLatency = new Histogram({
    name: 'driftwatch_inference_event_to_prediction_seconds',
    help: "Time from an event's ts to its prediction being produced (the batch's transaction committed).",
    labelNames: ['model'],
    buckets: [...latencyBuckets],
    registers: [registry],
  });
  const batchDuration = new Histogram({
    name: 'driftwatch_inference_batch_duration_seconds',
    help: 'Time from a batch arriving to its transaction committing.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'driftwatch_inference_batch_retries_total',
    help: 'Batches retried after a retriable failure.',
    registers: [registry],
  });
  const consumerLag = new Gauge({
    name: 'driftwatch_inference_consumer_lag_records',
    help: 'Records of a partition left to read after the last batch consumed from it.',
    labelNames: ['topic', 'partition'],
    registers: [registry],
  });
  const servedVersion = new Gauge({
    name: 'driftwatch_inference_served_model_version',
    help: 'The model version currently serving, per model.',
    labelNames: ['model'],
    registers: [registry],
  });
  const splitVersion = new Gauge({
    name: 'driftwatch_inference_split_candidate_version',
    help: 'The candidate version scoring a share of events in an A/B split, per model; 0: no split.',
    labelNames: ['model'],
    registers: [registry],
  });
  const splitTraffic = new Gauge({
    name: 'driftwatch_inference_split_traffic_ratio',
    help: 'The share of events (by a hash of their ids) the A/B candidate scores, per model.',
    labelNames: ['model'],
    registers: [registry],
  });
  const loadFailures = new Counter({
    name: 'driftwatch_inference_model_load_failures_total',
    help: 'Promoted model versions that could not be loaded (bad checksum, invalid ONNX).',
    labelNames: ['model'],
    registers: [registry],
  });
  const shadowPredictions = new Counter({
    name: 'driftwatch_inference_shadow_predictions_total',
    help: "Shadow versions' predictions attached to the serving version's (outcome scored), or lost to a failed scoring call (failed).",
    labelNames: ['model', 'model_version', 'outcome'],
    registers: [registry],
  });
  const shadowCount = new Gauge({
    name: 'driftwatch_inference_shadow_versions',
    help: 'Shadow versions on trial, scoring every event beside the serving version, per model.',
    labelNames: ['model'],
    registers: [registry],
  });
  for (const code of deadLetterCodes) deadLetters.inc({ code }, 0);
  const seenModels = new Set<string>();
  const seeModel = (model: string): void => {
    if (seenModels.has(model)) return;
    seenModels.add(model);
    loadFailures.inc({ model }, 0);
    edgeCasesFound.inc({ model }, 0);
    edgeCasesJudged.inc({ model }, 0);
  };
  return {
    batchProcessed: ({ topic, partition, records, durationMs, lag }) => {
      consumed.inc(records);
      batchSize.observe(records);
      batchDuration.observe(durationMs / 1000);
      consumerLag.set({ topic, partition: String(partition) }, lag);
    },
    batchRetried: () => {
      retries.inc();
    },
    scored: (model, version, events, seconds) => {
      predictions.inc({ model, model_version: String(version) }, events);
      scoring.observe({ model }, seconds);
    },
    predicted: (model, eventTimestamps) => {
      const producedAt = now();
      for (const ts of eventTimestamps) {
        eventLatency.observe({ model }, Math.max(0, producedAt - ts) / 1000);
      }
    },
    deadLettered: (code) => {
      deadLetters.inc({ code });
    },
    edgeCases: (model, found, judged) => {
      edgeCasesFound.inc({ model }, found);
      edgeCasesJudged.inc({ model }, judged);
      const totals = edgeCaseTotals.get(model) ?? { found: 0, judged: 0 };
      const before = totals.found;
      totals.found += found;
      totals.judged += judged;
      edgeCaseTotals.set(model, totals);
      if (
        found > 0 &&
        (before === 0 || Math.floor(totals.found / 100) > Math.floor(before / 100))
      ) {
        options.onEdgeCaseMilestone?.(model, totals.found, totals.judged);
      }
    },
    serving: (model, version) => {
      seeModel(model);
      predictions.inc({ model, model_version: String(version) }, 0);
      servedVersion.set({ model }, version);
    },
    splitting: (model, version, traffic) => {
      seeModel(model);
      if (version > 0) predictions.inc({ model, model_version: String(version) }, 0);
      splitVersion.set({ model }, version);
      splitTraffic.set({ model }, traffic);
    },
    modelLoadFailed: (model) => {
      seeModel(model);
      loadFailures.inc({ model });
    },
    shadowing: (model, versions) => {
      seeModel(model);
      for (const version of versions) {
        for (const outcome of ['scored', 'failed']) {
          shadowPredictions.inc({ model, model_version: String(version), outcome }, 0);
        }
      }
      shadowCount.set({ model }, versions.length);
    },
    shadowScored: (model, version, outcome, events, seconds) => {
      shadowPredictions.inc({ model, model_version: String(version), outcome }, events);
      if (seconds !== undefined) scoring.observe({ model }, seconds);
    },
  };
}
