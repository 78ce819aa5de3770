import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Message, ProducerBatch, TopicOffsets } from 'kafkajs';

import { BusError } from './errors.js';
import {
  processBatch,
  type ProcessBatchOptions,
  type TransactionalProducer,
} from './process-batch.js';
import type { InputRecord, OutputMessage } from './records.js';
import type { RetryPolicy } from './retry.js';
import type { BatchHandler, RecordBatch } from './transactional-processor.js';

/** What the broker saw of one transaction. */
interface FakeTransaction {
  requests: Message[][];
  offsets: { consumerGroupId: string; topics: TopicOffsets[] }[];
  end: 'open' | 'committed' | 'aborted';
}

/**
 * A transactional producer that records what each transaction sends and how it ends; `fail`
 * makes one step of a given transaction (by its index) throw.
 */
class FakeProducer implements TransactionalProducer {
  readonly transactions: FakeTransaction[] = [];
  /** Every call, in order, across transactions, with the index of its transaction. */
  readonly calls: string[] = [];
  readonly #failures = new Map<string, Error>();
  readonly #holds = new Map<string, Promise<void>>();

  fail(transaction: number, step: 'sendBatch' | 'sendOffsets' | 'commit' | 'abort', error: Error) {
    this.#failures.set(`${transaction}:${step}`, error);
  }

  /** Makes one step of a given transaction answer only once `released` has settled. */
  hold(transaction: number, step: 'sendBatch' | 'sendOffsets', released: Promise<void>) {
    this.#holds.set(`${transaction}:${step}`, released);
  }

  transaction(): ReturnType<TransactionalProducer['transaction']> {
    const index = this.transactions.length;
    const record: FakeTransaction = { requests: [], offsets: [], end: 'open' };
    this.transactions.push(record);
    this.calls.push(`transaction ${index}`);
    // Like kafkajs: every call answers with a promise, a failure with a rejected one.
    const step = <T>(name: string, effect: () => T): Promise<T> => {
      this.calls.push(`${name} ${index}`);
      if (record.end !== 'open')
        return Promise.reject(new Error(`${name} on a transaction already ${record.end}`));
      const failure = this.#failures.get(`${index}:${name}`);
      if (failure) return Promise.reject(failure);
      const held = this.#holds.get(`${index}:${name}`);
      return held ? held.then(effect) : Promise.resolve(effect());
    };
    const transaction: Awaited<ReturnType<TransactionalProducer['transaction']>> = {
      sendBatch: (batch: ProducerBatch) =>
        step('sendBatch', () => {
          record.requests.push((batch.topicMessages ?? []).flatMap((topic) => topic.messages));
          return [];
        }),
      sendOffsets: (offsets) =>
        step('sendOffsets', () => {
          record.offsets.push(offsets);
        }),
      commit: () =>
        step('commit', () => {
          record.end = 'committed';
        }),
      abort: () =>
        step('abort', () => {
          record.end = 'aborted';
        }),
    };
    return Promise.resolve(transaction);
  }
}

const retriable = (message: string): Error =>
  Object.assign(new Error(message), { retriable: true });
/** No waiting between attempts: the tests count attempts, not time. */
const policy = (retries: number): RetryPolicy => ({
  retries,
  initialDelayMs: 0,
  maxDelayMs: 0,
  factor: 2,
});

function batchOf(offsets: readonly string[]): RecordBatch {
  return {
    topic: 'in',
    partition: 3,
    records: offsets.map((offset): InputRecord => ({
      topic: 'in',
      partition: 3,
      offset,
      key: null,
      value: Buffer.from(offset),
      timestamp: '0',
      headers: {},
    })),
  };
}

/** One output per input record, `bytes` long, and one afterCommit effect per attempt. */
function echoHandler(bytes: number, effects: string[]): BatchHandler & { attempts: number } {
  const handler = Object.assign(
    async (batch: RecordBatch, context: Parameters<BatchHandler>[1]): Promise<OutputMessage[]> => {
      const attempt = ++handler.attempts;
      context.afterCommit(() => effects.push(`effect of attempt ${attempt}`));
      await Promise.resolve();
      return batch.records.map((record) => ({
        topic: 'out',
        key: record.offset,
        value: Buffer.alloc(bytes, 1),
      }));
    },
    { attempts: 0 },
  );
  return handler;
}

