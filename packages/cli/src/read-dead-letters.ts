import { isRetriable, type InputRecord } from '@driftwatch/bus';
import type { Codec, DeadLetter } from '@driftwatch/topics';

import type { UnreadableRecord } from './read-alerts.js';

export type { UnreadableRecord } from './read-alerts.js';

/** A dead letter, or why the record is not one; a Schema Registry that is down is thrown. */
export async function decodeDeadLetter(
  codec: Codec<DeadLetter>,
  record: InputRecord,
): Promise<{ letter: DeadLetter } | { unreadable: UnreadableRecord }> {
  try {
    return { letter: await codec.decode(record.value) };
  } catch (error) {
    if (isRetriable(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    return { unreadable: { partition: record.partition, offset: record.offset, reason } };
  }
}
