import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Redis } from 'ioredis';

import { testKafka } from '../support/environment.js';
import { isolatedStackEnv, runStackCli } from '../support/stack-cli.js';

function pids(stdout: string): { kafka: string; redis: string } {
  return {
    kafka: /kafka .* \(pid (\d+)/.exec(stdout)?.[1] ?? 'none',
    redis: /redis .* \(pid (\d+)/.exec(stdout)?.[1] ?? 'none',
  };
}

async function consumeAll(brokers: string[], topic: string, expected: number): Promise<string[]> {
  const consumer = testKafka(brokers).consumer({ groupId: `reader-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: string[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: ({ message }) => {
          values.push(message.value?.toString() ?? '');
          if (values.length === expected) resolve();
          return Promise.resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return values;
}

describe('the stack script, on its own ports and data dir', { timeout: 300_000 }, () => {
  let env: Record<string, string>;
  let brokers: string[];

  before(async () => {
    env = await isolatedStackEnv();
    brokers = [env['KAFKA_BROKERS'] ?? ''];
  });

  after(async () => {
    await runStackCli(['down', '--wipe'], env);
  });

  it('starts both servers, and a second `up` is a no-op that keeps the same processes', async () => {
    const first = await runStackCli(['up'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /redis started/);
    assert.match(first.stdout, /kafka started/);

    const second = await runStackCli(['up'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /redis already running/);
    assert.match(second.stdout, /kafka already running/);
    assert.deepEqual(pids(second.stdout), pids(first.stdout));
    assert.doesNotMatch(second.stdout, /formatting/);

    const status = await runStackCli(['status', '--json'], env);
    assert.equal(status.code, 0);
    const report = JSON.parse(status.stdout) as { kafka: { state: string; pid: number } };
    assert.equal(report.kafka.state, 'running');
    assert.equal(String(report.kafka.pid), pids(first.stdout).kafka);
  });

  it('keeps topic data and Redis keys across down and up', async () => {
    const kafka = testKafka(brokers);
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true });
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({
      topics: [{ topic: 'kept', numPartitions: 2 }],
      waitForLeaders: true,
    });
    const sent = Array.from({ length: 50 }, (_, i) => `message-${i}`);
    await producer.send({ topic: 'kept', messages: sent.map((value) => ({ value })) });
    await Promise.all([admin.disconnect(), producer.disconnect()]);
    const redis = new Redis(env['REDIS_URL'] ?? '');
    await redis.set('kept-key', 'kept-value');
    redis.disconnect();

    const down = await runStackCli(['down'], env);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /kafka terminated/);
    assert.match(down.stdout, /redis terminated/);
    assert.equal((await runStackCli(['status'], env)).code, 3, 'status says stopped');

    const up = await runStackCli(['up'], env);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /kafka started/);
    assert.doesNotMatch(up.stdout, /formatting/, 'existing storage is not reformatted');
    assert.deepEqual((await consumeAll(brokers, 'kept', sent.length)).sort(), [...sent].sort());
    const reopened = new Redis(env['REDIS_URL'] ?? '');
    assert.equal(await reopened.get('kept-key'), 'kept-value');
    reopened.disconnect();
  });

  it('`down --wipe` removes the data, and the next `up` starts empty', async () => {
    const down = await runStackCli(['down', '--wipe'], env);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /data wiped/);
    assert.equal(existsSync(join(env['DRIFTWATCH_STACK_DIR'] ?? '', 'kafka')), false);

    const up = await runStackCli(['up'], env);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /formatting KRaft storage/);
    const admin = testKafka(brokers).admin();
    await admin.connect();
    assert.equal((await admin.listTopics()).includes('kept'), false);
    await admin.disconnect();
    const redis = new Redis(env['REDIS_URL'] ?? '');
    assert.equal(await redis.get('kept-key'), null);
    redis.disconnect();
  });
});
