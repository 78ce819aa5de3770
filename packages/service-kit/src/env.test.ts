import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { brokerList, commonEnv, duration, flag, integer, parseEnv } from './index.js';
import { ConfigError } from './errors.js';

describe('parseEnv', () => {
  it('applies defaults to unset and blank variables', () => {
    const config = parseEnv(commonEnv, { KAFKA_BROKERS: '  ', LOG_LEVEL: undefined });
    assert.deepEqual(config.KAFKA_BROKERS, ['127.0.0.1:9092']);
    assert.equal(config.LOG_LEVEL, 'info');
    assert.equal(config.TOPIC_PREFIX, '');
  });

  it('parses typed values', () => {
    const config = parseEnv(
      { BROKERS: brokerList('x:1'), BATCH: integer(10, { min: 1 }), DRY: flag(false) },
      { BROKERS: 'a:9092, b:9093', BATCH: '250', DRY: 'yes' },
    );
    assert.deepEqual(config, { BROKERS: ['a:9092', 'b:9093'], BATCH: 250, DRY: true });
  });

  it('names every bad variable and what it got', () => {
    assert.throws(
      () =>
        parseEnv(
          { ...commonEnv, BATCH: integer(10, { min: 1 }) },
          { KAFKA_BROKERS: 'localhost', BATCH: '0', HTTP_PORT: 'http' },
        ),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.code, 'DW_SERVICE_CONFIG_INVALID');
        assert.deepEqual(error.problems.map((p) => p.variable).sort(), [
          'BATCH',
          'HTTP_PORT',
          'KAFKA_BROKERS',
        ]);
        assert.match(
          error.message,
          /KAFKA_BROKERS: "localhost" is not host:port \(got "localhost"\)/,
        );
        assert.match(error.message, /BATCH: must be ≥ 1 \(got "0"\)/);
        return true;
      },
    );
  });

  it('reads durations with units, in milliseconds, and refuses a bare number', () => {
    const shape = { TIMEOUT: duration('30m', { minMs: 1000 }) };
    assert.equal(parseEnv(shape, {}).TIMEOUT, 1_800_000);
    assert.equal(parseEnv(shape, { TIMEOUT: '1h30m' }).TIMEOUT, 5_400_000);
    assert.equal(parseEnv(shape, { TIMEOUT: '1.5s' }).TIMEOUT, 1500);
    assert.equal(parseEnv(shape, { TIMEOUT: '2min' }).TIMEOUT, 120_000);
    for (const bad of ['30', '10 m', '-5s', '5x', 'm', '500ms']) {
      assert.throws(
        () => parseEnv(shape, { TIMEOUT: bad }),
        (error: unknown) =>
          error instanceof ConfigError && error.problems[0]?.variable === 'TIMEOUT',
        bad,
      );
    }
  });
});
