import type { OutputMessage } from './records.js';

/**
 * What a record adds to a record batch besides its key, value and headers (lengths, timestamp
 * and offset deltas, attributes), plus the batch's own header: generous, so that a record sized
 * with it is never refused by the broker.
 */
const recordOverheadBytes = 128;

/** The size the broker checks against `max.message.bytes` for a record sent alone. */
export function messageBytes(message: Pick<OutputMessage, 'key' | 'value' | 'headers'>): number {
  const keyBytes =
    message.key === null
      ? 0
      : typeof message.key === 'string'
        ? Buffer.byteLength(message.key)
        : message.key.length;
  let headerBytes = 0;
  for (const [name, value] of Object.entries(message.headers ?? {}))
    headerBytes += Buffer.byteLength(name) + Buffer.byteLength(value) + 8;
  return recordOverheadBytes + keyBytes + message.value.length + headerBytes;
}
