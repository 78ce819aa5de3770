import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

const require = createRequire(import.meta.url);
const groupingModule = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
const requestQueueModule = require.resolve('kafkajs/src/network/requestQueue/index.js');

type Grouping = (options: {
  topic: string;
  partitionMetadata: readonly { partitionId: number }[];
  messages: readonly { value: string; partition: number }[];
  partitioner: (options: { message: { partition: number } }) => number;
}) => Record<string, { value: string; partition: number }[]>;

// patches/kafkajs+2.2.4.patch, applied by `npm ci` (postinstall: patch-package --error-on-fail).
describe('kafkajs as patched', () => {
  it('groups a send by partition without copying each partition’s messages per message', async () => {
    const source = await readFile(groupingModule, 'utf8');
    assert.doesNotMatch(
      source,
      /\[\.\.\.current, message\]/,
      'the quadratic grouping of kafkajs 2.2.4 is back: run `npm ci` (patch-package applies patches/)',
    );
  });

  it('keeps every message, in the order sent, under the partition the partitioner chose', () => {
    const group = require(groupingModule) as Grouping;
    const messages = Array.from({ length: 1000 }, (_, index) => ({
      value: `m${String(index)}`,
      partition: (index * 7) % 3,
    }));
    const grouped = group({
      topic: 't',
      partitionMetadata: [{ partitionId: 0 }, { partitionId: 1 }, { partitionId: 2 }],
      messages,
      partitioner: ({ message }) => message.partition,
    });
    assert.deepEqual(Object.keys(grouped).sort(), ['0', '1', '2']);
    for (const partition of [0, 1, 2]) {
      assert.deepEqual(
        grouped[String(partition)],
        messages.filter((message) => message.partition === partition),
      );
    }
    assert.deepEqual(
      group({ topic: 't', partitionMetadata: [], messages, partitioner: () => 0 }),
      {},
    );
  });

  describe('a connection’s request queue', () => {
    interface RequestQueue {
      pending: unknown[];
      throttleCheckTimeoutId: NodeJS.Timeout | null;
      push(request: {
        entry: { correlationId: number; resolve(): void; reject(): void };
        expectResponse: boolean;
        sendRequest(): void;
      }): void;
      checkPendingRequests(): void;
      maybeThrottle(ms: number): void;
      destroy(): void;
    }
    const RequestQueue = require(requestQueueModule) as new (options: {
      maxInFlightRequests: number | null;
      requestTimeout: number;
      enforceRequestTimeout: boolean;
      clientId: string;
      broker: string;
      logger: { debug(): void; warn(): void };
    }) => RequestQueue;
    const queue = (): RequestQueue =>
      new RequestQueue({
        maxInFlightRequests: null,
        requestTimeout: 30_000,
        enforceRequestTimeout: false,
        clientId: 'test',
        broker: 'localhost:9092',
        logger: { debug: () => undefined, warn: () => undefined },
      });

    it('schedules no check while nothing is pending (kafkajs 2.2.4 looped on a 1 ms timer)', () => {
      const idle = queue();
      idle.checkPendingRequests();
      const scheduled = idle.throttleCheckTimeoutId ?? null;
      // Unpatched, the loop would keep this test process alive for ever.
      idle.destroy();
      assert.equal(
        scheduled,
        null,
        'an idle queue scheduled a check: the timer loop of kafkajs 2.2.4 is back; run `npm ci`',
      );
    });

    it('still sends a request that waited for a throttle to end, then schedules nothing', async () => {
      const throttled = queue();
      throttled.maybeThrottle(20);
      const sent = new Promise<void>((resolve) => {
        throttled.push({
          entry: { correlationId: 1, resolve: () => undefined, reject: () => undefined },
          expectResponse: false,
          sendRequest: resolve,
        });
      });
      assert.equal(throttled.pending.length, 1, 'a throttled request waits');
      await sent;
      const scheduled = throttled.throttleCheckTimeoutId ?? null;
      throttled.destroy();
      assert.equal(throttled.pending.length, 0);
      assert.equal(scheduled, null, 'a check was scheduled with nothing left pending');
    });
  });
});
