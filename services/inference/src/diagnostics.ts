import type { BusDiagnostics } from '@driftwatch/bus';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Everything the inference service reports, declared in one place. */
export interface InferenceDiagnostics extends BusDiagnostics {
  scored(model: string, version: number, events: number, seconds: number): void;
  deadLettered(code: string): void;
  serving(model: string, version: number): void;
  modelLoadFailed(model: string, version: number): void;
}

export function createInferenceDiagnostics(registry: Registry): InferenceDiagnostics {
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
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
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
  const servedVersion = new Gauge({
    name: 'driftwatch_inference_served_model_version',
    help: 'The model version currently serving, per model.',
    labelNames: ['model'],
    registers: [registry],
  });
  const loadFailures = new Counter({
    name: 'driftwatch_inference_model_load_failures_total',
    help: 'Promoted model versions that could not be loaded (bad checksum, invalid ONNX).',
    labelNames: ['model'],
    registers: [registry],
  });
  return {
    batchProcessed: ({ records, durationMs }) => {
      consumed.inc(records);
      batchSize.observe(records);
      batchDuration.observe(durationMs / 1000);
    },
    batchRetried: () => {
      retries.inc();
    },
    scored: (model, version, events, seconds) => {
      predictions.inc({ model, model_version: String(version) }, events);
      scoring.observe({ model }, seconds);
    },
    deadLettered: (code) => {
      deadLetters.inc({ code });
    },
    serving: (model, version) => {
      servedVersion.set({ model }, version);
    },
    modelLoadFailed: (model) => {
      loadFailures.inc({ model });
    },
  };
}
