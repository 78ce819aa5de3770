import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { modelVersionKey, type ModelVersion } from '@driftwatch/topics';

import { fakeModelVersion } from '../testing/fake-model-version.js';
import { runCli } from '../testing/run-cli.js';
import { testDeployment, type TestDeployment } from '../testing/test-deployment.js';
import type { ModelVersionSummary } from './models.js';

/** What `models --json` must print for a version, derived from the version itself. */
function expectedSummary(version: ModelVersion, serving: boolean): ModelVersionSummary {
  return {
    model: version.model,
    version: version.version,
    parentVersion: version.parentVersion,
    status: version.status,
    decidedBy: version.decidedBy,
    traffic: version.traffic,
    serving,
    createdAt: version.createdAt,
    reason: version.reason,
    requestId: version.requestId,
    sha256: version.sha256,
    onnxBytes: version.onnx.byteLength,
    featureNames: version.featureNames,
    classes: version.classes,
    threshold: version.threshold,
    outputKind: version.outputKind,
    metrics: version.metrics,
    trainingWindow: version.trainingWindow,
    alarmCalibration: version.alarmCalibration ?? null,
  };
}

describe('driftwatch models', () => {
  let deployment: TestDeployment;
  const sea = [
    fakeModelVersion({ model: 'sea', version: 1, parentVersion: null, status: 'promoted' }),
    fakeModelVersion({ model: 'sea', version: 2, parentVersion: 1, status: 'rejected' }),
    // Trained under a detector's false-alarm budget: its rules' calibration travels with it.
    fakeModelVersion({
      model: 'sea',
      version: 3,
      parentVersion: 1,
      status: 'promoted',
      alarmCalibration: {
        settings: {
          falseAlarmEvery: 20_000,
          concept: {
            conceptDetector: 'adwin',
            adwinCooldown: 1000,
            window: 1000,
            blockSize: 500,
            blockAccuracyThreshold: 0,
            accuracyThreshold: 0,
            rearmMargin: 0.02,
          },
          data: {
            window: 1000,
            rearmRatio: 0.5,
            ksAlpha: 0,
            cbpeMaxDrop: 0,
            cbpeRearmMargin: 0.02,
          },
        },
        concept: {
          eventsPerAlarm: 20_000,
          errorStream: { threshold: 0.37, expectedRunLength: 20_000 },
          blockAccuracy: null,
          windowAccuracy: null,
        },
        data: {
          eventsPerAlarm: 20_000,
          psi: { x1: { threshold: 0.041, expectedRunLength: 19_800 } },
          ks: null,
          cbpe: null,
          reconstruction: null,
        },
      },
    }),
    // A candidate a person rejected (`driftwatch reject --by carol`).
    fakeModelVersion({
      model: 'sea',
      version: 4,
      parentVersion: 3,
      status: 'rejected',
      decidedBy: 'carol',
    }),
  ];
  const other = [
    fakeModelVersion({ model: 'elec2', version: 1, parentVersion: null, status: 'promoted' }),
  ];

  before(async () => {
    deployment = await testDeployment('models');
    await deployment.provision(['modelVersions']);
    // As the trainer does: transactionally, so the topic ends with a commit marker the reader
    // never sees as a record, and must still know it reached the end.
    const producer = deployment.kafka.producer({
      transactionalId: `${deployment.prefix}trainer`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      for (const version of [...other, ...sea]) {
        const transaction = await producer.transaction();
        await transaction.send({
          topic: deployment.names.modelVersions,
          messages: [
            {
              key: modelVersionKey(version.model, version.version),
              value: await deployment.codecs.modelVersions.encode(version),
            },
          ],
        });
        await transaction.commit();
      }
    } finally {
      await producer.disconnect();
    }
  });
  after(async () => {
    await deployment.cleanup();
  });

  it('--json lists every version of every model, marking the serving one', async () => {
    const result = await runCli(['models', '--json'], deployment.env, { timeoutMs: 30_000 });
    assert.equal(result.code, 0, result.stderr);
    const expected = [
      ...other.map((v) => expectedSummary(v, true)),
      ...sea.map((v) => expectedSummary(v, v.version === 3)),
    ];
    assert.deepEqual(JSON.parse(result.stdout), expected);
  });

  it('<model> --json lists that model only', async () => {
    const result = await runCli(['models', 'sea', '--json'], deployment.env);
    assert.equal(result.code, 0, result.stderr);
    const listed = JSON.parse(result.stdout) as ModelVersionSummary[];
    assert.deepEqual(
      listed.map((v) => [v.version, v.serving]),
      sea.map((v) => [v.version, v.version === 3]),
    );
  });

  it('shows a table and the lineage tree of one model', async () => {
    const result = await runCli(['models', 'sea'], deployment.env);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.ok(
      lines.some((l) => l.includes('v3 *')),
      'the serving version is marked',
    );
    assert.ok(lines.some((l) => l.includes(sea[2]!.sha256.slice(0, 12))));
    assert.ok(
      lines.some((l) => l.includes('v4') && l.includes('rejected by carol')),
      'who decided a candidate',
    );
    assert.ok(
      lines.some((l) => l.includes('0.830 vs 0.800')),
      'challenger vs champion accuracy',
    );
    const tree = lines.slice(lines.findIndex((l) => l.startsWith('lineage of sea')) + 1);
    assert.deepEqual(
      // Each line is indented by two spaces, then the tree.
      tree.filter((l) => l.trim() !== '').map((l) => /^ {2}([│├└─ ]*v\d+ \w+)/.exec(l)?.[1]),
      ['v1 promoted', '├── v2 rejected', '└── v3 promoted', '    └── v4 rejected'],
    );
  });

  it("--live shows each version's accuracy on recent labeled predictions, the arms side by side", async () => {
    await deployment.provision(['predictionsLabeled']);
    const now = Date.now();
    const labeled = (model: string, version: number, index: number, right: boolean) => ({
      id: `evt-${model}-${version}-${index}`,
      model,
      modelVersion: version,
      ts: now,
      scoredAt: now,
      score: 0.9,
      predicted: 1,
      classes: [],
      probabilities: [],
      features: { x: 1 },
      label: right ? 1 : 0,
      labelTs: now,
      labelDelayMs: 0,
    });
    // v3 serves; v4 stands in for an A/B arm. elec2's records must not count for sea.
    const records = [
      ...Array.from({ length: 8 }, (_, i) => labeled('sea', 3, i, i < 6)),
      ...Array.from({ length: 4 }, (_, i) => labeled('sea', 4, i, i < 1)),
      ...Array.from({ length: 3 }, (_, i) => labeled('elec2', 1, i, true)),
    ];
    const producer = deployment.kafka.producer({ idempotent: true });
    await producer.connect();
    try {
      await producer.send({
        topic: deployment.names.predictionsLabeled,
        messages: await Promise.all(
          records.map(async (record) => ({
            key: record.model,
            value: await deployment.codecs.predictionsLabeled.encode(record),
          })),
        ),
      });
    } finally {
      await producer.disconnect();
    }

    const json = await runCli(['models', 'sea', '--live', '1h', '--json'], deployment.env);
    assert.equal(json.code, 0, json.stderr);
    const live = (JSON.parse(json.stdout) as ModelVersionSummary[]).map((v) => [v.version, v.live]);
    assert.deepEqual(live, [
      [1, { labeled: 0, accuracy: null }],
      [2, { labeled: 0, accuracy: null }],
      [3, { labeled: 8, accuracy: 0.75 }],
      [4, { labeled: 4, accuracy: 0.25 }],
    ]);

    const table = await runCli(['models', 'sea', '--live', '1h'], deployment.env);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.split('\n');
    assert.ok(lines.some((l) => l.includes('v3 *') && l.includes('0.750 (8)')));
    assert.ok(lines.some((l) => l.includes('v4') && l.includes('0.250 (4)')));
    assert.ok(lines.some((l) => l.includes('live accuracy: right / labeled predictions')));
  });

  it('fails with the known models for a model it does not know', async () => {
    const result = await runCli(['models', 'nosuch'], deployment.env);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr.trim(),
      `driftwatch: no version of model "nosuch" in ${deployment.names.modelVersions}; models: elec2, sea`,
    );
  });

  it('prints an empty list when the topic does not exist yet', async () => {
    const empty = await testDeployment('models-empty');
    const result = await runCli(['models', '--json'], empty.env);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });
});
