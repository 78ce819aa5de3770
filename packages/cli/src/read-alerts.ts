import { isRetriable, readTimeRange, type InputRecord, type Kafka } from '@driftwatch/bus';
import type { Codec, DriftAlert } from '@driftwatch/topics';

import { withinDeadline } from './deadline.js';

/** A record of the alerts topic that is not an alert: reported, never fatal. */
export interface UnreadableRecord {
  partition: number;
  offset: string;
  reason: string;
}

/**
 * The drift alerts on `topic` now, oldest first, from `sinceTs` on (by record timestamp, looked up
 * on the broker) and of one model when asked (alerts are keyed by model).
 */
export async function readAlerts(options: {
  kafka: Kafka;
  topic: string;
  codec: Codec<DriftAlert>;
  sinceTs?: number;
  model?: string;
  timeoutMs?: number;
}): Promise<{ alerts: DriftAlert[]; unreadable: UnreadableRecord[] }> {
  const { model } = options;
  const records = await withinDeadline(
    options.timeoutMs ?? 30_000,
    `reading ${options.topic}`,
    (signal) =>
      readTimeRange({
        kafka: options.kafka,
        topic: options.topic,
        fromTs: options.sinceTs ?? 0,
        toTs: Number.MAX_SAFE_INTEGER,
        ...(model === undefined ? {} : { filter: (record) => record.key?.toString() === model }),
        signal,
      }),
  );
  const alerts: DriftAlert[] = [];
  const unreadable: UnreadableRecord[] = [];
  for (const record of records) {
    const decoded = await decodeAlert(options.codec, record);
    if ('unreadable' in decoded) unreadable.push(decoded.unreadable);
    else if (model === undefined || decoded.alert.model === model) alerts.push(decoded.alert);
  }
  return { alerts, unreadable };
}

/** An alert, or why the record is not one; a Schema Registry that is down is thrown. */
export async function decodeAlert(
  codec: Codec<DriftAlert>,
  record: InputRecord,
): Promise<{ alert: DriftAlert } | { unreadable: UnreadableRecord }> {
  try {
    return { alert: await codec.decode(record.value) };
  } catch (error) {
    // A Schema Registry that is down is not a bad record.
    if (isRetriable(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    return { unreadable: { partition: record.partition, offset: record.offset, reason } };
  }
}
