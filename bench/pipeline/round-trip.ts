import type { Producer } from '@driftwatch/bus';

import type { BenchPipeline } from './bench-pipeline.js';
import { PACE_MS } from './alert-latency.js';
import { paced } from './paced.js';
import { countRecords } from './record-counter.js';

/**
 * The floor for an alert's latency: how long a record takes from `producer.send` to a reader set
 * up as the alert reader is (read committed), one record every PACE_MS on a fresh topic — one
 * hop with no service in it. Milliseconds per record.
 */
export async function roundTripLatencies(
  pipeline: BenchPipeline,
  producer: Producer,
  records: number,
): Promise<number[]> {
  const [topic] = await pipeline.createTopics(['bench-round-trip']);
  if (!topic) throw new Error('no round-trip topic');
  const readAt = new Map<string, number>();
  const reader = await countRecords(pipeline.kafka, [topic], {
    groupIdPrefix: pipeline.prefix,
    onRecord: (_topic, _partition, message, at) => {
      readAt.set(message.value?.toString() ?? '', at);
    },
  });
  const sentAt = new Map<string, number>();
  try {
    await paced(PACE_MS, records, async (index) => {
      const value = String(index);
      sentAt.set(value, performance.now());
      await producer.send({ topic, messages: [{ key: `round-trip-${value}`, value }] });
      return true;
    });
    await reader.reached(records);
  } finally {
    await reader.stop();
  }
  return [...sentAt].map(([value, at]) => (readAt.get(value) ?? NaN) - at);
}
