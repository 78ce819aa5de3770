/**
 * Issue 10, "Fuzz", against the real services: the four of them as processes on the real broker
 * and Redis, `MAX_RECORD_BYTES` = 64 KiB, and every input topic (events, labels, predictions,
 * predictions-labeled, retrain-requested, model-versions) fed seeded bad payloads with good
 * records spread among them. Checked from the topics (read_committed): every bad record is
 * dead-lettered exactly once by each service whose processor reads its topic, with a code of the
 * closed list and its own topic, partition and offset; every good record is processed; every
 * consumer group has committed past the last record; every service is alive and its /healthz
 * answers 200. Twice: in JSON (the generator's random bytes, truncated and deeply nested JSON,
 * wrong types, non-finite and huge numbers, long and odd strings, records over the limit), and in
 * Avro against the stack's schema registry, or an in-test one when the stack runs none (a wrong
 * magic byte, an unknown schema id, a record cut short). `FUZZ_COUNT` bad payloads per topic and
 * format (default 500: one `oversize` each in JSON); `npm run fuzz` runs 10,000.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { deploymentNames } from '@driftwatch/bus';
import { internalTopicNames } from '@driftwatch/detector';
import { mulberry32 } from '@driftwatch/drift';
import {
  createCodecs,
  deadLetterCodes,
  decodeFeatureSketch,
  modelVersionKey,
  type DeadLetter,
} from '@driftwatch/topics';

import {
  badAvroPayloads,
  badJsonPayloads,
  type BadPayload,
} from '../../packages/topics/src/testing/bad-payloads.js';
import { InMemorySchemaRegistry } from '../../packages/topics/src/testing/in-memory-schema-registry.js';
import { testKafka } from '../support/environment.js';
import { createTestPipeline, seaModelVersion } from '../support/pipeline.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { stackSchemaRegistryUrl } from '../support/stack-schema-registry.js';
import { collectTopic, type ReadRecord } from '../support/topic-reader.js';
import {
  badKindHeader,
  fuzzedTopics,
  fuzzInput,
  type FuzzedTopic,
  type TopicInput,
} from './fuzz-input.js';
import { waitForCounts, type ExpectedCount } from './wait-for-counts.js';

const badPerTopic = Number(process.env['FUZZ_COUNT'] ?? 500);
/**
 * Fewer in Avro: its three kinds of bad payload need no more to be covered, and each unknown
 * schema id costs every reading service a registry lookup.
 */
const avroBadPerTopic = Number(process.env['FUZZ_AVRO_COUNT'] ?? 150);
/** One good record for every this many bad ones. */
const goodEvery = 10;
const maxRecordBytes = 64 * 1024;
const model = 'sea';
const kafka = testKafka();
const topicIds = Object.keys(fuzzedTopics) as FuzzedTopic[];
const serviceNames = ['inference', 'joiner', 'detector', 'trainer'] as const;
type Service = (typeof serviceNames)[number];

/** No retrain requests of the detector's own: the trainer's only requests are the fuzzed ones. */
const policiesOff = {
  RETRAIN_ON_DRIFT: 'false',
  RETRAIN_ON_DATA_DRIFT: 'false',
  RETRAIN_ACCURACY_BELOW: '0',
  RETRAIN_INTERVAL_MS: '0',
  RETRAIN_AFTER_LABELED: '0',
  RETRAIN_AFTER_EDGE_CASES: '0',
};

type Collector = Awaited<ReturnType<typeof collectTopic>>;

const isBad = (record: ReadRecord): boolean => record.headers?.[badKindHeader] !== undefined;
const coordinate = (
  service: string,
  topic: string,
  record: { partition: number; offset: string },
) => `${service} ${topic}/${record.partition}@${record.offset}`;

/** Each partition's last offset among `records`: a group is caught up once it commits past it. */
function lastOffsets(records: readonly ReadRecord[]): Map<number, bigint> {
  const last = new Map<number, bigint>();
  for (const { partition, offset } of records) {
    if (BigInt(offset) > (last.get(partition) ?? -1n)) last.set(partition, BigInt(offset));
  }
  return last;
}

