import type { Codec, DeadLetter, DeadLetterCode } from '@driftwatch/topics';

import type { InputRecord, OutputMessage } from './records.js';

/** The header a dead letter carries its code in, for consumers that filter without decoding. */
export const deadLetterCodeHeader = 'dw-code';

export interface DeadLetterReason {
  /** A closed code for dashboards and alert rules, e.g. DW_SCHEMA_VIOLATION. */
  code: DeadLetterCode;
  reason: string;
}

/**
 * Wraps a record a service cannot process — whole, original bytes and all — with the reason, for
 * the dead-letter topic. It keeps the original key so the record can be replayed by key.
 */
export async function deadLetterMessage(options: {
  service: string;
  record: InputRecord;
  why: DeadLetterReason;
  deadLetterTopic: string;
  codec: Codec<DeadLetter>;
  now: number;
}): Promise<OutputMessage> {
  const { record, why } = options;
  const letter: DeadLetter = {
    service: options.service,
    sourceTopic: record.topic,
    partition: record.partition,
    offset: record.offset,
    code: why.code,
    reason: why.reason,
    key: record.key,
    value: record.value,
    failedAt: options.now,
  };
  return {
    topic: options.deadLetterTopic,
    key: record.key,
    value: await options.codec.encode(letter),
    headers: {
      [deadLetterCodeHeader]: why.code,
      'dw-source-topic': record.topic,
      'dw-service': options.service,
    },
  };
}
