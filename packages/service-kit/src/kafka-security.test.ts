import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConfigError } from './errors.js';
import { kafkaSecurity, kafkaSecurityEnv } from './kafka-security.js';
import { parseEnv } from './env.js';

const files: Record<string, string> = {
  '/secrets/password': 'hunter2\n',
  '/tls/ca.pem': 'CA PEM',
  '/tls/client.pem': 'CERT PEM',
  '/tls/client.key': 'KEY PEM',
};
const readFile = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return text;
};
const fromEnv = (env: Record<string, string>) =>
  kafkaSecurity(parseEnv(kafkaSecurityEnv, env), readFile);

/** The variables named by the ConfigError `run` throws, and its message. */
function refused(run: () => unknown): { variables: string[]; message: string } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return { variables: error.problems.map((p) => p.variable), message: error.message };
  }
  assert.fail('expected a ConfigError');
}

describe('kafkaSecurity', () => {
  it('is PLAINTEXT, no ssl and no sasl, when nothing is set', () => {
    assert.deepEqual(fromEnv({}), {});
  });

  it('reads SASL_SSL with SCRAM, a password file and a CA (the doc example)', () => {
    assert.deepEqual(
      fromEnv({
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'driftwatch',
        KAFKA_SASL_PASSWORD_FILE: '/secrets/password',
        KAFKA_SSL_CA_FILE: '/tls/ca.pem',
      }),
      {
        sasl: { mechanism: 'scram-sha-512', username: 'driftwatch', password: 'hunter2' },
        ssl: { ca: ['CA PEM'] },
      },
    );
  });

  it('takes every mechanism in any case, and a password from the environment', () => {
    for (const [given, mechanism] of [
      ['plain', 'plain'],
      ['Scram-Sha-256', 'scram-sha-256'],
      ['SCRAM-SHA-512', 'scram-sha-512'],
    ]) {
      const security = fromEnv({
        KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext',
        KAFKA_SASL_MECHANISM: given!,
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
      });
      assert.deepEqual(security, { sasl: { mechanism, username: 'u', password: 'p' } });
    }
  });

  it('uses the system CAs for SSL without a CA file, and a client certificate with its key', () => {
    assert.deepEqual(fromEnv({ KAFKA_SECURITY_PROTOCOL: 'SSL' }), { ssl: true });
    assert.deepEqual(
      fromEnv({
        KAFKA_SECURITY_PROTOCOL: 'SSL',
        KAFKA_SSL_CERT_FILE: '/tls/client.pem',
        KAFKA_SSL_KEY_FILE: '/tls/client.key',
      }),
      { ssl: { cert: 'CERT PEM', key: 'KEY PEM' } },
    );
  });

  it('refuses settings the protocol would ignore, so nothing meant to be secured goes out in plain text', () => {
    assert.deepEqual(
      refused(() => fromEnv({ KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SSL_CA_FILE: '/tls/ca.pem' }))
        .variables,
      ['KAFKA_SASL_MECHANISM', 'KAFKA_SSL_CA_FILE'],
    );
    assert.deepEqual(
      refused(() => fromEnv({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SASL_USERNAME: 'u' }))
        .variables,
      ['KAFKA_SASL_USERNAME'],
    );
  });

  it('names each missing SASL setting', () => {
    assert.deepEqual(refused(() => fromEnv({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' })).variables, [
      'KAFKA_SASL_MECHANISM',
      'KAFKA_SASL_USERNAME',
      'KAFKA_SASL_PASSWORD',
    ]);
  });

  it('refuses a password given twice, an unreadable or empty file, and a certificate without its key', () => {
    const sasl = {
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: 'PLAIN',
      KAFKA_SASL_USERNAME: 'u',
    };
    assert.deepEqual(
      refused(() =>
        fromEnv({
          ...sasl,
          KAFKA_SASL_PASSWORD: 'p',
          KAFKA_SASL_PASSWORD_FILE: '/secrets/password',
        }),
      ).variables,
      ['KAFKA_SASL_PASSWORD_FILE'],
    );
    const unreadable = refused(() =>
      fromEnv({ ...sasl, KAFKA_SASL_PASSWORD: 'p', KAFKA_SSL_CA_FILE: '/tls/missing.pem' }),
    );
    assert.deepEqual(unreadable.variables, ['KAFKA_SSL_CA_FILE']);
    assert.equal(
      unreadable.message,
      'invalid configuration: KAFKA_SSL_CA_FILE: cannot read /tls/missing.pem (ENOENT)',
    );
    files['/secrets/empty'] = '\n';
    assert.deepEqual(
      refused(() => fromEnv({ ...sasl, KAFKA_SASL_PASSWORD_FILE: '/secrets/empty' })).variables,
      ['KAFKA_SASL_PASSWORD_FILE'],
    );
    assert.deepEqual(
      refused(() =>
        fromEnv({ ...sasl, KAFKA_SASL_PASSWORD: 'p', KAFKA_SSL_CERT_FILE: '/tls/client.pem' }),
      ).variables,
      ['KAFKA_SSL_KEY_FILE'],
    );
  });

  it('never puts a password in a problem', () => {
    const { message } = refused(() =>
      fromEnv({
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_SASL_PASSWORD: 'top-secret-1',
        KAFKA_SASL_PASSWORD_FILE: '/secrets/password',
      }),
    );
    assert.doesNotMatch(message, /top-secret-1|hunter2/);
  });

  it('refuses an unknown protocol or mechanism when parsing the environment', () => {
    assert.deepEqual(
      refused(() =>
        parseEnv(kafkaSecurityEnv, {
          KAFKA_SECURITY_PROTOCOL: 'TLS',
          KAFKA_SASL_MECHANISM: 'GSSAPI',
        }),
      ).variables,
      ['KAFKA_SECURITY_PROTOCOL', 'KAFKA_SASL_MECHANISM'],
    );
  });
});
