import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deploymentNames } from '@driftwatch/bus';
import { formatStateKey, internalTopicNames } from '@driftwatch/detector';

import { modelVersionKey } from '@driftwatch/topics';

import { fakeEdgeCase } from '../testing/fake-edge-case.js';
import { fakeModelVersion } from '../testing/fake-model-version.js';
import { fakeMultivariateReference } from '../testing/fake-multivariate-reference.js';
import { runCli } from '../testing/run-cli.js';
import { testDeployment, type TestDeployment } from '../testing/test-deployment.js';
import { formatStatus, type StatusReport } from './status.js';

describe('formatStatus', () => {
  const report: StatusReport = {
    brokers: ['127.0.0.1:9092'],
    topicPrefix: '',
    stack: { mode: 'remote', redis: { address: '127.0.0.1:6379', reachable: true } },
    kafka: { reachable: true, clusterId: 'c1', brokers: 1 },
    topics: [],
    services: [],
    models: [
      {
        model: 'orientation',
        servingVersion: 1,
        versions: 1,
        realized: null,
        estimated: null,
        edgeCases: null,
      },
      {
        model: 'sea',
        servingVersion: 2,
        versions: 3,
        realized: { version: 2, accuracy: 0.862, labeled: 512 },
        estimated: { version: 2, accuracy: 0.871, predictions: 1_000 },
        edgeCases: { version: 2, found: 51, judged: 11_840 },
      },
    ],
    alerts: { total: 0, byModel: {} },
  };

  it("shows each model's edge cases out of the predictions of the version last served", () => {
    const lines = formatStatus(report);
    const models = lines.slice(lines.indexOf('models') + 1, lines.indexOf('models') + 3);
    assert.deepEqual(models, [
      '  orientation  serving v1  1 version',
      '  sea          serving v2  3 versions  estimated accuracy 0.871 (v2, last 1,000 predictions)  realized 0.862 (v2, last 512 labeled)  edge cases 51 of 11,840 (v2)',
    ]);
  });
});

describe('driftwatch status', () => {
  let deployment: TestDeployment;
  const eventsPerPartition = [5, 0, 7];

  before(async () => {
    deployment = await testDeployment('status');
    await deployment.provision(['events', 'labels', 'modelVersions', 'edgeCases']);
    const producer = deployment.kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: deployment.names.events,
        messages: eventsPerPartition.flatMap((count, partition) =>
          Array.from({ length: count }, (_, i) => ({ partition, key: `e${i}`, value: '{}' })),
        ),
      });
      // Clusters in its reference: inference looks for the edge cases of version 2.
      const v2 = fakeModelVersion({
        model: 'sea',
        version: 2,
        parentVersion: 1,
        status: 'promoted',
      });
      const promotedWithClusters = {
        ...v2,
        reference: { ...v2.reference, multivariate: fakeMultivariateReference() },
      };
      const versions = [
        fakeModelVersion({ model: 'sea', version: 1, parentVersion: null, status: 'promoted' }),
        promotedWithClusters,
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
      // Edge cases of version 2, and one of version 1 (not counted: v2 serves).
      const edgeCases = [1, 2, 2, 2].map((modelVersion, i) =>
        fakeEdgeCase({ id: `edge-${i}`, model: 'sea', modelVersion }),
      );
      await producer.send({
        topic: deployment.names.edgeCases,
        messages: await Promise.all(
          edgeCases.map(async (edgeCase) => ({
            key: edgeCase.id,
            value: await deployment.codecs.edgeCases.encode(edgeCase),
          })),
        ),
      });
      // The detector's data state of sea as it commits it: 40 predictions of version 2 seen.
      const changelog = internalTopicNames(deployment.prefix).state;
      const admin = deployment.kafka.admin();
      await admin.connect();
      try {
        await admin.createTopics({ topics: [{ topic: changelog, numPartitions: 1 }] });
      } finally {
        await admin.disconnect();
      }
      await producer.send({
        topic: changelog,
        messages: [
          {
            key: formatStateKey({ stream: 'data', model: 'sea' }),
            value: JSON.stringify({
              partition: 0,
              offset: '0',
              state: { version: 2, monitor: { observed: 40, estimate: null } },
            }),
          },
        ],
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

  it('--json reports the topics, the groups and their lag, the serving versions and their edge cases', async () => {
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
      {
        model: 'sea',
        servingVersion: 2,
        versions: 3,
        realized: null,
        estimated: null,
        edgeCases: { version: 2, found: 3, judged: 40 },
      },
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
    assert.ok(lines.includes('sea serving v2 3 versions edge cases 3 of 40 (v2)'), result.stdout);
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
