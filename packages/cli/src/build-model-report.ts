import type { Kafka } from '@driftwatch/bus';
import { computeModelReport, type ModelReport } from '@driftwatch/report';

import type { CliConfig } from './cli-config.js';
import { neverRetrainedPredictions } from './never-retrained-predictions.js';
import { readReportRecords } from './read-report-records.js';

export interface BuildModelReportOptions {
  kafka: Kafka;
  config: CliConfig;
  model: string;
  /** Event-time range, epoch ms; null: open. */
  from: number | null;
  to: number | null;
  /** Labeled predictions per sliding window (the report's default when undefined). */
  window?: number;
  /** Events where the stream's concept is known to change (the demo knows its own). */
  knownDrifts?: readonly { id: string; label: string }[];
  /** The clock, for the report's "generated at". */
  now?: () => number;
}

/**
 * `driftwatch report`'s data: the model's records read from its topics, the root version scored
 * on the same events for the never-retrained line, and the report computed from both. The demo
 * calls it too, on its run's topics, before deleting them.
 */
export async function buildModelReport(options: BuildModelReportOptions): Promise<ModelReport> {
  const { config, model, from, to } = options;
  const records = await readReportRecords({
    kafka: options.kafka,
    config,
    model,
    from,
    to,
  });
  const neverRetrained = await neverRetrainedPredictions(records.versions, records.predictions);
  const notes = [...records.notes];
  if ('unavailable' in neverRetrained && neverRetrained.unavailable !== null) {
    notes.push(neverRetrained.unavailable);
  }
  return computeModelReport(
    {
      model,
      generatedAt: (options.now ?? Date.now)(),
      range: { from, to },
      predictions: records.predictions,
      alerts: records.alerts,
      retrainRequests: records.retrainRequests,
      versions: records.versions,
      ...('predictions' in neverRetrained ? { neverRetrained } : {}),
      ...(options.knownDrifts ? { knownDrifts: options.knownDrifts } : {}),
      source: `topics ${config.names.predictionsLabeled}, ${config.names.driftAlerts}, ${config.names.retrainRequested}, ${config.names.modelVersions} on ${config.brokers.join(',')}`,
      notes,
    },
    options.window === undefined ? {} : { window: options.window },
  );
}
