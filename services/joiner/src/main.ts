import { connectServiceBus } from '@driftwatch/bus';
import { redisTls, runService } from '@driftwatch/service-kit';
import { topicNames } from '@driftwatch/topics';
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
    const consumes = topicNames(config.TOPIC_PREFIX);
    const diagnostics = createJoinerDiagnostics(metrics, {
      consumedTopics: [consumes.predictions, consumes.labels],
    });
    const redis = new Redis(config.REDIS_URL, {
      ...redisTls(config),
      // Fail a command fast while disconnected; the batch is retried with backoff as a whole.
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
    });
    // ioredis reports every failed reconnect; the health check logs the first and the recovery.
    const redisHealth = health.dependency('redis');
    const redisRefused = whenRedisRefusesCredentials(redis);
    redis.on('error', (error: Error) => {
      // Reported once as the reason the service stops; the error itself carries the password.
      if (redisCredentialsRefused(error)) return;
      redisHealth.down(error.message);
      logger.debug({ event: 'redis.error', err: error }, 'Redis connection problem');
    });
    redis.on('ready', () => {
      redisHealth.up();
    });
    redis.on('close', () => {
      redisHealth.down('connection closed');
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
      kafkaHealth: health.dependency('kafka'),
      topics: [names.predictions, names.labels],
      handle: createJoinHandler({ names, codecs, store, now: Date.now, diagnostics }),
      partitionsConcurrently: config.JOINER_CONCURRENT_PARTITIONS,
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
    health.watch('processor', processor.healthy);
    return {
      done: Promise.race([processor.done, redisRefused]),
      stop: async () => {
        await processor.stop();
        await sweeper.stop();
        // QUIT waits for a connection that may never come back; a closed socket loses nothing.
        if (redis.status === 'ready') await redis.quit();
        else redis.disconnect();
      },
    };
  },
});