describe(
  `fuzz, real services: ${badPerTopic} bad payloads per input topic (${avroBadPerTopic} in Avro)`,
  { timeout: 300_000 + 100 * (badPerTopic + avroBadPerTopic) },
  () => {
    const producer = kafka.producer({ idempotent: true });
    const admin = kafka.admin();
    const running: ServiceProcess[] = [];
    const collectors: Collector[] = [];
    before(async () => {
      await Promise.all([producer.connect(), admin.connect()]);
    });
    after(async () => {
      await Promise.all(running.map((service) => service.stop('SIGKILL')));
      await Promise.all(collectors.map((collector) => collector.stop()));
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    });

    const claim =
      'dead-letters every bad record once per reading service with a code, processes every good one, and every service stays up';
    it(`${claim} (JSON)`, async () => {
      await fuzzServices({
        schemaRegistryUrl: '',
        badPerTopic,
        badPayloads: (topic, _valid, seed) =>
          badJsonPayloads(topic, badPerTopic, {
            random: mulberry32(seed),
            oversizeBytes: maxRecordBytes + 1,
          }),
      });
    });

    it(`${claim} (Avro: wrong magic byte, unknown schema id, truncated)`, async () => {
      const stackRegistry = await stackSchemaRegistryUrl();
      const inTest = stackRegistry === undefined ? await InMemorySchemaRegistry.start() : undefined;
      try {
        await fuzzServices({
          schemaRegistryUrl: stackRegistry ?? inTest!.url,
          badPerTopic: avroBadPerTopic,
          badPayloads: (_topic, valid, seed) =>
            Promise.resolve(
              badAvroPayloads(avroBadPerTopic, {
                random: mulberry32(seed),
                valid,
                unknownSchemaId: 999_999,
              }),
            ),
        });
      } finally {
        await inTest?.close();
      }
    });

    async function fuzzServices(format: {
      /** '' for JSON. */
      schemaRegistryUrl: string;
      badPerTopic: number;
      badPayloads: (topic: FuzzedTopic, valid: Buffer, seed: number) => Promise<BadPayload[]>;
    }): Promise<void> {
      const pipeline = await createTestPipeline(kafka);
      const { names } = pipeline;
      const codecs = format.schemaRegistryUrl
        ? await createCodecs({ schemaRegistryUrl: format.schemaRegistryUrl, names })
        : pipeline.codecs;
      const internal = internalTopicNames(pipeline.prefix);
      const champion = await seaModelVersion({ model, version: 1 });
      await producer.send({
        topic: names.modelVersions,
        messages: [
          {
            key: modelVersionKey(model, champion.version),
            value: await codecs.modelVersions.encode(champion),
          },
        ],
      });
      const env = {
        ...pipeline.env,
        ...policiesOff,
        MAX_RECORD_BYTES: String(maxRecordBytes),
        SCHEMA_REGISTRY_URL: format.schemaRegistryUrl,
      };
      const services = Object.fromEntries(
        await Promise.all(
          serviceNames.map(async (name) => {
            const service = await startServiceProcess(name, env);
            running.push(service);
            return [name, service] as const;
          }),
        ),
      ) as Record<Service, ServiceProcess>;

      const collect = async (topic: string): Promise<Collector> => {
        const collector = await collectTopic(kafka, topic);
        collectors.push(collector);
        return collector;
      };
      const inputs = Object.fromEntries(
        await Promise.all(topicIds.map(async (id) => [id, await collect(names[id])] as const)),
      ) as Record<FuzzedTopic, Collector>;
      const deadLetters = await collect(names.deadLetter);
      const sketches = await collect(internal.sketches);

      const input = await fuzzInput({
        codecs,
        model,
        champion,
        goodPerTopic: Math.ceil(format.badPerTopic / goodEvery),
        // Seeded per topic, so a failing payload can be made again.
        badPayloads: (topic, valid) =>
          format.badPayloads(topic, valid, 7919 * (topicIds.indexOf(topic) + 1)),
        now: Date.now(),
      });
      await produce(input, names);

      const letterCount = topicIds.reduce(
        (sum, id) => sum + input[id].bad * fuzzedTopics[id].length,
        0,
      );
      const joinedCount = input.labels.good.length;
      const sketchRows = countSketchRows(sketches);
      const counts: ExpectedCount[] = [
        // What each service writes to a fuzzed topic is counted with the topic.
        ...topicIds.map((id) => ({
          name: `records on ${id}`,
          expected:
            input[id].messages.length +
            extraRecords(id, { joinedCount, scored: input.events.good.length }),
          current: () => inputs[id].records.length,
        })),
        { name: 'dead letters', expected: letterCount, current: () => deadLetters.records.length },
        {
          name: 'inference: feature sketch rows of the predictions it made',
          expected: input.events.good.length,
          current: sketchRows,
        },
        {
          name: 'detector: partitions of the feature sketches committed to their end',
          expected: 3,
          current: () =>
            committedPartitions(pipeline.prefix, 'detector', internal.sketches, sketches),
        },
        {
          name: 'detector: labeled predictions monitored',
          expected: input.predictionsLabeled.good.length + joinedCount,
          current: () =>
            services.detector.metric('driftwatch_detector_label_delay_seconds_count', { model }),
        },
        {
          name: 'trainer: retrain requests skipped (empty window)',
          expected: input.retrainRequested.good.length,
          current: () => services.trainer.metric('driftwatch_trainer_requests_skipped_total'),
        },
        ...(['inference', 'detector', 'trainer'] as const).map((name) => ({
          name: `${name}: unreadable model versions skipped by its registry follower`,
          expected: input.modelVersions.bad,
          current: () => malformedVersionsLogged(services[name]).size,
        })),
        ...topicIds.flatMap((id) =>
          fuzzedTopics[id].map((service) => ({
            name: `${service}: partitions of ${id} committed to their end`,
            expected: 3,
            current: () => committedPartitions(pipeline.prefix, service, names[id], inputs[id]),
          })),
        ),
      ];
      await waitForCounts(counts, 120_000 + 50 * format.badPerTopic, () => {
        const dead = Object.values(services).filter((service) => service.child.exitCode !== null);
        if (dead.length > 0) {
          throw new Error(
            dead
              .map((s) => `${s.name} exited with ${String(s.child.exitCode)}; see ${s.logFile}`)
              .join('\n'),
          );
        }
      });
      await Promise.all([
        deadLetters.settle(),
        inputs.predictions.settle(),
        inputs.predictionsLabeled.settle(),
        sketches.settle(),
      ]);

      // Dead letters: exactly the bad records, each once per service that reads its topic.
      const letters: DeadLetter[] = await Promise.all(
        deadLetters.records.map((record) => codecs.deadLetter.decode(record.value)),
      );
      const expectedLetters = new Set(
        topicIds.flatMap((id) =>
          inputs[id].records
            .filter(isBad)
            .flatMap((record) => fuzzedTopics[id].map((s) => coordinate(s, names[id], record))),
        ),
      );
      const lettered = new Map<string, string>();
      for (const letter of letters) {
        const at = coordinate(letter.service, letter.sourceTopic, letter);
        assert.ok(
          (deadLetterCodes as readonly string[]).includes(letter.code),
          `${at}: ${letter.code}`,
        );
        assert.ok(!lettered.has(at), `${at} dead-lettered twice`);
        assert.ok(
          expectedLetters.has(at),
          `${at} is a good record, dead-lettered: ${letter.reason}`,
        );
        lettered.set(at, letter.code);
      }
      assert.deepEqual(
        [...expectedLetters].filter((at) => !lettered.has(at)),
        [],
        'every bad record dead-lettered by each service that reads it',
      );

      // Good records: each processed, once.
      const ids = async (
        records: readonly ReadRecord[],
        decode: (value: Buffer | null) => Promise<{ id: string }>,
      ): Promise<string[]> =>
        Promise.all(records.filter((r) => !isBad(r)).map(async (r) => (await decode(r.value)).id));
      const predicted = await ids(inputs.predictions.records, (v) => codecs.predictions.decode(v));
      const scored = predicted.filter((id) => id.startsWith('event-'));
      const labeled = await ids(inputs.predictionsLabeled.records, (v) =>
        codecs.predictionsLabeled.decode(v),
      );
      const joined = labeled.filter((id) => !id.startsWith('labeled-'));
      const monitored = await services.detector.metric(
        'driftwatch_detector_label_delay_seconds_count',
        { model },
      );
      const skipped = await services.trainer.metric('driftwatch_trainer_requests_skipped_total', {
        reason: 'not-enough-data',
      });
      const versionsRead = await goodRecordsCommitted(
        pipeline.prefix,
        'trainer',
        names.modelVersions,
        // Not the champion, published before the fuzz.
        inputs.modelVersions.records.filter(
          (r) => !isBad(r) && r.key !== modelVersionKey(model, champion.version),
        ),
      );
      const processed: Record<FuzzedTopic, Partial<Record<Service, number>>> = {
        events: { inference: scored.length },
        labels: { joiner: joined.length },
        predictions: { joiner: joined.filter((id) => id.startsWith('prediction-')).length },
        predictionsLabeled: { detector: monitored - joined.length },
        retrainRequested: { trainer: skipped },
        modelVersions: { trainer: versionsRead },
      };
      const lines = topicIds.map((id) => {
        const per = (counts: Partial<Record<Service, number>>): string =>
          Object.entries(counts)
            .map(([service, count]) => `${service} ${count}`)
            .join(', ');
        const letteredBy = Object.fromEntries(
          fuzzedTopics[id].map((service) => [
            service,
            [...lettered.keys()].filter((at) => at.startsWith(`${service} ${names[id]}/`)).length,
          ]),
        );
        return (
          `${id}: bad ${input[id].bad}, dead-lettered (${per(letteredBy)}); ` +
          `good ${input[id].good.length}, processed (${per(processed[id])})`
        );
      });
      const codes = new Map<string, number>();
      for (const code of lettered.values()) codes.set(code, (codes.get(code) ?? 0) + 1);
      console.log(
        `fuzz counts\n  ${lines.join('\n  ')}\n  codes: ${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')}`,
      );

      assert.deepEqual(
        scored.sort(),
        [...input.events.good].sort(),
        'every good event scored once',
      );
      assert.deepEqual(
        joined.sort(),
        [...input.labels.good].sort(),
        'every good label joined once',
      );
      assert.deepEqual(processed, {
        events: { inference: input.events.good.length },
        labels: { joiner: input.labels.good.length },
        predictions: { joiner: input.predictions.good.length },
        predictionsLabeled: { detector: input.predictionsLabeled.good.length },
        retrainRequested: { trainer: input.retrainRequested.good.length },
        modelVersions: { trainer: input.modelVersions.good.length },
      });
      assert.equal(await services.trainer.metric('driftwatch_trainer_versions_total'), 0);
      const badVersions = new Set(
        inputs.modelVersions.records.filter(isBad).map((r) => `${r.partition}@${r.offset}`),
      );
      for (const name of ['inference', 'detector', 'trainer'] as const) {
        assert.deepEqual(malformedVersionsLogged(services[name]), badVersions, name);
      }

      // Alive and healthy.
      for (const service of Object.values(services)) {
        assert.equal(service.child.exitCode, null, `${service.name} is running`);
        const health = await fetch(`http://127.0.0.1:${service.port}/healthz`);
        assert.equal(health.status, 200, `${service.name} /healthz: ${await health.text()}`);
      }
      // Free the cores for the next format's services.
      await Promise.all(Object.values(services).map((service) => service.stop('SIGKILL')));
    }

    async function produce(
      input: Record<FuzzedTopic, TopicInput>,
      names: Record<FuzzedTopic, string>,
    ): Promise<void> {
      // Small requests: long-string and oversize payloads would put a partition's batch over
      // the broker's message limit.
      const chunk = 100;
      const longest = Math.max(...topicIds.map((id) => input[id].messages.length));
      for (let start = 0; start < longest; start += chunk) {
        await producer.sendBatch({
          topicMessages: topicIds.map((id) => ({
            topic: names[id],
            messages: input[id].messages.slice(start, start + chunk),
          })),
        });
      }
    }

    /** The offset `service`'s group has committed in each partition of `topic` (-1: none). */
    async function committedOffsets(
      prefix: string,
      service: Service,
      topic: string,
    ): Promise<Map<number, bigint>> {
      const [committed] = await admin.fetchOffsets({
        groupId: deploymentNames(prefix).consumerGroup(service),
        topics: [topic],
      });
      return new Map(
        (committed?.partitions ?? []).map(({ partition, offset }) => [partition, BigInt(offset)]),
      );
    }

    /** Partitions of `topic` whose records `service`'s group has all committed. */
    async function committedPartitions(
      prefix: string,
      service: Service,
      topic: string,
      read: Collector,
    ): Promise<number> {
      const committed = await committedOffsets(prefix, service, topic);
      const last = lastOffsets(read.records);
      return [0, 1, 2].filter((partition) => {
        const end = last.get(partition);
        return end === undefined || (committed.get(partition) ?? -1n) > end;
      }).length;
    }

    /** How many of `records` `service`'s group has committed past. */
    async function goodRecordsCommitted(
      prefix: string,
      service: Service,
      topic: string,
      records: readonly ReadRecord[],
    ): Promise<number> {
      const committed = await committedOffsets(prefix, service, topic);
      return records.filter((r) => BigInt(r.offset) < (committed.get(r.partition) ?? -1n)).length;
    }
  },
);

/** Records services add to a fuzzed topic: predictions of the good events, joined labels. */
function extraRecords(id: FuzzedTopic, made: { joinedCount: number; scored: number }): number {
  if (id === 'predictions') return made.scored;
  if (id === 'predictionsLabeled') return made.joinedCount;
  // The champion, published before the fuzz.
  if (id === 'modelVersions') return 1;
  return 0;
}

/** Rows of the detector's feature batches so far: one per prediction it re-keyed. */
function countSketchRows(sketches: Collector): () => number {
  let counted = 0;
  let rows = 0;
  return () => {
    for (; counted < sketches.records.length; counted++)
      rows += decodeFeatureSketch(sketches.records[counted]!.value).rows;
    return rows;
  };
}

/** `partition@offset` of each model-versions record the service's registry follower skipped. */
function malformedVersionsLogged(service: ServiceProcess): Set<string> {
  return new Set(
    service.logs
      .filter((line) => line['event'] === 'model.malformed')
      .map((line) => `${String(line['partition'])}@${String(line['offset'])}`),
  );
}
