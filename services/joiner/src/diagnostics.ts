import type { BusDiagnostics } from '@driftwatch/bus';
import { labelDelayBuckets } from '@driftwatch/service-kit';
import { deadLetterCodes } from '@driftwatch/topics';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import type { JoinEffect, JoinSide } from './join-lifecycle.js';

/** Everything the joiner reports, declared in one place. */
export interface JoinerDiagnostics extends BusDiagnostics {
  transition(side: JoinSide, effect: JoinEffect): void;
  joined(model: string, labelDelayMs: number): void;
  deadLettered(code: string): void;
  expired(expiredPredictions: number, orphanLabels: number): void;
  backlog(pairs: number): void;
}

export interface JoinerDiagnosticsOptions {
  /** The topics the joiner consumes, whose consumed-records series exist from the start. */
  consumedTopics?: readonly string[];
}

const joinSides: readonly JoinSide[] = ['prediction', 'label'];
const joinEffects: readonly JoinEffect[] = ['pending', 'emit', 'duplicate'];

/**
 * Every counter exists at 0 for the label values known at start (topics, join transitions,
 * dead-letter codes), so the first increment is a step `increase()` sees.
 */
export function createJoinerDiagnostics(
  registry: Registry,
  options: JoinerDiagnosticsOptions = {},
): JoinerDiagnostics {
  const consumed = new Counter({
    name: 'driftwatch_joiner_records_consumed_total',
    help: 'Predictions and labels consumed.',
    labelNames: ['topic'],
    registers: [registry],
  });
  const produced = new Counter({
    name: 'driftwatch_joiner_records_produced_total',
    help: 'Records produced (joined predictions and dead letters).',
    registers: [registry],
  });
  const transitions = new Counter({
    name: 'driftwatch_joiner_transitions_total',
    help: 'Join transitions by side (prediction|label) and effect (pending|emit|duplicate).',
    labelNames: ['side', 'effect'],
    registers: [registry],
  });
  const joins = new Counter({
    name: 'driftwatch_joiner_joins_total',
    help: 'Predictions joined with their label, by model.',
    labelNames: ['model'],
    registers: [registry],
  });
  const labelDelay = new Histogram({
    name: 'driftwatch_joiner_label_delay_seconds',
    help: 'Event-time delay from a prediction to its label.',
    labelNames: ['model'],
    buckets: [...labelDelayBuckets],
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'driftwatch_joiner_dead_letters_total',
    help: 'Records sent to the dead-letter topic, by reason code.',
    labelNames: ['code'],
    registers: [registry],
  });
  const expiredPredictions = new Counter({
    name: 'driftwatch_joiner_expired_predictions_total',
    help: 'Predictions whose label never came within the join TTL.',
    registers: [registry],
  });
  const orphanLabels = new Counter({
    name: 'driftwatch_joiner_orphan_labels_total',
    help: 'Labels whose prediction never came within the join TTL.',
    registers: [registry],
  });
  const backlog = new Gauge({
    name: 'driftwatch_joiner_backlog_pairs',
    help: 'Pairs waiting for their other half.',
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'driftwatch_joiner_batch_size_records',
    help: 'Records per consumed batch.',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'driftwatch_joiner_batch_retries_total',
    help: 'Batches retried after a retriable failure (e.g. Redis unavailable).',
    registers: [registry],
  });
  const consumerLag = new Gauge({
    name: 'driftwatch_joiner_consumer_lag_records',
    help: 'Records of a partition left to read after the last batch consumed from it.',
    labelNames: ['topic', 'partition'],
    registers: [registry],
  });
  for (const topic of options.consumedTopics ?? []) consumed.inc({ topic }, 0);
  for (const side of joinSides) {
    for (const effect of joinEffects) transitions.inc({ side, effect }, 0);
  }
  for (const code of deadLetterCodes) deadLetters.inc({ code }, 0);
  return {
    batchProcessed: ({ topic, partition, records, produced: count, lag }) => {
      consumed.inc({ topic }, records);
      consumerLag.set({ topic, partition: String(partition) }, lag);
      produced.inc(count);
      batchSize.observe(records);
    },
    batchRetried: () => {
      retries.inc();
    },
    transition: (side, effect) => {
      transitions.inc({ side, effect });
    },
    joined: (model, labelDelayMs) => {
      joins.inc({ model });
      labelDelay.observe({ model }, labelDelayMs / 1000);
    },
    deadLettered: (code) => {
      deadLetters.inc({ code });
    },
    expired: (predictions, labels) => {
      expiredPredictions.inc(predictions);
      orphanLabels.inc(labels);
    },
    backlog: (pairs) => {
      backlog.set(pairs);
    },
  };
}
