import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DecodeError } from './errors.js';
import { jsonCodec } from './json-codec.js';
import { sampleMessages } from './testing/sample-messages.js';
import { topicCatalog } from './topic-catalog.js';

describe('jsonCodec', () => {
  const events = jsonCodec(topicCatalog.events);

  it('round-trips a feature event', async () => {
    const event = { id: 'e1', model: 'sea', ts: 1_700_000_000_000, features: { x1: 1.5, x2: -2 } };
    assert.deepEqual(await events.decode(await events.encode(event)), event);
  });

  it('decodes what zod would change through zod: an unknown field is dropped', async () => {
    const event = { id: 'e1', model: 'sea', ts: 1, features: { x1: 1.5 } };
    const decoded = await events.decode(Buffer.from(JSON.stringify({ ...event, extra: 'x' })));
    assert.deepStrictEqual(decoded, event);
    const defaulted = await jsonCodec(topicCatalog.driftAlerts).decode(
      Buffer.from(JSON.stringify({ ...sampleMessages.driftAlerts[0], summary: undefined })),
    );
    assert.equal(defaulted.summary, '');
  });

  it('decodeWithJson: the record itself when taken as it was, else the decoded message as JSON', async () => {
    const event = { id: 'e1', model: 'sea', ts: 1, features: { x1: 1.5 } };
    const record = Buffer.from(` ${JSON.stringify(event)}\n`);
    const taken = await events.decodeWithJson(record);
    assert.deepEqual(taken.message, event);
    assert.equal(taken.json, record, 'the same bytes, not a copy');

    const changed = await events.decodeWithJson(Buffer.from(JSON.stringify({ ...event, x: 1 })));
    assert.deepStrictEqual(changed.message, event);
    assert.equal(changed.json, JSON.stringify(event));

    await assert.rejects(events.decodeWithJson(Buffer.from('{')), { code: 'DW_MALFORMED_JSON' });
    await assert.rejects(events.decodeWithJson(null), { code: 'DW_EMPTY_MESSAGE' });
    await assert.rejects(events.decodeWithJson(Buffer.from('{"id":""}')), {
      code: 'DW_SCHEMA_VIOLATION',
    });
  });

  it('rejects what is not JSON, and an empty record', async () => {
    await assert.rejects(events.decode(Buffer.from('{"id":')), (error: unknown) => {
      assert.ok(error instanceof DecodeError);
      assert.equal(error.code, 'DW_MALFORMED_JSON');
      return true;
    });
    await assert.rejects(events.decode(null), { code: 'DW_EMPTY_MESSAGE' });
  });

  it('names every field that violates the schema', async () => {
    const bad = Buffer.from(
      JSON.stringify({ id: '', model: 'sea', ts: -1, features: { x1: 'high' } }),
    );
    await assert.rejects(events.decode(bad), (error: unknown) => {
      assert.ok(error instanceof DecodeError);
      assert.equal(error.code, 'DW_SCHEMA_VIOLATION');
      assert.match(error.message, /id: must not be empty/);
      assert.match(error.message, /ts: /);
      assert.match(error.message, /features\.x1: /);
      return true;
    });
  });

  it('carries bytes fields as base64', async () => {
    const deadLetters = jsonCodec(topicCatalog.deadLetter);
    const letter = {
      service: 'inference',
      sourceTopic: 'events',
      partition: 2,
      offset: '9007199254740993',
      code: 'DW_MALFORMED_JSON',
      reason: 'not JSON',
      key: Buffer.from('k'),
      value: Buffer.from([0, 255, 7]),
      failedAt: 1,
      valueTruncated: false,
      valueSize: 3,
      valueSha256: null,
    };
    const encoded = await deadLetters.encode(letter);
    assert.equal((JSON.parse(encoded.toString()) as { value: string }).value, 'AP8H');
    const decoded = await deadLetters.decode(encoded);
    assert.deepEqual([...(decoded.value ?? [])], [0, 255, 7]);
    assert.equal(decoded.offset, '9007199254740993');
  });

  it('reads a dead letter written before letters had a size and checksum', async () => {
    const deadLetters = jsonCodec(topicCatalog.deadLetter);
    const older = Buffer.from(
      JSON.stringify({
        service: 'joiner',
        sourceTopic: 'labels',
        partition: 0,
        offset: '4',
        code: 'DW_EMPTY_MESSAGE',
        reason: 'the record has no value',
        key: null,
        value: null,
        failedAt: 1,
      }),
    );
    const decoded = await deadLetters.decode(older);
    assert.equal(decoded.valueTruncated, false);
    assert.equal(decoded.valueSize, null);
    assert.equal(decoded.valueSha256, null);
  });
});
