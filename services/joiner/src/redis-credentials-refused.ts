import { ConfigError } from '@driftwatch/service-kit';
import type { Redis } from 'ioredis';

/**
 * The configuration error to report when `error` is Redis refusing REDIS_URL's credentials
 * (WRONGPASS, or NOAUTH: a password is required and none was given), else undefined. Built afresh
 * rather than wrapping: ioredis hangs the AUTH or HELLO command, password included, on the error.
 */
export function redisCredentialsRefused(error: unknown): ConfigError | undefined {
  if (!(error instanceof Error)) return undefined;
  const reply = /^(WRONGPASS|NOAUTH)\b/.exec(error.message)?.[1];
  if (reply === undefined) return undefined;
  return new ConfigError([
    {
      variable: 'REDIS_URL',
      problem:
        reply === 'NOAUTH'
          ? 'Redis requires a password and the URL gives none (redis[s]://user:password@host:port)'
          : `Redis refused the URL's user and password (${reply})`,
    },
  ]);
}

/**
 * Rejects, once, when Redis refuses the client's credentials, and stops the client reconnecting:
 * ioredis would otherwise retry a wrong password forever. Never resolves.
 */
export function whenRedisRefusesCredentials(redis: Redis): Promise<never> {
  const refused = new Promise<never>((_, reject) => {
    const onError = (error: unknown): void => {
      const problem = redisCredentialsRefused(error);
      if (problem === undefined) return;
      redis.off('error', onError);
      redis.disconnect();
      reject(problem);
    };
    redis.on('error', onError);
  });
  // Observed by whoever awaits it; until then a rejection must not count as unhandled.
  refused.catch(() => undefined);
  return refused;
}
