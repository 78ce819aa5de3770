/**
 * Issue 10, "Poison and oversize input": no record can fail its batch for good. A record over the
 * size limit is dead-lettered unread; one a handler throws on is isolated by halving the batch and
 * dead-lettered alone, in a transaction with its offset, and the records around it go through.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createCodecs, topicNames } from '@driftwatch/topics';

import type { DeadLetterPolicy } from './dead-letter-policy.js';
import { InMemoryTransactionalProducer } from './in-memory-transactional-producer.js';
import { processBatch, type ProcessBatchOptions } from './process-batch.js';
import type { InputRecord } from './records.js';
import type { BatchHandler, RecordBatch } from './transactional-processor.js';

const names = topicNames('unit.');
const codecs = await createCodecs({ schemaRegistryUrl: '', names });

const deadLetters: DeadLetterPolicy = {
  service: 'inference',
  topic: names.deadLetter,
  codec: codecs.deadLetter,
  maxRecordBytes: () => 100,
  maxMessageBytes: 1_000_000,
  now: () => 9,
};

function batchOf(values: readonly string[]): RecordBatch {
  return {
    topic: names.events,
    partition: 1,
    records: values.map((value, i): InputRecord => ({
      topic: names.events,
      partition: 1,
      offset: String(100 + i),
      key: Buffer.from(`k${i}`),
      value: Buffer.from(value),
      timestamp: '0',
      headers: {},
    })),
  };
}

/** Echoes each record to `out`; throws a TypeError on any batch holding a value "poison". */
function poisonSensitive(calls: number[]): BatchHandler {
  return async (batch, context) => {
    calls.push(batch.records.length);
    await Promise.resolve();
    if (batch.records.some((record) => record.value?.toString() === 'poison'))
      throw new TypeError('cannot read properties of undefined');
    context.afterCommit(() => undefined);
    return batch.records.map((record) => ({
      topic: 'out',
      key: record.key,
      value: record.value ?? Buffer.alloc(0),
    }));
  };
}

function run(
  producer: InMemoryTransactionalProducer,
  batch: RecordBatch,
  handle: BatchHandler,
  extra: Partial<ProcessBatchOptions> = {},
) {
  return processBatch({
    producer,
    groupId: 'g',
    batch,
    handle,
    isStale: () => false,
    policy: { retries: 2, initialDelayMs: 0, maxDelayMs: 0, factor: 2 },
    signal: new AbortController().signal,
    deadLetters,
    ...extra,
  });
}

async function letters(producer: InMemoryTransactionalProducer) {
  return Promise.all(
    producer.committed
      .filter((message) => message.topic === names.deadLetter)
      .map((message) => codecs.deadLetter.decode(message.value as Buffer)),
  );
}

