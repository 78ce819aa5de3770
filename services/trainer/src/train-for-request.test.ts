import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ModelRegistry } from '@driftwatch/bus';
import { seaStream } from '@driftwatch/datasets';
import {
  bootstrapVersion,
  fitMultivariateReference,
  loadVersionScorer,
  predictClasses,
} from '@driftwatch/model';
import { calibrateVersionAlarms } from '@driftwatch/alarms';
import {
  embeddingColumns,
  withEmbeddingColumns,
  type AlarmSettings,
  type LabeledPrediction,
  type ModelVersion,
  type RetrainRequest,
} from '@driftwatch/topics';

import { byomCsv, labeledRows } from './testing/byom-fixture.js';
import { irisWindow } from './testing/iris-retraining.js';
import { trainForRequest, type TrainingPolicy, type VersionLedger } from './train-for-request.js';

const policy: TrainingPolicy = {
  candidate: { family: 'logistic', training: {}, referenceBins: 10 },
  holdoutFraction: 0.2,
  minRows: 200,
  maxRows: 20_000,
  criteria: { metric: 'accuracy', minGain: 0.01, minHoldout: 100 },
};

/** Labeled predictions of SEA with threshold θ: what the trainer reads from predictions-labeled. */
function window(threshold: number, length: number, noise = 0.1): LabeledPrediction[] {
  return [...seaStream({ seed: 5, length, noise, concepts: [{ start: 0, threshold }] })].map(
    (row) => ({
      id: `e${row.index}`,
      model: 'sea',
      modelVersion: 1,
      ts: row.index,
      scoredAt: row.index,
      score: 0.5,
      predicted: 1,
      features: row.features,
      label: row.label,
      labelTs: row.index,
      labelDelayMs: 0,
    }),
  );
}

async function championOn(threshold: number): Promise<ModelVersion> {
  const rows = [...seaStream({ seed: 9, length: 2000, concepts: [{ start: 0, threshold }] })];
  return bootstrapVersion({
    model: 'sea',
    featureNames: ['x1', 'x2', 'x3'],
    rows: rows.map((r) => [r.features.x1, r.features.x2, r.features.x3]),
    labels: rows.map((r) => r.label),
    candidate: policy.candidate,
    createdAt: 1000,
  });
}

function ledgerOf(...versions: ModelVersion[]): VersionLedger {
  const registry = new ModelRegistry();
  for (const version of versions) registry.apply(version);
  return {
    latestPromoted: (model) => registry.latestPromoted(model),
    highestVersionNumber: (model) => registry.highestVersionNumber(model),
    newestCreatedAt: (model) => {
      const times = registry.versions(model).map((v) => v.createdAt);
      return times.length > 0 ? Math.max(...times) : undefined;
    },
  };
}

const request = (overrides: Partial<RetrainRequest> = {}): RetrainRequest => ({
  requestId: 'r1',
  model: 'sea',
  reason: 'drift',
  alertId: 'a1',
  fromTs: 0,
  toTs: 10_000,
  requestedAt: 5_000,
  ...overrides,
});

