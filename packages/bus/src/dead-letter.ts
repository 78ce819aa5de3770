import { createHash } from 'node:crypto';

import type { Codec, DeadLetter, DeadLetterCode } from '@driftwatch/topics';

import { messageBytes } from './message-bytes.js';
import type { InputRecord, OutputMessage } from './records.js';

/** The header a dead letter carries its code in, for consumers that filter without decoding. */
export const deadLetterCodeHeader = 'dw-code';

export interface DeadLetterReason {
  /** A closed code for dashboards and alert rules, e.g. DW_SCHEMA_VIOLATION. */
  code: DeadLetterCode;
  reason: string;
}

/**
 * The largest record the broker takes by default is 1 048 588 bytes (`message.max.bytes`); this
 * leaves room for the record batch around a letter and for a broker configured a little lower.
 */
export const defaultMaxMessageBytes = 1_000_000;

/**
 * A reason is for people: a validation error listing every bad field of a huge record could be
 * larger than the record itself and push a letter over the limit.
 */
const maxReasonChars = 4_000;

/** A key this long is kept only as a prefix once a letter has to be cut down. */
const maxTruncatedKeyBytes = 16 * 1024;

/**
 * Wraps a record a service cannot process, with the reason, for the dead-letter topic. It keeps
 * the original key so the record can be replayed by key, and the original value whole when the
 * letter fits under `maxMessageBytes`; otherwise only as much of its start as fits, marked
 * `valueTruncated`. Either way the letter carries the value's size and SHA-256 and the record's
 * topic, partition and offset, so the original can be found and checked: a letter that cannot be
 * written would fail its batch on every attempt and stall the partition.
 */
export async function deadLetterMessage(options: {
  service: string;
  record: InputRecord;
  why: DeadLetterReason;
  deadLetterTopic: string;
  codec: Codec<DeadLetter>;
  now: number;
  /** The largest record the broker takes on the dead-letter topic (default 1 000 000 bytes). */
  maxMessageBytes?: number;
}): Promise<OutputMessage> {
  const { record, why } = options;
  const maxMessageBytes = options.maxMessageBytes ?? defaultMaxMessageBytes;
  const { value } = record;
  const headers = {
    [deadLetterCodeHeader]: why.code,
    'dw-source-topic': record.topic,
    'dw-service': options.service,
  };
  const letter: DeadLetter = {
    service: options.service,
    sourceTopic: record.topic,
    partition: record.partition,
    offset: record.offset,
    code: why.code,
    reason: clip(why.reason),
    key: record.key,
    value,
    failedAt: options.now,
    valueTruncated: false,
    valueSize: value === null ? null : value.length,
    valueSha256: value === null ? null : createHash('sha256').update(value).digest('hex'),
  };
  const whole: OutputMessage = {
    topic: options.deadLetterTopic,
    key: record.key,
    value: await options.codec.encode(letter),
    headers,
  };
  if (messageBytes(whole) <= maxMessageBytes || value === null) return whole;

  const key = record.key && record.key.subarray(0, maxTruncatedKeyBytes);
  const withPrefix = async (length: number): Promise<OutputMessage> => ({
    topic: options.deadLetterTopic,
    key,
    value: await options.codec.encode({
      ...letter,
      key,
      value: value.subarray(0, length),
      valueTruncated: true,
    }),
    headers,
  });
  // The room left beside everything but the value; JSON writes bytes as base64 (4 per 3), Avro
  // as they are, so 3/4 of the room fits either way.
  const room = maxMessageBytes - messageBytes(await withPrefix(0));
  let length = Math.min(value.length - 1, Math.max(0, Math.floor((room * 3) / 4) - 8));
  for (;;) {
    const cut = await withPrefix(length);
    if (messageBytes(cut) <= maxMessageBytes) return cut;
    if (length === 0) {
      throw new RangeError(
        `a dead letter does not fit in ${maxMessageBytes} bytes even without the record's value`,
      );
    }
    length = Math.floor(length / 2);
  }
}

function clip(reason: string): string {
  return reason.length > maxReasonChars ? `${reason.slice(0, maxReasonChars - 1)}…` : reason;
}
