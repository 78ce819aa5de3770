import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { createCodecs, topicNames } from '@driftwatch/topics';

import { deadLetterMessage } from './dead-letter.js';
import { messageBytes } from './message-bytes.js';
import type { InputRecord } from './records.js';

const names = topicNames('unit.');
const codecs = await createCodecs({ schemaRegistryUrl: '', names });

function recordOf(value: Buffer | null): InputRecord {
  return {
    topic: names.events,
    partition: 2,
    offset: '41',
    key: Buffer.from('evt-41'),
    value,
    timestamp: '0',
    headers: {},
  };
}

const letterOf = (value: Buffer | null, maxMessageBytes?: number) =>
  deadLetterMessage({
    service: 'inference',
    record: recordOf(value),
    why: { code: 'DW_MALFORMED_JSON', reason: 'not JSON' },
    deadLetterTopic: names.deadLetter,
    codec: codecs.deadLetter,
    now: 5,
    ...(maxMessageBytes === undefined ? {} : { maxMessageBytes }),
  });

describe('deadLetterMessage', () => {
  it('keeps a value whole when the letter fits, with its size and SHA-256', async () => {
    const value = Buffer.from('{"id":');
    const message = await letterOf(value);
    const letter = await codecs.deadLetter.decode(message.value);
    assert.deepEqual(Buffer.from(letter.value ?? []), value);
    assert.equal(letter.valueTruncated, false);
    assert.equal(letter.valueSize, 6);
    assert.equal(letter.valueSha256, createHash('sha256').update(value).digest('hex'));
    assert.deepEqual(message.key, Buffer.from('evt-41'));
  });

  it('cuts a 900 KB value down to a prefix that fits under the limit (base64 in JSON)', async () => {
    const value = Buffer.alloc(900_000, 0x7b);
    for (const limit of [1_000_000, 200_000, 65_536]) {
      const message = await letterOf(value, limit);
      assert.ok(messageBytes(message) <= limit, `${messageBytes(message)} ≤ ${limit}`);
      const letter = await codecs.deadLetter.decode(message.value);
      assert.equal(letter.valueTruncated, true);
      assert.equal(letter.valueSize, 900_000);
      assert.equal(letter.valueSha256, createHash('sha256').update(value).digest('hex'));
      assert.deepEqual(Buffer.from(letter.value ?? []), value.subarray(0, letter.value?.length));
      // Most of the room is used: the prefix is what a reader has to go on.
      assert.ok((letter.value?.length ?? 0) > ((limit - 1_000) * 3) / 4 - 100);
      assert.deepEqual(
        [letter.sourceTopic, letter.partition, letter.offset],
        [names.events, 2, '41'],
      );
    }
  });

  it('a tombstone is a letter with a null value and no checksum', async () => {
    const letter = await codecs.deadLetter.decode((await letterOf(null)).value);
    assert.deepEqual([letter.value, letter.valueSize, letter.valueSha256], [null, null, null]);
  });

  it('clips a very long reason', async () => {
    const message = await deadLetterMessage({
      service: 'inference',
      record: recordOf(Buffer.from('x')),
      why: { code: 'DW_SCHEMA_VIOLATION', reason: 'features: bad; '.repeat(100_000) },
      deadLetterTopic: names.deadLetter,
      codec: codecs.deadLetter,
      now: 5,
    });
    const letter = await codecs.deadLetter.decode(message.value);
    assert.equal(letter.reason.length, 4_000);
    assert.ok(letter.reason.endsWith('…'));
  });
});