describe('processBatch with a dead-letter policy', () => {
  it('isolates the record a handler throws on, dead-letters it, and commits every other record', async () => {
    const producer = new InMemoryTransactionalProducer();
    const values = Array.from({ length: 16 }, (_, i) => (i === 11 ? 'poison' : `v${i}`));
    const calls: number[] = [];
    const lettered: string[] = [];
    const processed = await run(producer, batchOf(values), poisonSensitive(calls), {
      onDeadLetter: (record, why) => lettered.push(`${record.offset} ${why.code}`),
    });

    assert.deepEqual(processed, { outcome: 'committed', produced: 16 });
    const echoed = producer.committed.filter((m) => m.topic === 'out').map((m) => String(m.value));
    assert.deepEqual(
      echoed,
      values.filter((value) => value !== 'poison'),
    );
    const [letter, ...more] = await letters(producer);
    assert.equal(more.length, 0);
    assert.equal(letter?.code, 'DW_HANDLER_FAILED');
    assert.equal(letter.offset, '111');
    assert.match(letter.reason, /TypeError: cannot read properties of undefined/);
    assert.deepEqual(lettered, ['111 DW_HANDLER_FAILED']);
    assert.equal(producer.offsets.get(`${names.events}/1`), '116');
    // Halving, in offset order: [0,16) fails; [0,8) commits; [8,16) and [8,12) fail; [8,10)
    // commits; [10,12) fails; [10] commits; [11] fails alone and is lettered; [12,16) commits.
    assert.deepEqual(calls, [16, 8, 8, 4, 2, 2, 1, 1, 4]);
  });

  it('a batch of nothing but poison ends with one letter per record', async () => {
    const producer = new InMemoryTransactionalProducer();
    await run(producer, batchOf(['poison', 'poison', 'poison']), poisonSensitive([]));
    assert.deepEqual(
      (await letters(producer)).map((l) => l.offset),
      ['100', '101', '102'],
    );
    assert.equal(producer.offsets.get(`${names.events}/1`), '103');
  });

  it('dead-letters a record over the size limit without handing it to the handler', async () => {
    const producer = new InMemoryTransactionalProducer();
    const seen: string[] = [];
    const big = 'x'.repeat(99);
    await run(producer, batchOf(['a', big, 'b']), async (batch) => {
      seen.push(...batch.records.map((record) => String(record.value)));
      await Promise.resolve();
      return [];
    });
    assert.deepEqual(seen, ['a', 'b']);
    const [letter] = await letters(producer);
    assert.equal(letter?.code, 'DW_RECORD_TOO_LARGE');
    assert.equal(letter.offset, '101');
    assert.equal(letter.valueSize, 99);
    assert.match(letter.reason, /101 bytes, over the service's MAX_RECORD_BYTES \(100\)/);
  });

  it('a retriable error is retried, not dead-lettered', async () => {
    const producer = new InMemoryTransactionalProducer();
    let attempts = 0;
    await run(producer, batchOf(['a', 'b']), async (batch) => {
      await Promise.resolve();
      if (++attempts === 1) throw Object.assign(new Error('Redis down'), { code: 'ECONNREFUSED' });
      return batch.records.map((record) => ({
        topic: 'out',
        key: null,
        value: record.value ?? Buffer.alloc(0),
      }));
    });
    assert.equal(attempts, 2);
    assert.equal((await letters(producer)).length, 0);
    assert.equal(producer.committed.length, 2);
  });

  it('a handler stopped by shutdown fails the batch instead of dead-lettering it', async () => {
    const producer = new InMemoryTransactionalProducer();
    const stopping = new AbortController();
    await assert.rejects(
      run(
        producer,
        batchOf(['a']),
        async () => {
          stopping.abort();
          await Promise.resolve();
          throw new Error('training command killed');
        },
        { signal: stopping.signal },
      ),
      /training command killed/,
    );
    assert.equal(producer.committed.length, 0);
  });

  it('output the broker refuses as too large is isolated like a throw', async () => {
    const committed: string[] = [];
    const producer = new InMemoryTransactionalProducer();
    const transaction = producer.transaction.bind(producer);
    producer.transaction = async () => {
      const t = await transaction();
      return {
        ...t,
        sendBatch: async (batch) => {
          const values = (batch.topicMessages ?? []).flatMap((tm) =>
            tm.messages.map((m) => String(m.value)),
          );
          if (values.includes('huge'))
            throw Object.assign(new Error('too large'), { type: 'MESSAGE_TOO_LARGE' });
          committed.push(...values);
          return t.sendBatch(batch);
        },
      };
    };
    await run(producer, batchOf(['a', 'huge', 'b']), async (batch) => {
      await Promise.resolve();
      return batch.records.map((record) => ({
        topic: 'out',
        key: null,
        value: record.value ?? Buffer.alloc(0),
      }));
    });
    const [letter] = await letters(producer);
    assert.equal(letter?.code, 'DW_HANDLER_FAILED');
    assert.equal(letter.offset, '101');
    assert.deepEqual(
      producer.committed.filter((m) => m.topic === 'out').map((m) => String(m.value)),
      ['a', 'b'],
    );
  });
});
