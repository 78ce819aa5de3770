import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { createLogger } from '@driftwatch/service-kit';

import { crashingKafka, noCoordinator, notAuthorized } from './testing/crashing-kafka.js';
import { followTopic, type TopicFollower } from './topic-follower.js';

function follow(kafka: ReturnType<typeof crashingKafka>['kafka']): Promise<TopicFollower> {
  return followTopic({
    kafka,
    topic: 'versions',
    logger: createLogger('test', 'silent'),
    groupIdPrefix: 'follower',
    onRecord: () => undefined,
  });
}

// A hang guard: without the handling under test, these waits never end.
describe('followTopic', { timeout: 60_000 }, () => {
  it('fails every wait, and `failed`, when kafkajs abandons its consumer for good', async () => {
    const fake = crashingKafka();
    const follower = await follow(fake.kafka);
    const waiting = follower.catchUp();
    const denied = notAuthorized();
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
    const follower = await follow(fake.kafka);
    fake.crash(noCoordinator());
    // The first restart comes within 500 ms.
    while (fake.runs() < 2) await sleep(10);
    const failed = await Promise.race([
      follower.failed.then(
        () => true,
        () => true,
      ),
      sleep(100, false),
    ]);
    assert.equal(failed, false, 'a restart is not a failure');
    await follower.stop();
  });
});