function options(
  producer: FakeProducer,
  handle: BatchHandler,
  overrides: Partial<ProcessBatchOptions> = {},
): ProcessBatchOptions {
  return {
    producer,
    groupId: 'group-a',
    batch: batchOf(['7', '8', '9']),
    handle,
    isStale: () => false,
    policy: policy(3),
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe('processBatch', () => {
  it('commits the output and the offset after the last record, then runs the effects', async () => {
    const producer = new FakeProducer();
    const effects: string[] = [];
    // 300 KiB each: together over the broker's default 1 MiB record batch limit.
    const handle = echoHandler(300 * 1024, effects);
    const batch = batchOf([
      '9007199254740990',
      '9007199254740991',
      '9007199254740992',
      '9007199254740993',
    ]);
    const processed = await processBatch(options(producer, handle, { batch }));

    assert.deepEqual(processed, { outcome: 'committed', produced: 4 });
    assert.equal(producer.transactions.length, 1);
    const [transaction] = producer.transactions;
    assert.equal(transaction?.end, 'committed');
    assert.deepEqual(
      transaction.requests.flat().map((message) => message.key),
      batch.records.map((record) => record.offset),
      'every output, in order',
    );
    assert.ok(transaction.requests.length > 1, 'split into several produce requests');
    for (const request of transaction.requests) {
      const bytes = request.reduce((sum, m) => sum + (m.value as Buffer).length, 0);
      assert.ok(bytes <= 1024 * 1024, `a request of ${bytes} bytes would be refused`);
    }
    // Past 2^53: an offset computed in floating point would be off by one.
    assert.deepEqual(transaction.offsets, [
      {
        consumerGroupId: 'group-a',
        topics: [{ topic: 'in', partitions: [{ partition: 3, offset: '9007199254740994' }] }],
      },
    ]);
    assert.equal(producer.calls.filter((call) => call === 'sendOffsets 0').length, 1);
    assert.equal(producer.calls.at(-1), 'commit 0', 'the commit comes after every send');
    assert.deepEqual(effects, ['effect of attempt 1']);
  });

  it('runs the effects only once the transaction has committed', async () => {
    const producer = new FakeProducer();
    const order: string[] = [];
    await processBatch(
      options(producer, (_batch, context) => {
        context.afterCommit(() => {
          order.push(`effect after ${producer.calls.at(-1) ?? 'nothing'}`);
        });
        return Promise.resolve([]);
      }),
    );
    assert.deepEqual(order, ['effect after commit 0']);
    assert.deepEqual(producer.transactions[0]?.requests, [], 'no produce request for no output');
  });

  it('a handler that throws fails the batch: nothing committed, no effects', async () => {
    const producer = new FakeProducer();
    const effects: string[] = [];
    let attempts = 0;
    await assert.rejects(
      processBatch(
        options(producer, (_batch, context) => {
          attempts++;
          context.afterCommit(() => effects.push('effect'));
          return Promise.reject(new TypeError('handler bug'));
        }),
      ),
      TypeError,
    );
    assert.equal(attempts, 1, 'a programmer error is not retried');
    assert.ok(producer.transactions.every((t) => t.end !== 'committed'));
    assert.ok(producer.transactions.every((t) => t.offsets.length === 0));
    assert.deepEqual(effects, []);
  });

  it('a failure inside the transaction aborts it and rejects with that failure, not the abort’s', async () => {
    const producer = new FakeProducer();
    const effects: string[] = [];
    producer.fail(0, 'sendOffsets', new Error('not the coordinator'));
    producer.fail(0, 'abort', new Error('abort failed too'));
    await assert.rejects(processBatch(options(producer, echoHandler(10, effects))), {
      message: 'not the coordinator',
    });
    assert.deepEqual(producer.calls, ['transaction 0', 'sendBatch 0', 'sendOffsets 0', 'abort 0']);
    assert.deepEqual(effects, []);
  });

  it('a stale partition: the transaction is aborted, so the offsets it was given are not committed', async () => {
    const producer = new FakeProducer();
    const effects: string[] = [];
    const handle = echoHandler(10, effects);
    const processed = await processBatch(options(producer, handle, { isStale: () => true }));
    assert.equal(processed.outcome, 'stale');
    assert.equal(handle.attempts, 1, 'stale is an outcome, not a failure to retry');
    const [transaction] = producer.transactions;
    assert.equal(transaction?.end, 'aborted');
    assert.ok(!producer.calls.some((call) => call.startsWith('commit')));
    assert.deepEqual(effects, []);
  });

  it('sends the offsets while the outputs are on their way, and commits once both are sent', async () => {
    const producer = new FakeProducer();
    const effects: string[] = [];
    let release = (): void => undefined;
    producer.hold(
      0,
      'sendBatch',
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    const processing = processBatch(options(producer, echoHandler(10, effects)));
    // Bounded in turns of the event loop, not in time.
    for (let turn = 0; turn < 1000 && !producer.calls.includes('sendOffsets 0'); turn++) {
      await new Promise(setImmediate);
    }
    assert.deepEqual(producer.calls, ['transaction 0', 'sendBatch 0', 'sendOffsets 0']);
    assert.equal(producer.transactions[0]?.requests.length, 0, 'the outputs are still held');
    release();
    const processed = await processing;
    assert.equal(processed.outcome, 'committed');
    assert.deepEqual(producer.calls, ['transaction 0', 'sendBatch 0', 'sendOffsets 0', 'commit 0']);
    assert.equal(producer.transactions[0].requests.flat().length, 3, 'the three records’ outputs');
  });

  it('a failed send waits for the offsets in flight, then aborts', async () => {
    const producer = new FakeProducer();
    let release = (): void => undefined;
    producer.hold(
      0,
      'sendOffsets',
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    producer.fail(0, 'sendBatch', new Error('the broker refused it'));
    const processing = processBatch(options(producer, echoHandler(10, []), { policy: policy(0) }));
    for (let turn = 0; turn < 100; turn++) await new Promise(setImmediate);
    assert.ok(!producer.calls.includes('abort 0'), 'no abort while the offsets are in flight');
    release();
    await assert.rejects(processing, { message: 'the broker refused it' });
    assert.deepEqual(producer.calls, ['transaction 0', 'sendBatch 0', 'sendOffsets 0', 'abort 0']);
  });

  it('a retriable failure aborts and handles the batch again; only the committed attempt’s effects run', async () => {
    const producer = new FakeProducer();
    const effects: string[] = [];
    const retries: number[] = [];
    producer.fail(0, 'commit', retriable('CONCURRENT_TRANSACTIONS'));
    producer.fail(1, 'sendBatch', retriable('NOT_LEADER_FOR_PARTITION'));
    const handle = echoHandler(10, effects);
    const processed = await processBatch(
      options(producer, handle, {
        onRetry: (_error, attempt) => retries.push(attempt),
      }),
    );
    assert.deepEqual(processed, { outcome: 'committed', produced: 3 });
    assert.equal(handle.attempts, 3);
    assert.deepEqual(
      producer.transactions.map((t) => t.end),
      ['aborted', 'aborted', 'committed'],
    );
    assert.deepEqual(retries, [0, 1]);
    assert.deepEqual(effects, ['effect of attempt 3']);
  });

  it('gives up when the retry policy runs out, with nothing committed', async () => {
    const producer = new FakeProducer();
    const effects: string[] = [];
    for (let transaction = 0; transaction < 10; transaction++)
      producer.fail(transaction, 'commit', retriable('broker away'));
    const handle = echoHandler(10, effects);
    await assert.rejects(
      processBatch(options(producer, handle, { policy: policy(2) })),
      (error) => {
        assert.ok(error instanceof BusError);
        assert.equal(error.code, 'DW_BUS_RETRIES_EXHAUSTED');
        assert.equal(error.retriable, false);
        return true;
      },
    );
    assert.equal(handle.attempts, 3, 'the first attempt and two retries');
    assert.deepEqual(
      producer.transactions.map((t) => t.end),
      ['aborted', 'aborted', 'aborted'],
    );
    assert.deepEqual(effects, []);
  });

  it('a failure that is not retriable is not retried', async () => {
    const producer = new FakeProducer();
    const effects: string[] = [];
    producer.fail(0, 'sendBatch', new Error('record too large'));
    const handle = echoHandler(10, effects);
    await assert.rejects(processBatch(options(producer, handle)), { message: 'record too large' });
    assert.equal(handle.attempts, 1);
    assert.equal(producer.transactions.length, 1);
    assert.equal(producer.transactions[0]?.end, 'aborted');
  });

  it('stops retrying once the service stops, and hands the handler that signal', async () => {
    const producer = new FakeProducer();
    const stopping = new AbortController();
    const signals: AbortSignal[] = [];
    producer.fail(0, 'commit', retriable('broker away'));
    await assert.rejects(
      processBatch(
        options(
          producer,
          (_batch, context) => {
            signals.push(context.signal);
            // The service is told to stop while this attempt is in hand.
            stopping.abort();
            return Promise.resolve([]);
          },
          { signal: stopping.signal, policy: policy(Infinity) },
        ),
      ),
      (error) => error instanceof BusError && error.code === 'DW_BUS_STOPPED',
    );
    assert.deepEqual(signals, [stopping.signal]);
    assert.equal(producer.transactions.length, 1);
  });

  it("hands the handler the consumer's heartbeat, whose failures never reach it", async () => {
    const producer = new FakeProducer();
    const beats: string[] = [];
    const outcome = await processBatch(
      options(
        producer,
        async (_batch, context) => {
          context.heartbeat();
          context.heartbeat();
          await Promise.resolve();
          return [];
        },
        {
          heartbeat: () => {
            beats.push('beat');
            // A rebalance in progress: dealt with once the batch is done, not by the handler.
            return Promise.reject(new Error('The group is rebalancing'));
          },
        },
      ),
    );
    assert.equal(outcome.outcome, 'committed');
    assert.deepEqual(beats, ['beat', 'beat']);
  });
});