describe('trainForRequest', () => {
  it('promotes a challenger that beats the champion on the new concept, with metrics and lineage', async () => {
    const champion = await championOn(7);
    const outcome = await trainForRequest(request(), {
      ledger: ledgerOf(champion),
      readWindow: () => Promise.resolve(window(11, 1500)),
      policy,
      now: () => 9_999,
    });
    assert.equal(outcome.kind, 'published');
    const { version } = outcome;
    assert.equal(version.version, 2);
    assert.equal(version.parentVersion, 1);
    assert.equal(version.status, 'promoted', version.reason);
    assert.equal(version.requestId, 'r1');
    assert.deepEqual(version.featureNames, champion.featureNames);
    assert.equal(version.trainingWindow.trainRows + version.trainingWindow.holdoutRows, 1500);
    assert.equal(version.trainingWindow.holdoutRows, 300);
    const challenger = version.metrics.challenger['accuracy'] ?? 0;
    const championAccuracy = version.metrics.champion?.['accuracy'] ?? 1;
    assert.ok(challenger > championAccuracy + 0.01, `${challenger} vs ${championAccuracy}`);
    assert.match(version.reason, /^drift request: accuracy/);
  });

  it('in manual mode publishes a challenger that meets the criteria as a candidate, and one that does not as rejected', async () => {
    const champion = await championOn(7);
    const manual = { ...policy, mode: 'manual' as const };
    const better = await trainForRequest(request(), {
      ledger: ledgerOf(champion),
      readWindow: () => Promise.resolve(window(11, 1500)),
      policy: manual,
      now: () => 9_999,
    });
    assert.equal(better.kind, 'published');
    assert.equal(better.version.status, 'candidate', better.version.reason);
    assert.equal(better.version.decidedBy, null);
    assert.match(better.version.reason, /^drift request: accuracy .*; awaiting approval/);
    const same = await trainForRequest(request(), {
      ledger: ledgerOf(champion),
      readWindow: () => Promise.resolve(window(7, 1500)),
      policy: manual,
      now: () => 9_999,
    });
    assert.equal(same.kind === 'published' ? same.version.status : same.kind, 'rejected');
  });

  it('under PROMOTION_STAGE=shadow puts a challenger that meets the criteria on trial with its rule; one that does not is rejected', async () => {
    const champion = await championOn(7);
    const rule = { minLabeled: 500, minGain: 0.02, mcnemarAlpha: 0.01 };
    const shadowing = { ...policy, shadow: rule };
    const better = await trainForRequest(request(), {
      ledger: ledgerOf(champion),
      readWindow: () => Promise.resolve(window(11, 1500)),
      policy: shadowing,
      now: () => 9_999,
    });
    assert.equal(better.kind, 'published');
    assert.equal(better.version.status, 'shadow', better.version.reason);
    assert.deepEqual(better.version.shadowTrial, { ...rule, evidence: null });
    assert.match(better.version.reason, /; on trial as a shadow until 500 labeled events decide$/);
    const same = await trainForRequest(request(), {
      ledger: ledgerOf(champion),
      readWindow: () => Promise.resolve(window(7, 1500)),
      policy: shadowing,
      now: () => 9_999,
    });
    assert.equal(same.kind, 'published');
    assert.deepEqual([same.version.status, same.version.shadowTrial], ['rejected', null]);
    // With nothing serving, there is nothing to compare a shadow with: the first version serves.
    const first = await trainForRequest(request(), {
      ledger: ledgerOf(),
      readWindow: () => Promise.resolve(window(11, 1500)),
      policy: shadowing,
      now: () => 9_999,
    });
    assert.equal(first.kind, 'published');
    assert.deepEqual([first.version.status, first.version.shadowTrial], ['promoted', null]);
  });

  it('chooses its window on a validation slice, records every candidate, and does so deterministically', async () => {
    const champion = await championOn(7);
    // 4000 rows of the old concept before the change at ts 10 000, 600 of the new one after it.
    const before = window(7, 4000).map((row) => ({ ...row, id: `old-${row.id}` }));
    const since = window(11, 600).map((row) => ({ ...row, id: `new-${row.id}` }));
    const reads: [number, number][] = [];
    const train = () =>
      trainForRequest(request({ fromTs: 10_000, toTs: 20_000 }), {
        ledger: ledgerOf(champion),
        readWindow: (_model, fromTs, toTs) => {
          reads.push([fromTs, toTs]);
          return Promise.resolve(fromTs >= 10_000 ? since : before);
        },
        policy: { ...policy, windows: { sizes: [2000, 5000], lookbackMs: 3_000 } },
        now: () => 9_999,
      });
    const first = await train();
    assert.deepEqual(reads.slice(0, 2), [
      [10_000, 20_000],
      [7_000, 9_999],
    ]);
    assert.equal(first.kind, 'published');
    const { trainingWindow } = first.version;
    assert.equal(trainingWindow.holdoutRows, 120);
    assert.deepEqual(
      trainingWindow.candidates?.map((c) => [c.window, c.trainRows]),
      [
        ['since-change', 480 - 120],
        ['2000', 2000],
        ['5000', 4360],
      ],
    );
    // The old concept's rows teach the wrong rule: the rows since the change win.
    assert.equal(trainingWindow.chosen, 'since-change');
    assert.equal(trainingWindow.trainRows, 480);
    const second = await train();
    assert.equal(second.kind === 'published' && second.version.sha256, first.version.sha256);
    assert.deepEqual(second.kind === 'published' && second.version.trainingWindow, trainingWindow);
  });

  it('reads the window and the history before it by the offsets the request names', async () => {
    const champion = await championOn(7);
    const reads: unknown[][] = [];
    await trainForRequest(
      request({
        fromTs: 10_000,
        toTs: 20_000,
        labeledOffsets: { partition: 1, fromOffset: 400, toOffset: 999 },
      }),
      {
        ledger: ledgerOf(champion),
        readWindow: (_model, fromTs, toTs, offsets) => {
          reads.push([fromTs, toTs, offsets]);
          return Promise.resolve(window(fromTs >= 10_000 ? 11 : 7, 600));
        },
        policy: { ...policy, windows: { sizes: [2000], lookbackMs: 3_000 } },
        now: () => 9_999,
      },
    );
    assert.deepEqual(reads.slice(0, 2), [
      [10_000, 20_000, { partition: 1, fromOffset: 400, toOffset: 999 }],
      // Up to the window's first record: the millisecond it starts in may hold older records too.
      [7_000, 10_000, { partition: 1, fromOffset: null, toOffset: 399 }],
    ]);
  });

  it("edge cases: trains on the champion's training window plus the labeled edge cases outside the holdout", async () => {
    const trained = await championOn(7);
    // The champion was trained by the trainer on [100, 2_000]: that window is readable.
    const champion = {
      ...trained,
      trainingWindow: { ...trained.trainingWindow, fromTs: 100, toTs: 2_000 },
    };
    const serving = window(7, 1_000).map((prediction, i) => ({
      ...prediction,
      ts: 10_000 + i,
      ...(i % 10 === 0
        ? { edgeCase: { cluster: 3, distance: 5, rule: 'far-from-cluster', threshold: 4 } as const }
        : {}),
    }));
    const reads: number[][] = [];
    const outcome = await trainForRequest(
      request({ reason: 'edge_cases', alertId: null, fromTs: 10_000, toTs: 11_000 }),
      {
        ledger: ledgerOf(champion),
        readWindow: (_model, fromTs, toTs) => {
          reads.push([fromTs, toTs]);
          return Promise.resolve(fromTs === 100 ? window(7, 1_500) : serving);
        },
        policy: { ...policy, windows: { sizes: [2000], lookbackMs: 3_000 } },
        now: () => 9_999,
      },
    );
    assert.equal(outcome.kind, 'published');
    assert.deepEqual(reads, [
      [10_000, 11_000],
      [100, 2_000],
    ]);
    const { trainingWindow } = outcome.version;
    // 1,000 serving rows: 200 held out, 80 of the 100 edge cases before the holdout.
    assert.equal(trainingWindow.holdoutRows, 200);
    assert.equal(trainingWindow.trainRows, 1_500 + 80);
    assert.equal(trainingWindow.chosen, "v1's training window + 80 edge cases");
    assert.match(outcome.version.reason, /^edge_cases request: /);
  });

  it('edge cases: a champion whose training window is not on the topic trains on the request window', async () => {
    const champion = await championOn(7);
    const outcome = await trainForRequest(
      request({ reason: 'edge_cases', alertId: null, fromTs: 10_000, toTs: 11_000 }),
      {
        ledger: ledgerOf(champion),
        readWindow: () => Promise.resolve(window(7, 1_000)),
        policy,
        now: () => 9_999,
      },
    );
    assert.equal(outcome.kind, 'published');
    assert.equal(outcome.version.trainingWindow.trainRows, 800);
  });

  it('edge cases: trains on the champion’s window plus them, and profiles the reference on the request’s latest 1,000 rows', async () => {
    const champion = {
      ...(await championOn(7)),
      trainingWindow: { fromTs: 0, toTs: 5_000, trainRows: 2_000, holdoutRows: 0 },
    };
    const verdict = { cluster: 0, distance: 3, rule: 'far-from-cluster', threshold: 2 } as const;
    const recent = window(7, 3_000).map((record, i) => ({
      ...record,
      id: `r${i}`,
      ...(i % 10 === 0 ? { edgeCase: verdict } : {}),
    }));
    const outcome = await trainForRequest(
      request({ reason: 'edge_cases', alertId: null, fromTs: 10_000, toTs: 13_000 }),
      {
        ledger: ledgerOf(champion),
        readWindow: (_model, fromTs) => Promise.resolve(fromTs === 0 ? window(7, 2_000) : recent),
        policy,
        now: () => 9_999,
      },
    );
    assert.equal(outcome.kind, 'published');
    const { version } = outcome;
    // 240 edge cases among the 2,400 rows before the 600-row holdout.
    assert.equal(version.trainingWindow.chosen, "v1's training window + 240 edge cases");
    assert.equal(version.trainingWindow.trainRows, 2_240);
    assert.equal(version.reference.rows, 1_000);
  });

  it('a vector the champion’s drift was watched on, and its model does not take, is watched on', async () => {
    const champion = await championOn(7);
    const vectorOf = (i: number): number[] => [Math.sin(i), Math.cos(i * 3), (i % 5) / 5];
    const watched = fitMultivariateReference(
      embeddingColumns(3),
      Array.from({ length: 500 }, (_, i) => vectorOf(i)),
    );
    assert.ok(watched);
    const records = window(11, 1500).map((record, i) => ({
      ...record,
      features: { ...record.features, ...withEmbeddingColumns({}, vectorOf(i)) },
    }));
    const outcome = await trainForRequest(request(), {
      ledger: ledgerOf({
        ...champion,
        reference: { ...champion.reference, multivariate: watched },
      }),
      readWindow: () => Promise.resolve(records),
      policy,
      now: () => 9_999,
    });
    assert.equal(outcome.kind, 'published');
    assert.deepEqual(outcome.version.featureNames, ['x1', 'x2', 'x3']);
    assert.deepEqual(outcome.version.reference.multivariate?.features, embeddingColumns(3));
    assert.deepEqual(
      outcome.version.reference.features.map((distribution) => distribution.name),
      ['x1', 'x2', 'x3'],
    );
  });

  it("scores challenger and champion on the champion's golden set, records both and carries the set on", async () => {
    const champion = await championOn(7);
    const goldenRows = window(11, 500);
    const goldenSet = {
      rows: goldenRows.map((p) => [
        p.features['x1'] ?? 0,
        p.features['x2'] ?? 0,
        p.features['x3'] ?? 0,
      ]),
      labels: goldenRows.map((p) => p.label),
    };
    const outcome = await trainForRequest(request(), {
      ledger: ledgerOf({ ...champion, goldenSet }),
      readWindow: () => Promise.resolve(window(11, 1500)),
      policy,
      now: () => 9_999,
    });
    assert.equal(outcome.kind, 'published');
    const { version } = outcome;
    assert.deepEqual(version.goldenSet, goldenSet);
    const challenger = version.metrics.challenger['goldenAccuracy'] ?? 0;
    const old = version.metrics.champion?.['goldenAccuracy'] ?? 1;
    assert.ok(challenger > old + 0.05, `golden set: challenger ${challenger} vs champion ${old}`);
    assert.match(version.reason, /; golden set \(500 rows\): \d+\.\d% vs champion v1 \d+\.\d%$/);
    const without = await trainForRequest(request(), {
      ledger: ledgerOf(champion),
      readWindow: () => Promise.resolve(window(11, 1500)),
      policy,
      now: () => 9_999,
    });
    assert.equal(without.kind, 'published');
    assert.equal(without.version.goldenSet, undefined);
    assert.equal(without.version.metrics.challenger['goldenAccuracy'], undefined);
  });

  it('on a false alarm, chooses the longer history over the few rows since it', async () => {
    const champion = await championOn(7);
    const before = window(9, 4000, 0.2).map((row) => ({ ...row, id: `old-${row.id}` }));
    const since = window(9, 300, 0.2).map((row) => ({ ...row, id: `new-${row.id}` }));
    const outcome = await trainForRequest(request({ fromTs: 10_000, toTs: 20_000 }), {
      ledger: ledgerOf(champion),
      readWindow: (_model, fromTs) => Promise.resolve(fromTs >= 10_000 ? since : before),
      policy: { ...policy, windows: { sizes: [2000, 5000], lookbackMs: 3_000 } },
      now: () => 9_999,
    });
    assert.equal(outcome.kind, 'published');
    assert.notEqual(outcome.version.trainingWindow.chosen, 'since-change');
  });

  it('rejects a challenger that is no better, and says why', async () => {
    const champion = await championOn(11);
    const outcome = await trainForRequest(request(), {
      ledger: ledgerOf(champion),
      readWindow: () => Promise.resolve(window(11, 1500)),
      policy,
      now: () => 9_999,
    });
    assert.equal(outcome.kind === 'published' ? outcome.version.status : outcome.kind, 'rejected');
  });

  it("calibrates a version that may serve to the asking detector's false-alarm budget, and no other", async () => {
    const champion = await championOn(7);
    const settings: AlarmSettings = {
      falseAlarmEvery: 5000,
      concept: {
        conceptDetector: 'adwin',
        adwinCooldown: 250,
        window: 250,
        blockSize: 250,
        blockAccuracyThreshold: 0.5,
        accuracyThreshold: 0,
        rearmMargin: 0.02,
      },
      data: { window: 250, rearmRatio: 0.5, ksAlpha: 0, cbpeMaxDrop: 0.05, cbpeRearmMargin: 0.02 },
    };
    const train = (overrides: Partial<RetrainRequest>, concept: number) =>
      trainForRequest(request(overrides), {
        ledger: ledgerOf(champion),
        readWindow: () => Promise.resolve(window(concept, 1500)),
        policy,
        now: () => 9_999,
      });
    const asked = await train({ alarmSettings: settings }, 11);
    assert.equal(asked.kind === 'published' ? asked.version.status : asked.kind, 'promoted');
    assert.equal(asked.kind, 'published');
    const calibration = asked.version.alarmCalibration;
    assert.ok(calibration, 'a promoted version carries its calibration');
    assert.deepEqual(calibration.settings, settings);
    // Each feature, the score, and the clusters of its multivariate reference.
    assert.deepEqual(Object.keys(calibration.data.psi).sort(), [
      '<clusters>',
      '<score>',
      'x1',
      'x2',
      'x3',
    ]);
    for (const rule of [
      calibration.concept?.errorStream,
      calibration.concept?.blockAccuracy,
      ...Object.values(calibration.data.psi),
      calibration.data.cbpe,
      calibration.data.reconstruction,
    ]) {
      const runLength = rule?.expectedRunLength ?? NaN;
      assert.ok(runLength >= 5000 / 1.5 && runLength <= 5000 * 1.5, `run length ${runLength}`);
    }
    assert.deepEqual(
      calibrateVersionAlarms(asked.version, settings),
      calibration,
      'the same on every run',
    );
    const raw = await train({}, 11);
    assert.equal(raw.kind === 'published' && raw.version.alarmCalibration, undefined);
    const rejected = await train({ alarmSettings: settings }, 7);
    assert.equal(
      rejected.kind === 'published' ? rejected.version.status : rejected.kind,
      'rejected',
    );
    assert.equal(rejected.kind === 'published' && rejected.version.alarmCalibration, undefined);
  });

  it('the same request on the same data yields byte-identical ONNX (logistic and MLP)', async () => {
    for (const family of ['logistic', 'mlp'] as const) {
      const familyPolicy: TrainingPolicy = {
        ...policy,
        candidate: { ...policy.candidate, family, training: { mlp: { seed: 42, epochs: 5 } } },
      };
      const train = () =>
        trainForRequest(request(), {
          ledger: ledgerOf(),
          readWindow: () => Promise.resolve(window(9, 800)),
          policy: familyPolicy,
          now: () => 1,
        });
      const [first, second] = [await train(), await train()];
      assert.ok(first.kind === 'published' && second.kind === 'published');
      assert.ok(Buffer.from(first.version.onnx).equals(Buffer.from(second.version.onnx)), family);
      assert.equal(first.version.sha256, second.version.sha256);
    }
  });

  it('numbers versions after the highest one used, rejected ones included', async () => {
    const champion = await championOn(7);
    const rejected: ModelVersion = { ...champion, version: 4, status: 'rejected', createdAt: 10 };
    const outcome = await trainForRequest(request(), {
      ledger: ledgerOf(champion, rejected),
      readWindow: () => Promise.resolve(window(11, 1000)),
      policy,
      now: () => 9_999,
    });
    assert.ok(outcome.kind === 'published');
    assert.equal(outcome.version.version, 5);
    assert.equal(outcome.version.parentVersion, 1, 'the parent is the serving version');
  });

  it('skips a request a newer version already answered', async () => {
    const champion = { ...(await championOn(7)), createdAt: 6_000 };
    let read = false;
    const outcome = await trainForRequest(request({ requestedAt: 5_000 }), {
      ledger: ledgerOf(champion),
      readWindow: () => {
        read = true;
        return Promise.resolve([]);
      },
      policy,
      now: () => 9_999,
    });
    assert.deepEqual(outcome.kind === 'skipped' ? outcome.reason : outcome.kind, 'superseded');
    assert.equal(read, false, 'no data read for a superseded request');
  });

  it('skips a window with too few rows, or one class only', async () => {
    const few = await trainForRequest(request(), {
      ledger: ledgerOf(),
      readWindow: () => Promise.resolve(window(9, 150)),
      policy,
      now: () => 1,
    });
    assert.equal(few.kind === 'skipped' ? few.reason : few.kind, 'not-enough-data');
    const oneClass = await trainForRequest(request(), {
      ledger: ledgerOf(),
      readWindow: () => Promise.resolve(window(25, 500, 0)),
      policy,
      now: () => 1,
    });
    assert.equal(oneClass.kind === 'skipped' ? oneClass.reason : oneClass.kind, 'one-class');
  });

  it('tells invalid rows apart from one class (learn codes are its own, not shared)', async () => {
    // Both classes present, but one feature has an empty name: learn refuses the input. Before
    // codes were per package, every DW_INVALID_INPUT from learn was reported as one-class.
    const rows = window(9, 500).map((row) => ({ ...row, features: { ...row.features, '': 1 } }));
    const outcome = await trainForRequest(request(), {
      ledger: ledgerOf(),
      readWindow: () => Promise.resolve(rows),
      policy,
      now: () => 1,
    });
    assert.ok(outcome.kind === 'skipped', `expected a skip, got ${outcome.kind}`);
    assert.equal(outcome.reason, 'invalid-input');
    assert.match(outcome.detail, /featureNames\[0\]/);
  });

  describe("a multiclass model (labels index the champion's classes)", () => {
    const features = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
    // Not the alphabetical order, so that nothing can get it right by sorting.
    const classes = ['virginica', 'setosa', 'versicolor'];
    const stream = byomCsv('multiclass-iris.stream.csv');

    /** A 3-class champion on the stream's first concept (its rows 0–999). */
    async function irisChampion(): Promise<ModelVersion> {
      const rows = labeledRows({ ...stream, rows: stream.rows.slice(0, 1000) }, features, classes);
      return bootstrapVersion({
        model: 'iris',
        featureNames: features,
        ...rows,
        candidate: { ...policy.candidate, classCount: 3, classes },
        createdAt: 1000,
      });
    }

    it("trains a 3-class challenger and publishes the champion's classes, in its order", async () => {
      const champion = await irisChampion();
      const window = await irisWindow(champion, 1000, 2000);
      const outcome = await trainForRequest(request({ model: 'iris' }), {
        ledger: ledgerOf(champion),
        readWindow: () => Promise.resolve(window),
        policy,
        now: () => 9_999,
      });
      assert.ok(outcome.kind === 'published', outcome.kind === 'skipped' ? outcome.detail : '');
      const { version } = outcome;
      assert.equal(outcome.command, null, 'the built-in family trained it');
      assert.deepEqual(version.classes, classes);
      assert.equal(version.outputKind, null);
      assert.equal(version.parentVersion, 1);
      assert.deepEqual(
        version.reference.classProbabilities.map((distribution) => distribution.name),
        classes,
      );
      assert.equal(version.metrics.challenger['classCount'], 3);
      // The petals grew at row 1000: the champion falls to 0.65, a challenger learns the new concept.
      assert.equal(version.status, 'promoted', version.reason);
      // Its probability columns follow those names: loaded as inference loads it, it predicts the
      // holdout's classes by name.
      const holdout = stream.rows.slice(1800, 2000);
      const scorer = await loadVersionScorer(version);
      const matrix = new Float32Array(
        holdout.flatMap((row) => scorer.featureNames.map((name) => row.features[name] ?? NaN)),
      );
      const predicted = predictClasses(await scorer.score(matrix, holdout.length), 3, 0.5);
      await scorer.release();
      const right = predicted.filter((k, i) => version.classes[k] === holdout[i]?.label).length;
      assert.ok(right / holdout.length > 0.9, `${right} of ${holdout.length} right by class name`);
    });

    it('skips a window lacking one of the classes, which the softmax cannot learn', async () => {
      const champion = await irisChampion();
      const window = (await irisWindow(champion, 1000, 2000)).filter(
        (row) => classes[row.label] !== 'setosa',
      );
      const outcome = await trainForRequest(request({ model: 'iris' }), {
        ledger: ledgerOf(champion),
        readWindow: () => Promise.resolve(window),
        policy,
        now: () => 9_999,
      });
      assert.ok(outcome.kind === 'skipped', `expected a skip, got ${outcome.kind}`);
      assert.equal(outcome.reason, 'missing-class');
      assert.match(outcome.detail, /class 1 has no row/);
    });
  });
});
