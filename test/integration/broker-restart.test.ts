/**
 * The bus rides out a broker restart: inference keeps its process, reconnects, and every event —
 * before, during and after the outage — is scored exactly once. On an isolated stack (own ports,
 * own data dir) so the shared broker other tests use is never touched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { eventId, seaStream } from '@driftwatch/datasets';
import type { FeatureEvent } from '@driftwatch/topics';

import { testKafka } from '../support/environment.js';
import {
  createTestPipeline,
  publishModelVersion,
  seaModelVersion,
  sendAll,
} from '../support/pipeline.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { isolatedStackEnv, runStackCli } from '../support/stack-cli.js';
import { collectTopic } from '../support/topic-reader.js';

describe('inference across a broker restart, on an isolated stack', { timeout: 400_000 }, () => {
  let env: Record<string, string>;
  let inference: ServiceProcess | undefined;

  before(async () => {
    env = await isolatedStackEnv();
    const up = await runStackCli(['up'], env);
    assert.equal(up.code, 0, up.stderr);
  });
  after(async () => {
    await inference?.stop('SIGKILL');
    await runStackCli(['down', '--wipe'], env);
  });

  it('reconnects and scores every event exactly once', async () => {
    const brokers = [env['KAFKA_BROKERS'] ?? ''];
    const kafka = testKafka(brokers);
    const pipeline = await createTestPipeline(kafka);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await publishModelVersion(
      producer,
      pipeline,
      await seaModelVersion({ model: 'sea', version: 1 }),
    );
    inference = await startServiceProcess('inference', {
      ...pipeline.env,
      KAFKA_BROKERS: env['KAFKA_BROKERS'] ?? '',
    });
    const events = await Promise.all(
      [...seaStream({ seed: 8, length: 6000 })].map(async (row) => {
        const id = eventId('restart', row.index);
        const event: FeatureEvent = { id, model: 'sea', ts: Date.now(), features: row.features };
        return { key: id, value: await pipeline.codecs.events.encode(event) };
      }),
    );
    await sendAll(producer, pipeline.names.events, events.slice(0, 3000));
    const before = await collectTopic(kafka, pipeline.names.predictions);
    await before.waitFor(1000, 60_000);
    await before.stop();
    await producer.disconnect();

    const down = await runStackCli(['down'], env);
    assert.equal(down.code, 0, down.stderr);
    await sleep(3000);
    const up = await runStackCli(['up'], env);
    assert.equal(up.code, 0, up.stderr);
    assert.equal(inference.child.exitCode, null, 'inference kept running through the outage');

    const again = testKafka(brokers).producer({ idempotent: true });
    await again.connect();
    await sendAll(again, pipeline.names.events, events.slice(3000));
    await again.disconnect();
    const predictions = await collectTopic(testKafka(brokers), pipeline.names.predictions);
    await predictions.waitFor(events.length, 240_000);
    await predictions.settle(3000);
    const ids = predictions.records.map((record) => record.key);
    assert.equal(ids.length, events.length, 'no event dropped or scored twice');
    assert.equal(new Set(ids).size, events.length);
    assert.equal(inference.child.exitCode, null);
    await predictions.stop();
  });
});
