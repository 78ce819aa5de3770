import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';

import { Redis } from 'ioredis';

import { redisUrl, uniqueName } from '../support/environment.js';

describe('ioredis against the real local Redis', () => {
  const redis = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 });
  const prefix = uniqueName('redis-test');

  after(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('sets, gets and expires a key', async () => {
    const key = `${prefix}:expiring`;
    assert.equal(await redis.set(key, 'value', 'PX', 300), 'OK');
    assert.equal(await redis.get(key), 'value');
    const ttl = await redis.pttl(key);
    assert.ok(ttl > 0 && ttl <= 300, `ttl ${ttl}`);
    await sleep(450);
    assert.equal(await redis.get(key), null);
  });

  it('runs a pipeline in order and returns each reply', async () => {
    const key = `${prefix}:counter`;
    const replies = await redis
      .pipeline()
      .set(key, '10')
      .incrby(key, 5)
      .expire(key, 60)
      .get(key)
      .exec();
    assert.deepEqual(
      replies?.map(([error, value]) => [error, value]),
      [
        [null, 'OK'],
        [null, 15],
        [null, 1],
        [null, '15'],
      ],
    );
    const ttl = await redis.ttl(key);
    assert.ok(ttl > 0 && ttl <= 60);
  });
});
