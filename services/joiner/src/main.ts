import { connectServiceBus } from '@driftwatch/bus';
import { redisTls, runService } from '@driftwatch/service-kit';
import { Redis } from 'ioredis';

import { joinerEnv } from './config.js';
import { createJoinerDiagnostics } from './diagnostics.js';
import { startExpirySweeper } from './expiry-sweeper.js';
import { createJoinHandler } from './join-batch.js';
import { RedisJoinStore } from './join-store.js';
import {
  redisCredentialsRefused,
  whenRedisRefusesCredentials,
} from './redis-credentials-refused.js';

await runService({
  name: 'joiner',
  env: joinerEnv,
  start: async ({ config, logger, metrics, health, shutdown }) => {
    const diagnostics = createJoinerDiagnostics(metrics);
    const redis = new Redis(config.REDIS_URL, {
      ...redisTls(config),
      // Fail a command fast while disconnected; the batch is retried with backoff as a whole.
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
    });
    const redisRefused = whenRedisRefusesCredentials(redis);
    redis.on('error', (error: Error) => {
      // Reported once as the reason the service stops; the error itself carries the password.
      if (redisCredentialsRefused(error)) return;
      logger.warn({ event: 'redis.error', err: error }, 'Redis connection problem');
    });
    redis.on('ready', () => {
      health.set('redis', true);
    });
    redis.on('end', () => {
      health.set('redis', false);
    });
    const store = new RedisJoinStore(redis, {
      keyPrefix: `${config.REDIS_KEY_PREFIX}${config.TOPIC_PREFIX}`,
      ttlMs: config.JOIN_TTL_SECONDS * 1000,
      // Keep a pair's hash past its deadline long enough for the sweeper to count it.
      graceMs: Math.max(60_000, 10 * config.JOIN_SWEEP_INTERVAL_MS),
    });

    const bus = await connectServiceBus({
      service: 'joiner',
      config,
      logger,
      groupId: config.JOINER_GROUP_ID,
      topics: ['predictions', 'labels', 'predictionsLabeled', 'deadLetter'],
      signal: shutdown.signal,
    });

    const { names, codecs } = bus;
    const processor = await bus.startProcessor({
      topics: [names.predictions, names.labels],
      handle: createJoinHandler({ names, codecs, store, now: Date.now, diagnostics }),
      logger,
      diagnostics,
    });
    const sweeper = startExpirySweeper({
      store,
      intervalMs: config.JOIN_SWEEP_INTERVAL_MS,
      now: Date.now,
      diagnostics,
      logger,
    });
    health.watch('kafka', processor.healthy);
    return {
      done: Promise.race([processor.done, redisRefused]),
      stop: async () => {
        await processor.stop();
        await sweeper.stop();
        // Already closed (its password refused, say): nothing left to flush.
        if (redis.status !== 'end') await redis.quit();
      },
    };
  },
});
