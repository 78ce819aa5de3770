/**
 * Issue 10, security: inference and joiner run through a secured stack — Kafka over SASL_SSL
 * (SCRAM-SHA-512, the stack's own CA; inference also offers a client certificate) and Redis over
 * TLS with an ACL user — and every event is scored and every label joined. A wrong password, to
 * Kafka or to Redis, ends the service with exit 2 and one line naming the variable, after a
 * bounded number of attempts. No password, right or wrong, appears in any log line. On an
 * isolated stack (own ports, own data dir), so the shared one is never touched.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { createSilentKafkaClient, type Kafka } from '@driftwatch/bus';
import { eventId, seaStream } from '@driftwatch/datasets';
import { kafkaSecurity, kafkaSecurityEnv, parseEnv } from '@driftwatch/service-kit';
import type { FeatureEvent, LabelEvent } from '@driftwatch/topics';

import {
  createTestPipeline,
  publishModelVersion,
  seaModelVersion,
  sendAll,
} from '../support/pipeline.js';
import {
  runServiceUntilExit,
  startServiceProcess,
  type ServiceExit,
  type ServiceProcess,
} from '../support/service-process.js';
import { freePort, isolatedStackEnv, runStackCli } from '../support/stack-cli.js';
import { collectTopic } from '../support/topic-reader.js';

const model = 'sea';
const eventCount = 500;
const wrongKafkaPassword = 'wrong-kafka-password-5f1c';
const wrongRedisPassword = 'wrong-redis-password-9a2e';

/** The KEY=VALUE lines `stack:up -- --secure` writes for clients. */
async function readClientEnv(file: string): Promise<Record<string, string>> {
  const entries = (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return Object.fromEntries(entries) as Record<string, string>;
}

/** A test client through the SASL_SSL listener, set up from the same variables the services read. */
function secureKafka(clientEnv: Record<string, string>): Kafka {
  const vars = parseEnv(kafkaSecurityEnv, clientEnv);
  return createSilentKafkaClient({
    brokers: [clientEnv['KAFKA_BROKERS'] ?? ''],
    clientId: 'driftwatch-secure-test',
    ...kafkaSecurity(vars),
  });
}

describe('inference and joiner on a secured stack', { timeout: 600_000 }, () => {
  let stackEnv: Record<string, string>;
  let clientEnv: Record<string, string>;
  let secrets: string[];
  let stackOutput = '';
  const services: ServiceProcess[] = [];
  const exits: ServiceExit[] = [];

  before(async () => {
    stackEnv = {
      ...(await isolatedStackEnv()),
      DRIFTWATCH_KAFKA_SECURE_PORT: String(await freePort()),
      DRIFTWATCH_REDIS_TLS_PORT: String(await freePort()),
    };
    const up = await runStackCli(['up', '--secure'], stackEnv);
    assert.equal(up.code, 0, up.stderr);
    stackOutput = up.stdout + up.stderr;
    const secureDir = join(stackEnv['DRIFTWATCH_STACK_DIR'] ?? '', 'secure');
    clientEnv = await readClientEnv(join(secureDir, 'client.env'));
    secrets = [
      (await readFile(join(secureDir, 'kafka-password'), 'utf8')).trim(),
      (await readFile(join(secureDir, 'redis-password'), 'utf8')).trim(),
      wrongKafkaPassword,
      wrongRedisPassword,
    ];
    assert.ok(secrets.every((secret) => secret.length >= 16));
  });

  after(async () => {
    await Promise.all(services.map((service) => service.stop('SIGKILL')));
    await runStackCli(['down', '--wipe'], stackEnv);
  });

  it('scores every event and joins every label through SASL_SSL and Redis over TLS with a password', async () => {
    assert.match(clientEnv['REDIS_URL'] ?? '', /^rediss:\/\/driftwatch:/);
    const kafka = secureKafka(clientEnv);
    const pipeline = await createTestPipeline(kafka);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    try {
      await publishModelVersion(producer, pipeline, await seaModelVersion({ model, version: 1 }));
      const env = { ...clientEnv, ...pipeline.env };
      services.push(
        await startServiceProcess('inference', {
          ...env,
          // TLS client authentication on top of SASL: the listener checks a certificate offered.
          KAFKA_SSL_CERT_FILE: join(stackEnv['DRIFTWATCH_STACK_DIR'] ?? '', 'secure', 'client.crt'),
          KAFKA_SSL_KEY_FILE: join(stackEnv['DRIFTWATCH_STACK_DIR'] ?? '', 'secure', 'client.key'),
        }),
      );
      services.push(await startServiceProcess('joiner', env));

      const predictions = await collectTopic(kafka, pipeline.names.predictions);
      const joined = await collectTopic(kafka, pipeline.names.predictionsLabeled);
      const baseTs = Date.now() - 600_000;
      const events: { key: string; value: Buffer }[] = [];
      const labels: { key: string; value: Buffer }[] = [];
      for (const row of seaStream({ seed: 10, length: eventCount })) {
        const id = eventId('secure', row.index);
        const event: FeatureEvent = { id, model, ts: baseTs + row.index, features: row.features };
        const label: LabelEvent = { id, model, ts: event.ts + 1000, label: row.label };
        events.push({ key: id, value: await pipeline.codecs.events.encode(event) });
        labels.push({ key: id, value: await pipeline.codecs.labels.encode(label) });
      }
      await sendAll(producer, pipeline.names.events, events);
      await sendAll(producer, pipeline.names.labels, labels);
      await predictions.waitFor(eventCount, 180_000);
      await joined.waitFor(eventCount, 180_000);
      await Promise.all([predictions.settle(), joined.settle()]);

      const ids = new Set(events.map((event) => event.key));
      assert.equal(predictions.records.length, eventCount, 'one prediction per event');
      assert.deepEqual(new Set(predictions.records.map((record) => record.key)), ids);
      const labeled = await Promise.all(
        joined.records.map((record) => pipeline.codecs.predictionsLabeled.decode(record.value)),
      );
      assert.equal(labeled.length, eventCount, 'one joined record per label');
      assert.deepEqual(new Set(labeled.map((record) => record.id)), ids);
      await Promise.all([predictions.stop(), joined.stop()]);
    } finally {
      await producer.disconnect();
    }
  });

  it('a wrong Kafka password ends the service with one line naming KAFKA_SASL_PASSWORD, after one attempt', async () => {
    const exit = await runServiceUntilExit('inference', {
      ...clientEnv,
      KAFKA_SASL_PASSWORD_FILE: '',
      KAFKA_SASL_PASSWORD: wrongKafkaPassword,
      TOPIC_PREFIX: 'secure-wrong-password.',
    });
    exits.push(exit);
    assert.equal(exit.code, 2, exit.stderr);
    const errors = exit.logs.filter((line) => line['level'] === 50 || line['level'] === 'error');
    const refused = exit.logs.filter((line) => line['event'] === 'service.config_invalid');
    assert.equal(refused.length, 1, JSON.stringify(exit.logs));
    assert.match(String(refused[0]?.['msg']), /^invalid configuration: KAFKA_SASL_PASSWORD: /);
    // One SASL exchange, refused, and no retry: kafkajs marks the refusal non-retriable.
    const attempts = exit.logs.filter((line) =>
      String(line['kafkajs']).startsWith('SaslAuthenticator'),
    );
    assert.equal(attempts.length, 1, `${attempts.length} authentication attempts logged`);
    assert.ok(exit.logs.length <= 10, `${exit.logs.length} log lines: no retry storm`);
    assert.ok(errors.length <= 3, `${errors.length} error lines`);
  });

  it('a wrong Redis password ends the joiner with one line naming REDIS_URL, without reconnecting', async () => {
    const redisUrl = new URL(clientEnv['REDIS_URL'] ?? '');
    redisUrl.password = wrongRedisPassword;
    const exit = await runServiceUntilExit('joiner', {
      ...clientEnv,
      REDIS_URL: redisUrl.href,
      TOPIC_PREFIX: 'secure-wrong-password.',
    });
    exits.push(exit);
    assert.equal(exit.code, 2, exit.stderr);
    const refused = exit.logs.filter((line) => line['event'] === 'service.config_invalid');
    assert.equal(refused.length, 1, JSON.stringify(exit.logs));
    assert.match(String(refused[0]?.['msg']), /^invalid configuration: REDIS_URL: /);
    const redisErrors = exit.logs.filter((line) => line['event'] === 'redis.error');
    assert.equal(redisErrors.length, 0, 'a refused password is not logged as a connection problem');
    const refusals = exit.logs.filter((line) => JSON.stringify(line).includes('WRONGPASS'));
    assert.equal(refusals.length, 1, 'the refusal is reported once, not once per reconnect');
    assert.ok(exit.logs.length <= 40, `${exit.logs.length} log lines: no reconnect storm`);
  });

  it('never writes a password, right or wrong, to any log', async () => {
    const logs = [
      stackOutput,
      ...(await Promise.all(services.map((service) => readFile(service.logFile, 'utf8')))),
      ...exits.map((exit) => `${JSON.stringify(exit.logs)}\n${exit.stderr}`),
    ];
    assert.ok(logs.length >= 4);
    for (const secret of secrets) {
      assert.ok(
        logs.every((log) => !log.includes(secret)),
        'a password appeared in a log line',
      );
    }
  });
});
