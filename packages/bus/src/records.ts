import type { IHeaders, KafkaMessage } from './kafka.js';

/** A consumed record, with where it came from: what a batch handler sees. */
export interface InputRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  headers: IHeaders;
}

/** A record to produce; produced in the same transaction as the input offsets. */
export interface OutputMessage {
  topic: string;
  key: string | Buffer | null;
  value: Buffer;
  headers?: Record<string, string>;
}

export function toInputRecord(
  topic: string,
  partition: number,
  message: KafkaMessage,
): InputRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    timestamp: message.timestamp,
    headers: message.headers ?? {},
  };
}

/** `topic/partition@offset`: where a record sits, stable across replays of the same record. */
export function recordCoordinate(
  record: Pick<InputRecord, 'topic' | 'partition' | 'offset'>,
): string {
  return `${record.topic}/${record.partition}@${record.offset}`;
}
