/**
 * Issue "Bring your own model": events/s through the inference service serving a user's model —
 * a scikit-learn RandomForest of 100 trees (skl2onnx, TreeEnsembleClassifier) and a two-layer
 * softmax network — next to the exactly-once kafkajs passthrough on the same input topic in the
 * same run (the floor any exactly-once service pays). Both models are the real exporters' files
 * in test/fixtures/byom, their feature rows that fixture's stream, repeated. Two rounds, the second
 * in reverse order; each subject's faster run counts.
 */
import { readFileSync } from 'node:fs';

import { sha256Hex } from '@driftwatch/model';
import { emptyReferenceProfile, type ModelVersion } from '@driftwatch/topics';

import { repoRoot } from '@driftwatch/demo';
import { withRatio, type BenchContext, type BenchRow } from '../report.js';
import { testKafka } from '../../test/support/environment.js';
import { publishModelVersion, sendAll } from '../../test/support/pipeline.js';
import { createBenchPipeline, partitions } from './bench-pipeline.js';
import { histogramMean } from './prometheus-histogram.js';
import { measurePassthrough, measureService, type SubjectRun } from './throughput.js';
import { fastest } from './throughput-rows.js';

const EVENTS = 50_000;
const ROUNDS = 2;
const SUITE = 'pipeline: inference, your own model';
const TIMEOUT_MS = 300_000;
const SCORING = 'driftwatch_inference_scoring_duration_seconds';

interface UserModel {
  /** The fixture's name, also the model's. */
  name: string;
  subject: string;
  /** Also a shadow on trial (the same model's bytes as v2): what scoring it beside costs. */
  shadow?: boolean;
}

const models: readonly UserModel[] = [
  { name: 'binary-forest', subject: 'inference, 100-tree random forest' },
  {
    name: 'binary-forest',
    subject: 'inference, 100-tree random forest and the same forest as a shadow',
    shadow: true,
  },
  { name: 'softmax-net', subject: 'inference, two-layer softmax network' },
];

/** The fixture as a promoted version: what `driftwatch models register` publishes, minus the profile (no detector runs here). */
function fixtureVersion(name: string): { version: ModelVersion; rows: Record<string, number>[] } {
  const dir = `${repoRoot}/test/fixtures/byom`;
  const expected = JSON.parse(readFileSync(`${dir}/${name}.expected.json`, 'utf8')) as {
    features: string[];
    classes: (string | number)[];
  };
  const onnx = new Uint8Array(readFileSync(`${dir}/${name}.onnx`));
  const [header = '', ...lines] = readFileSync(`${dir}/${name}.stream.csv`, 'utf8')
    .trim()
    .split('\n');
  const columns = header.split(',');
  const rows = lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(
      expected.features.map((feature) => [feature, Number(cells[columns.indexOf(feature)])]),
    );
  });
  const now = Date.now();
  return {
    rows,
    version: {
      model: name,
      version: 1,
      parentVersion: null,
      createdAt: now,
      status: 'promoted',
      reason: 'bench',
      decidedBy: null,
      traffic: null,
      shadowTrial: null,
      trainedWith: {},
      requestId: null,
      sha256: sha256Hex(onnx),
      onnx,
      featureNames: expected.features,
      classes: expected.classes.map(String),
      threshold: 0.5,
      outputKind: null,
      reference: emptyReferenceProfile(),
      metrics: { challenger: {}, champion: null },
      trainingWindow: { fromTs: now, toTs: now, trainRows: 0, holdoutRows: 0 },
    },
  };
}

export default async function byomInferenceBench(context: BenchContext): Promise<void> {
  const events = Math.max(1000, Math.round(EVENTS * context.scale));
  const kafka = testKafka();
  for (const model of models) {
    const { version, rows } = fixtureVersion(model.name);
    const caseName = `${events.toLocaleString('en-US')} events of ${model.name}${model.shadow ? ' with a shadow' : ''}, ${String(partitions)} partitions`;
    context.log(`${caseName}: ${version.onnx.length.toLocaleString('en-US')} bytes of ONNX`);
    const runs: { passthrough: SubjectRun[]; service: (SubjectRun & { metrics: string })[] } = {
      passthrough: [],
      service: [],
    };
    for (let round = 0; round < ROUNDS; round++) {
      const pipeline = await createBenchPipeline(kafka);
      const producer = kafka.producer({ idempotent: true });
      await producer.connect();
      try {
        await publishModelVersion(producer, pipeline, version);
        if (model.shadow) {
          await publishModelVersion(producer, pipeline, {
            ...version,
            version: 2,
            parentVersion: 1,
            status: 'shadow',
            shadowTrial: { minLabeled: 1_000_000, minGain: 0, mcnemarAlpha: null, evidence: null },
          });
        }
        const baseTs = Date.now() - 3_600_000;
        const messages = await Promise.all(
          Array.from({ length: events }, async (_, i) => {
            const id = `${model.name}-${String(i)}`;
            const features = rows[i % rows.length] ?? {};
            const event = { id, model: model.name, ts: baseTs + i, features };
            return { key: id, value: await pipeline.codecs.events.encode(event) };
          }),
        );
        await sendAll(producer, pipeline.names.events, messages);
        const order = round % 2 === 0 ? ['passthrough', 'service'] : ['service', 'passthrough'];
        for (const subject of order) {
          if (subject === 'service') {
            runs.service.push(
              await measureService({
                pipeline,
                name: 'inference',
                outputs: [pipeline.names.predictions],
                expected: events,
                timeoutMs: TIMEOUT_MS,
                batchSizeMetric: 'driftwatch_inference_batch_size_events',
                batchDurationMetric: 'driftwatch_inference_batch_duration_seconds',
              }),
            );
          } else {
            const [output] = await pipeline.createTopics(['bench-out-exactly-once']);
            runs.passthrough.push(
              await measurePassthrough({
                pipeline,
                mode: 'exactly-once',
                inputs: [pipeline.names.events],
                output: output ?? '',
                expected: events,
                timeoutMs: TIMEOUT_MS,
              }),
            );
          }
        }
      } finally {
        await producer.disconnect();
        await pipeline.cleanup();
      }
    }
    const passthrough = fastest(runs.passthrough);
    const service = fastest(runs.service) as SubjectRun & { metrics: string };
    const floor: BenchRow = {
      suite: SUITE,
      case: caseName,
      subject: 'kafkajs exactly-once passthrough',
      value: events / passthrough.seconds,
      unit: 'events/s',
      note: `faster of ${String(ROUNDS)} rounds`,
    };
    context.report(floor);
    context.report(
      withRatio(
        {
          suite: SUITE,
          case: caseName,
          subject: model.subject,
          value: events / service.seconds,
          unit: 'events/s',
          note: `faster of ${String(ROUNDS)} rounds; ONNX call ${(1000 * histogramMean(service.metrics, SCORING)).toFixed(2)} ms per batch of ${(service.records / service.batches).toFixed(0)} events on average`,
        },
        floor.subject,
        floor.value,
      ),
    );
  }
}
