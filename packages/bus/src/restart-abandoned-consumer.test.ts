import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Consumer } from './kafka.js';
import { restartAbandonedConsumer } from './restart-abandoned-consumer.js';
import { noCoordinator } from './testing/crashing-kafka.js';

/** The part of a kafkajs consumer the restart uses: its events, connect and run. */
function fakeConsumer(): {
  consumer: Consumer;
  crash(error: Error, restart: boolean): void;
  join(): void;
  calls: string[];
} {
  const emitter = new EventEmitter();
  const calls: string[] = [];
  const events = { CRASH: 'crash', GROUP_JOIN: 'join' };
  const consumer = {
    events,
    on: (event: string, listener: (event: unknown) => void) => emitter.on(event, listener),
    connect: () => {
      calls.push('connect');
      return Promise.resolve();
    },
  } as unknown as Consumer;
  return {
    consumer,
    calls,
    crash: (error, restart) => emitter.emit('crash', { payload: { error, restart } }),
    join: () => emitter.emit('join', { payload: {} }),
  };
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
    const fake = fakeConsumer();
    const restarted: Error[] = [];
    const failed: unknown[] = [];
    restartAbandonedConsumer(fake.consumer, {
      run: () => {
        fake.calls.push('run');
        return Promise.resolve();
      },
      signal: new AbortController().signal,
      onRestart: (error) => restarted.push(error),
      fail: (error) => failed.push(error),
    });
    fake.crash(noCoordinator(), false);
    await until(() => fake.calls.length === 2);
    assert.deepEqual(fake.calls, ['connect', 'run']);
    assert.equal(restarted.length, 1);
    assert.deepEqual(failed, []);
  });

  it('leaves a restart kafkajs does itself alone', async () => {
    const fake = fakeConsumer();
    const failed: unknown[] = [];
    restartAbandonedConsumer(fake.consumer, {
      run: () => Promise.resolve(),
      signal: new AbortController().signal,
      onRestart: () => undefined,
      fail: (error) => failed.push(error),
    });
    fake.crash(noCoordinator(), true);
    await sleep(600);
    assert.deepEqual(fake.calls, []);
    assert.deepEqual(failed, []);
  });

  it('fails on an error retrying cannot fix, and on any crash once stopping', () => {
    const fake = fakeConsumer();
    const failed: unknown[] = [];
    const stopping = new AbortController();
    restartAbandonedConsumer(fake.consumer, {
      run: () => Promise.resolve(),
      signal: stopping.signal,
      onRestart: () => undefined,
      fail: (error) => failed.push(error),
    });
    const broken = new TypeError('a bug in a handler');
    fake.crash(broken, false);
    stopping.abort();
    const away = noCoordinator();
    fake.crash(away, false);
    assert.deepEqual(failed, [broken, away]);
    assert.deepEqual(fake.calls, []);
  });
});
