import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { InputRecord, OutputMessage } from '@driftwatch/bus';
import { mulberry32 } from '@driftwatch/drift';
import type { LabeledPrediction, ModelVersion, ShadowTrial } from '@driftwatch/topics';

import { labeledRecord } from './testing/labeled-records.js';
import { seaVersion } from './testing/sea-version.js';
import {
  codecs,
  handleInBatches,
  names,
  restoreSnapshots,
  unitDetectorDependencies,
} from './testing/unit-detector.js';

const rule = (overrides: Partial<ShadowTrial> = {}): ShadowTrial => ({
  minLabeled: 400,
  minGain: 0.02,
  mcnemarAlpha: 0.01,
  evidence: null,
  ...overrides,
});
const shadowOf = (version: number, trial: ShadowTrial): ModelVersion => ({
  ...seaVersion(version),
  status: 'shadow',
  shadowTrial: trial,
});

/**
 * Labeled predictions of `sea` v1 (right 80% of the time) carrying what shadows v2 (right 92%)
 * and v3 (right 70%) predicted for the same events, each right or wrong independently.
 */
async function trialRecords(count: number, from = 0): Promise<InputRecord[]> {
  const random = mulberry32(11);
  const records: InputRecord[] = [];
  for (let i = 0; i < from + count; i++) {
    const label = random() < 0.5 ? 1 : 0;
    const guess = (accuracy: number): number => (random() < accuracy ? label : 1 - label);
    const [v1, v2, v3] = [guess(0.8), guess(0.92), guess(0.7)];
    if (i < from) continue;
    const labeled: LabeledPrediction = {
      id: `e${i}`,
      model: 'sea',
      modelVersion: 1,
      ts: i,
      scoredAt: i,
      score: v1 === 1 ? 0.9 : 0.1,
      predicted: v1,
      features: { x1: 1 },
      shadows: [
        { modelVersion: 2, score: v2 === 1 ? 0.8 : 0.2, predicted: v2 },
        { modelVersion: 3, score: v3 === 1 ? 0.7 : 0.3, predicted: v3 },
      ],
      label,
      labelTs: i + 5,
      labelDelayMs: 5,
    };
    records.push(await labeledRecord(codecs, names, labeled, i));
  }
  return records;
}

function trialDeps(v3Rule = rule({ mcnemarAlpha: null, minGain: 0 })) {
  const deps = unitDetectorDependencies();
  deps.registry.apply(seaVersion(1));
  deps.registry.apply(shadowOf(2, rule()));
  deps.registry.apply(shadowOf(3, v3Rule));
  return deps;
}

async function decided(outputs: OutputMessage[]): Promise<ModelVersion[]> {
  return Promise.all(
    outputs
      .filter((output) => output.topic === names.modelVersions)
      .map((output) => codecs.modelVersions.decode(output.value)),
  );
}

describe("shadow trials on the serving version's labeled predictions", () => {
  it('promotes the better shadow and retires the worse, once each, on exactly minLabeled paired events', async () => {
    const records = await trialRecords(1000);
    const outputs = await handleInBatches(trialDeps(), records, 150);
    const versions = await decided(outputs);
    assert.deepEqual(
      versions.map((v) => [v.version, v.status]),
      [
        [2, 'promoted'],
        [3, 'rejected'],
      ],
    );
    // Recount the first 400 events by hand: the evidence is theirs, nothing later.
    const first = await Promise.all(
      records.slice(0, 400).map((r) => codecs.predictionsLabeled.decode(r.value)),
    );
    for (const version of versions) {
      const shadow = (p: LabeledPrediction) =>
        p.shadows?.find((s) => s.modelVersion === version.version)?.predicted;
      const champion = first.filter((p) => p.predicted === p.label).length;
      const mine = first.filter((p) => shadow(p) === p.label).length;
      const evidence = version.shadowTrial?.evidence;
      assert.ok(evidence, `v${version.version} carries its evidence`);
      assert.equal(evidence.championVersion, 1);
      assert.equal(evidence.labeled, 400);
      assert.equal(evidence.championCorrect, champion);
      assert.equal(evidence.shadowCorrect, mine);
      assert.equal(evidence.shadowOnly - evidence.championOnly, mine - champion);
    }
    const [v2, v3] = versions;
    assert.match(
      v2?.reason ?? '',
      /^promoted on live evidence: live accuracy 0\.9\d+ vs champion 0\.[78]\d* .* on 400 labeled events, McNemar p=/,
    );
    assert.ok((v2?.shadowTrial?.evidence?.pValue ?? 1) < 0.01);
    assert.equal(v2?.sha256, seaVersion(2).sha256, 'the very bytes on trial');
    assert.deepEqual(
      { ...v2, status: 'shadow', reason: '', shadowTrial: rule(), onnx: null },
      { ...shadowOf(2, rule()), reason: '', onnx: null },
      'nothing but the outcome changes: not the bytes, the lineage, nor when it was trained',
    );
    assert.match(
      v3?.reason ?? '',
      /^retired after its shadow trial: live accuracy 0\.[67]\d* vs champion .* < 0\)/,
    );
    assert.equal(v3?.shadowTrial?.evidence?.pValue, null, "v3's rule asks for no test");
  });

  it('a shadow that beats the champion without significance is retired', async () => {
    // v2 is better, but 400 events cannot show it at alpha 1e-9.
    const deps = unitDetectorDependencies();
    deps.registry.apply(seaVersion(1));
    deps.registry.apply(shadowOf(2, rule({ mcnemarAlpha: 1e-9 })));
    const versions = await decided(await handleInBatches(deps, await trialRecords(500), 100));
    assert.deepEqual(
      versions.map((v) => [v.version, v.status]),
      [[2, 'rejected']],
    );
    assert.match(versions[0]?.reason ?? '', /McNemar p=.* ≥ 1e-9/);
  });

  it('a detector restarted from the changelog mid-trial decides exactly as an uninterrupted one', async () => {
    const records = await trialRecords(1000);
    const uninterrupted = await decided(await handleInBatches(trialDeps(), records, 150));
    const before = await handleInBatches(trialDeps(), records.slice(0, 250), 50);
    const restarted = trialDeps();
    restoreSnapshots(restarted, before, () => assert.fail('every snapshot is readable'));
    const after = await handleInBatches(restarted, records.slice(250), 150);
    assert.deepEqual(await decided([...before, ...after]), uninterrupted);
  });

  it('a new serving version retires the shadows it overtook', async () => {
    const deps = trialDeps(rule({ minLabeled: 100_000 }));
    deps.registry.apply(seaVersion(4));
    const v4 = await Promise.all(
      (await trialRecords(10)).map(async (record) => {
        const labeled = await codecs.predictionsLabeled.decode(record.value);
        return {
          ...record,
          value: await codecs.predictionsLabeled.encode({
            ...labeled,
            modelVersion: 4,
            shadows: [],
          }),
        };
      }),
    );
    const versions = await decided(await handleInBatches(deps, v4, 10));
    assert.deepEqual(
      versions.map((v) => [v.version, v.status, v.reason]),
      [
        [2, 'rejected', 'retired after its shadow trial: overtaken, v4 started serving first'],
        [3, 'rejected', 'retired after its shadow trial: overtaken, v4 started serving first'],
      ],
    );
  });
});
