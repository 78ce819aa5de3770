import { isRetriable, readTimeRange, type InputRecord, type Kafka } from '@driftwatch/bus';
import type { Codec, EdgeCaseRecord } from '@driftwatch/topics';

import { withinDeadline } from './deadline.js';

/** How many edge cases each version of each model has: model → version → count. */
export type EdgeCasesFound = ReadonlyMap<string, ReadonlyMap<number, number>>;

/**
 * The edge cases on `topic` now, counted per model and version. The topic is read from its start,
 * as `readAlerts` reads the alerts: inference writes one for about 1% of events, each exactly once
 * (in the transaction of its prediction), so counting them is counting the edge cases found.
 */
export async function readEdgeCases(options: {
  kafka: Kafka;
  topic: string;
  codec: Codec<EdgeCaseRecord>;
  timeoutMs?: number;
}): Promise<EdgeCasesFound> {
  const records = await withinDeadline(
    options.timeoutMs ?? 30_000,
    `reading ${options.topic}`,
    (signal) =>
      readTimeRange({
        kafka: options.kafka,
        topic: options.topic,
        fromTs: 0,
        toTs: Number.MAX_SAFE_INTEGER,
        signal,
      }),
  );
  return countEdgeCases(options.codec, records);
}

/**
 * The records' edge cases per model and version. A record that is not one is left out rather than
 * thrown, so a count is shown from what can be read; a Schema Registry that is down is thrown.
 */
export async function countEdgeCases(
  codec: Codec<EdgeCaseRecord>,
  records: readonly InputRecord[],
): Promise<EdgeCasesFound> {
  const found = new Map<string, Map<number, number>>();
  for (const record of records) {
    let edgeCase: EdgeCaseRecord;
    try {
      edgeCase = await codec.decode(record.value);
    } catch (error) {
      if (isRetriable(error)) throw error;
      continue;
    }
    const versions = found.get(edgeCase.model) ?? new Map<number, number>();
    versions.set(edgeCase.modelVersion, (versions.get(edgeCase.modelVersion) ?? 0) + 1);
    found.set(edgeCase.model, versions);
  }
  return found;
}
