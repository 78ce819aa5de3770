import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { readTimeRange, type InputRecord } from '@driftwatch/bus';
import { loadVersionScorer } from '@driftwatch/model';
import type { ModelVersion } from '@driftwatch/topics';

import { runCli } from '../../packages/cli/src/testing/run-cli.js';
import { kafkaBrokers, testKafka } from '../support/environment.js';
import { createTestPipeline, type TestPipeline } from '../support/pipeline.js';

const byom = new URL('../fixtures/byom/', import.meta.url);
const fixture = (file: string): string => new URL(file, byom).pathname;
const sha256 = (file: string): string =>
  createHash('sha256')
    .update(readFileSync(fixture(file)))
    .digest('hex');

/** The bring-your-own-model path through the CLI, on the real broker: register, then replay. */
describe('driftwatch models register and replay <file.csv> on the local broker', () => {
  const kafka = testKafka();
  let pipeline: TestPipeline;
  let env: Record<string, string>;
  let dir: string;
  const read = async (topic: string): Promise<InputRecord[]> =>
    readTimeRange({ kafka, topic, fromTs: 0, toTs: Number.MAX_SAFE_INTEGER });

  before(async () => {
    pipeline = await createTestPipeline(kafka);
    env = {
      KAFKA_BROKERS: kafkaBrokers.join(','),
      TOPIC_PREFIX: pipeline.prefix,
      SCHEMA_REGISTRY_URL: '',
    };
    dir = await mkdtemp(join(tmpdir(), 'byom-cli-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ours = (await admin.listTopics()).filter((t) => t.startsWith(pipeline.prefix));
      await admin.deleteTopics({ topics: ours });
    } finally {
      await admin.disconnect();
    }
  });

  it('publishes multiclass-iris and binary-logreg-zipmap as serving versions the services can load', async () => {
    for (const [model, name] of [
      ['iris', 'multiclass-iris'],
      ['churn', 'binary-logreg-zipmap'],
    ] as const) {
      const result = await runCli(
        [
          'models',
          'register',
          model,
          '--onnx',
          fixture(`${name}.onnx`),
          '--reference',
          fixture(`${name}.reference.csv`),
          '--json',
        ],
        env,
      );
      assert.equal(result.code, 0, result.stderr);
    }

    const records = await read(pipeline.names.modelVersions);
    assert.deepEqual(records.map((r) => r.key?.toString()).sort(), ['churn/1', 'iris/1']);
    const versions = new Map<string, ModelVersion>();
    for (const record of records) {
      const version = await pipeline.codecs.modelVersions.decode(record.value);
      versions.set(version.model, version);
    }

    const iris = versions.get('iris');
    assert.ok(iris);
    assert.deepEqual(
      [iris.version, iris.parentVersion, iris.status, iris.requestId],
      [1, null, 'promoted', null],
    );
    assert.equal(iris.sha256, sha256('multiclass-iris.onnx'));
    assert.deepEqual(iris.featureNames, [
      'sepal_length',
      'sepal_width',
      'petal_length',
      'petal_width',
    ]);
    assert.deepEqual(iris.classes, ['setosa', 'versicolor', 'virginica']);
    assert.equal(iris.outputKind, null);
    assert.deepEqual(
      iris.reference.features.map((f) => f.name),
      iris.featureNames,
    );
    assert.equal(iris.reference.score, null);
    assert.deepEqual(
      iris.reference.classProbabilities.map((c) => c.name),
      iris.classes,
    );
    assert.equal(iris.metrics.challenger['count'], 150);
    assert.deepEqual(iris.trainingWindow.holdoutRows, 150);

    const churn = versions.get('churn');
    assert.ok(churn);
    assert.equal(churn.sha256, sha256('binary-logreg-zipmap.onnx'));
    assert.deepEqual(churn.featureNames, [
      'tenure_months',
      'monthly_charges',
      'support_calls',
      'usage_gb',
      'discount_pct',
    ]);
    assert.deepEqual(churn.classes, ['0', '1']);
    assert.equal(churn.threshold, 0.5);
    // A ZipMap gives [N, K] probabilities: no single output to pin.
    assert.equal(churn.outputKind, null);
    assert.equal(churn.reference.features.length, 5);
    assert.equal(churn.reference.score?.name, 'score');
    assert.deepEqual(churn.reference.classProbabilities, []);

    // What was read back loads as every service loads a version.
    for (const version of [iris, churn]) {
      const scorer = await loadVersionScorer(version);
      try {
        assert.deepEqual(scorer.featureNames, version.featureNames);
        assert.deepEqual(scorer.classes, version.classes);
      } finally {
        await scorer.release();
      }
    }
  });

  it('replays a CSV: its ids, its times, its labels as written', async () => {
    const csv = join(dir, 'flowers.csv');
    await writeFile(
      csv,
      [
        'flower,petal_length,petal_width,species,seen_at',
        'f-1,1.4,0.2,setosa,2024-06-01T12:00:00Z',
        'f-2,4.7,1.4,"versicolor",2024-06-01T12:01:00Z',
        'f-3,5.1,1.9,2,1717243320000',
        'f-4,6.0,2.5,,2024-06-01T12:03:00Z',
      ].join('\n'),
    );
    const result = await runCli(
      [
        'replay',
        csv,
        '--model',
        'iris',
        '--label-column',
        'species',
        '--id-column',
        'flower',
        '--time-column',
        'seen_at',
        '--rate',
        'max',
        '--label-delay',
        '2s',
        '--json',
      ],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { events: number; labels: number };
    assert.deepEqual([report.events, report.labels], [4, 3]);

    const events = await Promise.all(
      (await read(pipeline.names.events)).map(async (r) => ({
        key: r.key?.toString(),
        event: await pipeline.codecs.events.decode(r.value),
      })),
    );
    const noon = Date.UTC(2024, 5, 1, 12);
    assert.deepEqual(
      events.map(({ key, event }) => [key, event.id, event.model, event.ts, event.features]).sort(),
      [
        ['f-1', 'f-1', 'iris', noon, { petal_length: 1.4, petal_width: 0.2 }],
        ['f-2', 'f-2', 'iris', noon + 60_000, { petal_length: 4.7, petal_width: 1.4 }],
        ['f-3', 'f-3', 'iris', noon + 120_000, { petal_length: 5.1, petal_width: 1.9 }],
        ['f-4', 'f-4', 'iris', noon + 180_000, { petal_length: 6, petal_width: 2.5 }],
      ],
    );
    const labels = await Promise.all(
      (await read(pipeline.names.labels)).map(async (r) => ({
        key: r.key?.toString(),
        label: await pipeline.codecs.labels.decode(r.value),
      })),
    );
    // Class names stay strings, an integer cell is an integer, an empty cell sends nothing; each
    // label is stamped its event's time plus the delay.
    assert.deepEqual(labels.map(({ key, label }) => [key, label.label, label.ts]).sort(), [
      ['f-1', 'setosa', noon + 2000],
      ['f-2', 'versicolor', noon + 62_000],
      ['f-3', 2, noon + 122_000],
    ]);
  });
});
