import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseEnv, redisEnv } from './env.js';
import { ConfigError } from './errors.js';
import { redisTls } from './redis-tls.js';

const readFile = (path: string): string => {
  if (path === '/tls/ca.pem') return 'CA PEM';
  throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
};

describe('redisTls', () => {
  it('adds nothing without a CA file: rediss:// alone is TLS against the system CAs', () => {
    assert.deepEqual(redisTls({ REDIS_URL: 'redis://127.0.0.1:6379' }, readFile), {});
    assert.deepEqual(redisTls({ REDIS_URL: 'rediss://u:p@127.0.0.1:6380' }, readFile), {});
  });

  it('trusts the CA file for a rediss:// URL', () => {
    assert.deepEqual(
      redisTls(
        { REDIS_URL: 'rediss://127.0.0.1:6380', REDIS_TLS_CA_FILE: '/tls/ca.pem' },
        readFile,
      ),
      { tls: { ca: ['CA PEM'] } },
    );
  });

  it('refuses a CA file beside a plain redis:// URL, and an unreadable one', () => {
    for (const [url, path, problem] of [
      ['redis://127.0.0.1:6379', '/tls/ca.pem', /not rediss:\/\//],
      ['rediss://127.0.0.1:6380', '/tls/missing.pem', /cannot read \/tls\/missing.pem \(ENOENT\)/],
    ] as const) {
      assert.throws(
        () => redisTls({ REDIS_URL: url, REDIS_TLS_CA_FILE: path }, readFile),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.problems[0]?.variable === 'REDIS_TLS_CA_FILE' &&
          problem.test(error.message),
      );
    }
  });
});

describe('REDIS_URL', () => {
  it('keeps its password out of a configuration error', () => {
    assert.throws(
      () => parseEnv(redisEnv, { REDIS_URL: 'rediss//driftwatch:s3cret@127.0.0.1:6380' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        !error.message.includes('s3cret') &&
        error.message.includes('driftwatch:***@'),
    );
  });
});
