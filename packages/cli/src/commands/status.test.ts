import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deploymentNames } from '@driftwatch/bus';

import { modelVersionKey } from '@driftwatch/topics';

import { fakeModelVersion } from '../testing/fake-model-version.js';
import { runCli } from '../testing/run-cli.js';
import { testDeployment, type TestDeployment } from '../testing/test-deployment.js';
import type { StatusReport } from './status.js';

describe('driftwatch status', () => {
  let deployment: TestDeployment;
  const eventsPerPartition = [5, 0, 7];

  before(async () => {
    deployment = await testDeployment('status');
    await deployment.provision(['events', 'labels', 'modelVersions']);
    const producer = deployment.kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: deployment.names.events,
        messages: eventsPerPartition.flatMap((count, partition) =>
          Array.from({ length: count }, (_, i) => ({ partition, key: `e${i}`, value: '{}' })),
        ),
      });
      const versions = [
        fakeModelVersion({ model: 'sea', version: 1, parentVersion: null, status: 'promoted' }),
        fakeModelVersion({ model: 'sea', version: 2, parentVersion: 1, status: 'promoted' }),
        fakeModelVersion({ model: 'sea', version: 3, parentVersion: 2, status: 'rejected' }),
      ];
      await producer.send({
        topic: deployment.names.modelVersions,
        messages: await Promise.all(
          versions.map(async (v) => ({
            key: modelVersionKey(v.model, v.version),
            value: await deployment.codecs.modelVersions.encode(v),
          })),
        ),
      });
    } finally {
      await producer.disconnect();
    }
    // The inference service's group, stopped after reading partition 0 to offset 3 and
    // partition 2 to its end: an Empty group with a lag of 2.
    const admin = deployment.kafka.admin();
    await admin.connect();
    try {
      await admin.setOffsets({
        groupId: deploymentNames(deployment.prefix).consumerGroup('inference'),
        topic: deployment.names.events,
        partitions: [
          { partition: 0, offset: '3' },
          { partition: 2, offset: '7' },
        ],
      });
    } finally {
      await admin.disconnect();
    }
  });
  after(async () => {
    await deployment.cleanup();
  });

  it('--json reports the topics, the groups and their lag, and the serving versions', async () => {
    const result = await runCli(['status', '--json'], deployment.env, { timeoutMs: 30_000 });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as StatusReport;

    assert.equal(report.topicPrefix, deployment.prefix);
    assert.equal(report.kafka.reachable, true);
    const topic = (name: string) => report.topics.find((t) => t.name === name);
    assert.deepEqual(topic(deployment.names.events), {
      id: 'events',
      name: deployment.names.events,
      exists: true,
      partitions: 3,
      messages: eventsPerPartition.reduce((a, b) => a + b),
    });
    assert.deepEqual(topic(deployment.names.labels), {
      id: 'labels',
      name: deployment.names.labels,
      exists: true,
      partitions: 3,
      messages: 0,
    });
    assert.equal(topic(deployment.names.modelVersions)?.partitions, 1);
    assert.equal(topic(deployment.names.modelVersions)?.messages, 3);
    assert.deepEqual(topic(deployment.names.predictions), {
      id: 'predictions',
      name: deployment.names.predictions,
      exists: false,
      partitions: null,
      messages: null,
    });
    assert.equal(report.topics.length, 9, 'every catalog topic');

    assert.deepEqual(report.services, [
      {
        service: 'inference',
        groupId: deploymentNames(deployment.prefix).consumerGroup('inference'),
        state: 'Empty',
        members: 0,
        lag: 5 - 3 + (7 - 7),
      },
      ...(['joiner', 'detector', 'trainer'] as const).map((service) => ({
        service,
        groupId: deploymentNames(deployment.prefix).consumerGroup(service),
        state: 'none',
        members: 0,
        lag: null,
      })),
    ]);
    assert.deepEqual(report.models, [
      { model: 'sea', servingVersion: 2, versions: 3, realized: null, estimated: null },
    ]);
    assert.equal(report.alerts, null);
    assert.equal(report.stack.mode, 'local');
  });

  it('shows the same on one screen', async () => {
    const result = await runCli(['status'], deployment.env);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n').map((line) => line.trim().replace(/\s+/g, ' '));
    assert.ok(lines.includes(`${deployment.names.events} 3 partitions 12 messages`), result.stdout);
    assert.ok(lines.includes(`${deployment.names.predictions} missing`));
    assert.ok(
      lines.includes(`inference ${deployment.prefix}driftwatch-inference Empty 0 members lag 2`),
    );
    assert.ok(lines.includes('sea serving v2 3 versions'));
  });

  it('gives up by itself, saying so, when Kafka does not answer', async () => {
    // The CLI's client retries a bounded number of times (cliKafka), so it ends on its own: exit
    // 1 with a report, not killed by runCli's guard (code null). How long that takes depends on
    // the machine's load, so it is not what this checks.
    const result = await runCli(['status', '--json'], {
      ...deployment.env,
      KAFKA_BROKERS: '127.0.0.1:1',
    });
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as StatusReport;
    assert.deepEqual(Object.keys(report.kafka), ['reachable', 'error']);
    assert.equal(report.kafka.reachable, false);
    assert.match(JSON.stringify(report.kafka), /cannot reach Kafka at 127\.0\.0\.1:1/);
    assert.deepEqual(report.topics, []);
  });

  it('exits 2 naming the variable when the environment is invalid', async () => {
    const result = await runCli(['status'], { ...deployment.env, KAFKA_BROKERS: 'not-an-address' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /KAFKA_BROKERS: "not-an-address" is not host:port/);
  });
});
