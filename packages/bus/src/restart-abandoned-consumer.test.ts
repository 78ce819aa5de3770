import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { restartAbandonedConsumer } from './restart-abandoned-consumer.js';
import { crashingKafka, noCoordinator } from './testing/crashing-kafka.js';

/** The fake's consumer, watched by a restart that runs it the way the bus does. */
function watched(signal = new AbortController().signal): {
  fake: ReturnType<typeof crashingKafka>;
  restarted: Error[];
  failed: unknown[];
} {
  const fake = crashingKafka();
  const consumer = fake.kafka.consumer({ groupId: 'restart' });
  const restarted: Error[] = [];
  const failed: unknown[] = [];
  restartAbandonedConsumer(consumer, {
    run: () => consumer.run({ eachBatch: () => Promise.resolve() }),
    signal,
    onRestart: (error) => restarted.push(error),
    fail: (error) => failed.push(error),
  });
  return { fake, restarted, failed };
}

async function until(condition: () => boolean): Promise<void> {
  // A hang guard only: the restart's first backoff is at most 500 ms.
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 30_000) throw new Error('condition never held');
    await sleep(10);
  }
}

describe('restartAbandonedConsumer', () => {
  it('starts a consumer kafkajs gave up on again, when the cause was the brokers being away', async () => {
    const { fake, restarted, failed } = watched();
    fake.crash(noCoordinator(), false);
    await until(() => fake.calls().length === 2);
    assert.deepEqual(fake.calls(), ['connect', 'run']);
    assert.equal(restarted.length, 1);
    assert.deepEqual(failed, []);
  });

  it('leaves a restart kafkajs does itself alone', async () => {
    const { fake, failed } = watched();
    fake.crash(noCoordinator(), true);
    await sleep(600);
    assert.deepEqual(fake.calls(), []);
    assert.deepEqual(failed, []);
  });

  it('fails on an error retrying cannot fix, and on any crash once stopping', () => {
    const stopping = new AbortController();
    const { fake, failed } = watched(stopping.signal);
    const broken = new TypeError('a bug in a handler');
    fake.crash(broken, false);
    stopping.abort();
    const away = noCoordinator();
    fake.crash(away, false);
    assert.deepEqual(failed, [broken, away]);
    assert.deepEqual(fake.calls(), []);
  });
});
