import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';

import { createLogger } from '@driftwatch/service-kit';

import type { Kafka } from './kafka.js';
import { followTopic } from './topic-follower.js';

/**
 * A kafkajs client reduced to what a follower uses, whose consumer crashes when told to: the
 * crash kafkajs reports when it abandons a consumer cannot be caused on demand with a real broker
 * (test/integration/broker-restart.test.ts meets it only sometimes).
 */
function crashingKafka(): { kafka: Kafka; crash(error: Error): void; runs: () => number } {
  const emitter = new EventEmitter();
  let runs = 0;
  const consumer = {
    events: { CRASH: 'crash', GROUP_JOIN: 'join', END_BATCH_PROCESS: 'end' },
    on: (event: string, listener: (event: unknown) => void) => emitter.on(event, listener),
    connect: () => Promise.resolve(),
    subscribe: () => Promise.resolve(),
    run: () => {
      runs++;
      return Promise.resolve();
    },
    disconnect: () => Promise.resolve(),
  };
  const admin = {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    deleteGroups: () => Promise.resolve(),
    // One record in partition 0 that the consumer never hands over: catching up waits.
    fetchTopicOffsets: () => Promise.resolve([{ partition: 0, high: '1', low: '0', offset: '1' }]),
  };
  const kafka = { consumer: () => consumer, admin: () => admin } as unknown as Kafka;
  return {
    kafka,
    crash: (error) => emitter.emit('crash', { payload: { error, restart: false } }),
    runs: () => runs,
  };
}

describe('followTopic', { timeout: 60_000 }, () => {
  it('fails every wait, and `failed`, when kafkajs abandons its consumer for good', async () => {
    const fake = crashingKafka();
    const follower = await followTopic({
      kafka: fake.kafka,
      topic: 'versions',
      logger: createLogger('test', 'silent'),
      groupIdPrefix: 'follower',
      onRecord: () => undefined,
    });
    const waiting = follower.catchUp();
    const denied = Object.assign(new Error('Not authorized to access group'), {
      name: 'KafkaJSProtocolError',
      retriable: false,
    });
    fake.crash(denied);
    await assert.rejects(follower.caughtUp, denied);
    await assert.rejects(waiting, denied);
    await assert.rejects(follower.failed, denied);
    await assert.rejects(follower.catchUp(), denied, 'a wait after the failure fails at once');
    assert.equal(fake.runs(), 1, 'not started again');
    await follower.stop();
  });

  it('starts the consumer again when it was abandoned because no broker answered', async () => {
    const fake = crashingKafka();
    const follower = await followTopic({
      kafka: fake.kafka,
      topic: 'versions',
      logger: createLogger('test', 'silent'),
      groupIdPrefix: 'follower',
      onRecord: () => undefined,
    });
    fake.crash(
      Object.assign(new Error('Failed to find group coordinator'), {
        name: 'KafkaJSNonRetriableError',
        cause: Object.assign(new Error('connect ECONNREFUSED'), { retriable: true }),
      }),
    );
    // A hang guard only: the first restart comes within 500 ms.
    for (let waited = 0; fake.runs() < 2; waited += 10) {
      assert.ok(waited < 30_000, 'the consumer was never started again');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const stillWaiting = await Promise.race([
      follower.failed.then(
        () => 'settled',
        () => 'failed',
      ),
      Promise.resolve('pending'),
    ]);
    assert.equal(stillWaiting, 'pending');
    await follower.stop();
  });
});
