/**
 * The services speak Avro when SCHEMA_REGISTRY_URL is set: events in, predictions and joined
 * records out, all in the Confluent wire format. They talk to the local stack's schema registry,
 * a real server (Apicurio Registry's Confluent API), which `npm test` starts once for the run.
 * Only when the stack runs without one (DRIFTWATCH_SCHEMA_REGISTRY off) does this fall back to
 * the in-test implementation of the registry's REST subset (packages/topics/src/testing).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { catalogTopicSpecs, provisionTopics } from '@driftwatch/bus';
import { eventId, seaStream } from '@driftwatch/datasets';
import { createCodecs, modelVersionKey, topicIds, topicNames } from '@driftwatch/topics';

import { InMemorySchemaRegistry } from '../../packages/topics/src/testing/in-memory-schema-registry.js';
import { testKafka, uniqueName } from '../support/environment.js';
import { seaModelVersion, sendAll } from '../support/pipeline.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { stackSchemaRegistryUrl } from '../support/stack-schema-registry.js';
import { collectTopic } from '../support/topic-reader.js';

const stackRegistryUrl = await stackSchemaRegistryUrl();

describe(
  stackRegistryUrl === undefined
    ? 'Avro end to end, against an in-test implementation of the Schema Registry REST subset'
    : "Avro end to end, against the stack's schema registry (Apicurio, Confluent API)",
  { timeout: 300_000 },
  () => {
    const kafka = testKafka();
    const producer = kafka.producer({ idempotent: true });
    const services: ServiceProcess[] = [];
    let inTestRegistry: InMemorySchemaRegistry | undefined;
    let registryUrl: string;

    before(async () => {
      if (stackRegistryUrl === undefined) {
        inTestRegistry = await InMemorySchemaRegistry.start();
        registryUrl = inTestRegistry.url;
      } else {
        registryUrl = stackRegistryUrl;
      }
      await producer.connect();
    });
    after(async () => {
      await Promise.all(services.map((service) => service.stop('SIGKILL')));
      await producer.disconnect();
      await inTestRegistry?.close();
    });

    it('inference and joiner read and write Avro in the Confluent wire format', async () => {
      const prefix = `${uniqueName('avro')}.`;
      const names = topicNames(prefix);
      const admin = kafka.admin();
      await admin.connect();
      await provisionTopics(
        admin,
        catalogTopicSpecs(names, topicIds, { partitions: 3, replicationFactor: 1 }),
      );
      await admin.disconnect();
      const codecs = await createCodecs({ schemaRegistryUrl: registryUrl, names });
      const version = await seaModelVersion({ model: 'sea', version: 1 });
      await producer.send({
        topic: names.modelVersions,
        messages: [
          { key: modelVersionKey('sea', 1), value: await codecs.modelVersions.encode(version) },
        ],
      });
      const env = {
        TOPIC_PREFIX: prefix,
        REDIS_KEY_PREFIX: `driftwatch-test:${prefix}`,
        SCHEMA_REGISTRY_URL: registryUrl,
      };
      services.push(
        await startServiceProcess('inference', env),
        await startServiceProcess('joiner', env),
      );
      const joined = await collectTopic(kafka, names.predictionsLabeled);
      const rows = [...seaStream({ seed: 4, length: 2000 })];
      const now = Date.now();
      const events = await Promise.all(
        rows.map(async (row) => {
          const id = eventId('avro', row.index);
          return {
            key: id,
            value: await codecs.events.encode({
              id,
              model: 'sea',
              ts: now,
              features: row.features,
            }),
          };
        }),
      );
      const labels = await Promise.all(
        rows.map(async (row) => {
          const id = eventId('avro', row.index);
          return {
            key: id,
            value: await codecs.labels.encode({ id, model: 'sea', ts: now + 5, label: row.label }),
          };
        }),
      );
      await sendAll(producer, names.events, events);
      await sendAll(producer, names.labels, labels);
      await joined.waitFor(rows.length, 120_000);
      await joined.settle(2000);

      assert.equal(joined.records.length, rows.length);
      for (const record of joined.records) {
        assert.equal(record.value?.[0], 0, 'the Confluent magic byte');
        const labeled = await codecs.predictionsLabeled.decode(record.value);
        assert.equal(labeled.modelVersion, 1);
        assert.equal(labeled.labelDelayMs, 5);
      }
      const subjects = (await (await fetch(`${registryUrl}/subjects`)).json()) as string[];
      for (const topic of [
        names.events,
        names.predictions,
        names.predictionsLabeled,
        names.labels,
      ]) {
        assert.ok(subjects.includes(`${topic}-value`), `${topic}-value registered`);
      }
      await joined.stop();
    });
  },
);
