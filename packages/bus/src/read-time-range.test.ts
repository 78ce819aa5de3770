import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { readTimeRange } from './read-time-range.js';
import { crashingKafka, noCoordinator, notAuthorized } from './testing/crashing-kafka.js';

// A hang guard: without the handling under test, these reads never end.
describe('readTimeRange, when kafkajs abandons its consumer', { timeout: 60_000 }, () => {
  it('fails the read on an answer retrying cannot fix', async () => {
    const fake = crashingKafka();
    const reading = readTimeRange({ kafka: fake.kafka, topic: 'labeled', fromTs: 0, toTs: 1 });
    while (fake.runs() < 1) await sleep(10);
    const denied = notAuthorized();
    fake.crash(denied);
    await assert.rejects(reading, denied);
  });

  it('starts the consumer again when no broker answered, and reads on', async () => {
    const fake = crashingKafka();
    const stop = new AbortController();
    const reading = readTimeRange({
      kafka: fake.kafka,
      topic: 'labeled',
      fromTs: 0,
      toTs: 1,
      signal: stop.signal,
    });
    while (fake.runs() < 1) await sleep(10);
    fake.crash(noCoordinator());
    while (fake.runs() < 2) await sleep(10);
    // Still reading: the fake's record never comes, so end the read the caller's way.
    stop.abort(new Error('enough'));
    await assert.rejects(reading, /enough/);
  });
});
