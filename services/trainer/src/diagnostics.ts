import type { BusDiagnostics } from '@driftwatch/bus';
import { deadLetterCodes, type ModelVersion } from '@driftwatch/topics';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import type { SkipReason } from './train-for-request.js';
import type { CommandReport, CommandVerdict } from './train-with-command.js';

/** Everything the trainer reports, declared in one place. */
export interface TrainerDiagnostics extends BusDiagnostics {
  trained(version: ModelVersion, trainMs: number): void;
  skipped(model: string, reason: string): void;
  /** One run (or refusal to run) of TRAINER_COMMAND, counted by verdict and timed. */
  commandRan(model: string, report: CommandReport): void;
  deadLettered(code: string): void;
  /** A version of `model` was read from model-versions: its series are created at 0. */
  modelSeen(model: string): void;
  /** One MLflow sync of a model: versions it logged as runs (possibly none). */
  mlflowSynced(logged: number): void;
  /** One MLflow sync that failed; it is retried. */
  mlflowFailed(): void;
}

const versionStatuses: readonly ModelVersion['status'][] = [
  'promoted',
  'rejected',
  'candidate',
  'shadow',
];
const skipReasons: readonly SkipReason[] = [
  'superseded',
  'not-enough-data',
  'one-class',
  'missing-class',
  'invalid-input',
  'export-mismatch',
];
const commandVerdicts: readonly CommandVerdict[] = [
  'usable',
  'not-run',
  'not-started',
  'failed',
  'timed-out',
  'no-model',
  'unusable',
];

/**
 * Every counter exists at 0 for the label values known when it could first be incremented —
 * dead-letter codes at start, a model's outcome series when a version of it is first read — so
 * the first increment is a step `increase()` sees, not a series appearing at 1.
 */
export function createTrainerDiagnostics(registry: Registry): TrainerDiagnostics {
  const registers = [registry];
  const requests = new Counter({
    name: 'driftwatch_trainer_requests_consumed_total',
    help: 'Retrain requests consumed.',
    registers,
  });
  const versions = new Counter({
    name: 'driftwatch_trainer_versions_total',
    help: 'Model versions trained and published, by outcome (promoted|rejected).',
    labelNames: ['model', 'status'],
    registers,
  });
  const skipped = new Counter({
    name: 'driftwatch_trainer_requests_skipped_total',
    help: 'Requests answered without a model: superseded, not enough data, one class, export mismatch.',
    labelNames: ['model', 'reason'],
    registers,
  });
  const duration = new Histogram({
    name: 'driftwatch_trainer_training_duration_seconds',
    help: 'Time to train, export, verify and evaluate one challenger.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const rows = new Histogram({
    name: 'driftwatch_trainer_training_rows',
    help: 'Labeled rows a challenger was trained on.',
    buckets: [100, 250, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000],
    registers,
  });
  const holdoutAccuracy = new Gauge({
    name: 'driftwatch_trainer_holdout_accuracy_ratio',
    help: 'Holdout accuracy of the last challenger and of the champion it was compared with.',
    labelNames: ['model', 'role'],
    registers,
  });
  const commandRuns = new Counter({
    name: 'driftwatch_trainer_command_runs_total',
    help: 'Runs of TRAINER_COMMAND, by verdict (usable|failed|timed-out|no-model|unusable|not-started|not-run).',
    labelNames: ['model', 'verdict'],
    registers,
  });
  const commandDuration = new Histogram({
    name: 'driftwatch_trainer_command_duration_seconds',
    help: 'Wall time of one run of TRAINER_COMMAND, from start to exit (or kill).',
    labelNames: ['verdict'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers,
  });
  const deadLetters = new Counter({
    name: 'driftwatch_trainer_dead_letters_total',
    help: 'Records sent to the dead-letter topic, by reason code.',
    labelNames: ['code'],
    registers,
  });
  const retries = new Counter({
    name: 'driftwatch_trainer_batch_retries_total',
    help: 'Batches retried after a retriable failure.',
    registers,
  });
  const consumerLag = new Gauge({
    name: 'driftwatch_trainer_consumer_lag_records',
    help: 'Records of a partition left to read after the last batch consumed from it.',
    labelNames: ['topic', 'partition'],
    registers,
  });
  const mlflowRuns = new Counter({
    name: 'driftwatch_trainer_mlflow_runs_logged_total',
    help: 'Model versions logged to MLflow as runs (MLFLOW_TRACKING_URI).',
    registers,
  });
  const mlflowFailures = new Counter({
    name: 'driftwatch_trainer_mlflow_sync_failures_total',
    help: 'MLflow syncs that failed (MLflow down or refusing); each is retried.',
    registers,
  });
  for (const code of deadLetterCodes) deadLetters.inc({ code }, 0);
  const seenModels = new Set<string>();
  return {
    batchProcessed: ({ topic, partition, records, lag }) => {
      requests.inc(records);
      consumerLag.set({ topic, partition: String(partition) }, lag);
    },
    modelSeen: (model) => {
      if (seenModels.has(model)) return;
      seenModels.add(model);
      for (const status of versionStatuses) versions.inc({ model, status }, 0);
      for (const reason of skipReasons) skipped.inc({ model, reason }, 0);
      for (const verdict of commandVerdicts) commandRuns.inc({ model, verdict }, 0);
    },
    batchRetried: () => {
      retries.inc();
    },
    mlflowSynced: (logged) => {
      mlflowRuns.inc(logged);
    },
    mlflowFailed: () => {
      mlflowFailures.inc();
    },
    trained: (version, trainMs) => {
      versions.inc({ model: version.model, status: version.status });
      duration.observe(trainMs / 1000);
      rows.observe(version.trainingWindow.trainRows);
      const challenger = version.metrics.challenger['accuracy'];
      const champion = version.metrics.champion?.['accuracy'];
      if (challenger !== undefined)
        holdoutAccuracy.set({ model: version.model, role: 'challenger' }, challenger);
      if (champion !== undefined)
        holdoutAccuracy.set({ model: version.model, role: 'champion' }, champion);
    },
    skipped: (model, reason) => {
      skipped.inc({ model, reason });
    },
    commandRan: (model, report) => {
      commandRuns.inc({ model, verdict: report.verdict });
      if (report.run) {
        commandDuration.observe({ verdict: report.verdict }, report.run.durationMs / 1000);
      }
    },
    deadLettered: (code) => {
      deadLetters.inc({ code });
    },
  };
}
