import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import { buildFeatureMatrix } from '@driftwatch/model';
import type { ModelVersion } from '@driftwatch/topics';

import { ServingModels, type ServedModel } from './serving-models.js';
import { logisticScore, logisticVersion } from './testing/logistic-version.js';
import { recordingLoader, type RecordingLoader } from './testing/recording-loader.js';
import { trafficBucket } from './traffic-bucket.js';

const v1 = logisticVersion('sea', 1, [2, -1]);
const v2 = logisticVersion('sea', 2, [-2, 1], 0.5);
const v3 = logisticVersion('sea', 3, [1, 1], -1);

const opened: ServingModels[] = [];
after(async () => {
  await Promise.all(opened.map((models) => models.releaseAll()));
});

function servingModels(loader: RecordingLoader = recordingLoader()): {
  models: ServingModels;
  loader: RecordingLoader;
  loadFailures: { version: number; error: unknown }[];
} {
  const loadFailures: { version: number; error: unknown }[] = [];
  const models = new ServingModels(loader.load, (version, error) =>
    loadFailures.push({ version: version.version, error }),
  );
  opened.push(models);
  return { models, loader, loadFailures };
}

/** Scores one event with a served model: proves its session is loaded and not released. */
async function scoreWith(served: ServedModel | undefined, x1: number, x2: number): Promise<number> {
  assert.ok(served, 'a model is served');
  const { matrix } = buildFeatureMatrix([{ features: { x1, x2 } }], served.scorer.featureNames);
  // Each row holds every class's probability; the second is the positive class's.
  const [, score] = await served.scorer.score(matrix, 1);
  return score ?? NaN;
}

function near(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-6, `${actual} ≉ ${expected}`);
}

describe('ServingModels', () => {
  it('serves promoted versions only, and only ones newer than it serves', async () => {
    const { models, loader } = servingModels();
    await models.goLive();
    assert.equal(await models.apply(v1), 'served');
    assert.equal(await models.apply(v1), 'not-newer', 'the same version read again');
    assert.equal(await models.apply({ ...v2, status: 'rejected' }), 'not-promoted');
    assert.equal(await models.apply(v3), 'served');
    assert.equal(await models.apply(v2), 'not-newer', 'a late older promotion never rolls back');
    assert.deepEqual(models.servedVersions(), { sea: 3 });
    assert.deepEqual(loader.loads, ['sea v1', 'sea v3']);
    near(
      await scoreWith(models.lease().get('sea'), 0.5, 2),
      logisticScore([1, 1], -1, { x1: 0.5, x2: 2 }),
    );
  });

  it('never serves a candidate; serves it from the record that promotes it', async () => {
    const { models, loader } = servingModels();
    await models.goLive();
    assert.equal(await models.apply(v1), 'served');
    assert.equal(await models.apply({ ...v2, status: 'candidate' }), 'not-promoted');
    assert.deepEqual(models.servedVersions(), { sea: 1 });
    assert.equal(await models.apply({ ...v2, decidedBy: 'alice' }), 'served');
    assert.deepEqual(models.servedVersions(), { sea: 2 });
    assert.deepEqual(loader.loads, ['sea v1', 'sea v2']);
  });

  it('splits traffic with a candidate by its share, by event id, until it is promoted or rejected', async () => {
    const { models, loader } = servingModels();
    await models.goLive();
    assert.equal(await models.apply(v1), 'served');
    assert.equal(await models.apply({ ...v2, status: 'candidate', traffic: 0.25 }), 'split');
    assert.deepEqual(models.splitVersions(), { sea: { version: 2, traffic: 0.25 } });
    const ids = Array.from({ length: 2000 }, (_, i) => `evt-${i}`);
    const routedTo = (lease: ReturnType<ServingModels['lease']>) =>
      ids.map((id) => lease.route('sea', id)?.version);
    const lease = models.lease();
    const first = routedTo(lease);
    assert.deepEqual(
      first,
      ids.map((id) => (trafficBucket(id) < 0.25 ? 2 : 1)),
      'the candidate scores the ids whose bucket is under its share',
    );
    assert.equal(lease.get('sea')?.version, 1, 'the serving version is still v1');
    // Its share changes without a reload; a batch's lease keeps the split it started with.
    assert.equal(await models.apply({ ...v2, status: 'candidate', traffic: 0.5 }), 'split');
    assert.deepEqual(routedTo(lease), first);
    lease.release();
    assert.equal(
      routedTo(models.lease()).filter((v) => v === 2).length,
      ids.filter((id) => trafficBucket(id) < 0.5).length,
    );
    // Withdrawn (a candidate record without a share), then split again, then promoted: over.
    assert.equal(await models.apply({ ...v2, status: 'candidate', traffic: null }), 'split-ended');
    assert.deepEqual(models.splitVersions(), {});
    assert.equal(await models.apply({ ...v2, status: 'candidate', traffic: 0.1 }), 'split');
    assert.equal(await models.apply({ ...v2, decidedBy: 'alice' }), 'served');
    assert.deepEqual(models.splitVersions(), {});
    assert.deepEqual(new Set(routedTo(models.lease())), new Set([2]));
    // A rejected candidate ends its split; an older one never starts one.
    assert.equal(await models.apply({ ...v3, status: 'candidate', traffic: 0.1 }), 'split');
    assert.equal(await models.apply({ ...v3, status: 'rejected' }), 'split-ended');
    assert.equal(await models.apply({ ...v1, status: 'candidate', traffic: 0.1 }), 'not-newer');
    assert.deepEqual(models.splitVersions(), {});
    // Promoting the split's candidate reuses its loaded model.
    assert.deepEqual(loader.loads, ['sea v1', 'sea v2', 'sea v2', 'sea v3']);
  });

  it('while catching up, keeps the last record of a split and starts it on going live', async () => {
    const { models } = servingModels();
    assert.equal(await models.apply(v1), 'staged');
    assert.equal(await models.apply({ ...v2, status: 'candidate' }), 'not-promoted');
    assert.equal(await models.apply({ ...v2, status: 'candidate', traffic: 0.2 }), 'staged');
    await models.goLive();
    assert.deepEqual(models.servedVersions(), { sea: 1 });
    assert.deepEqual(models.splitVersions(), { sea: { version: 2, traffic: 0.2 } });
  });

  it('while catching up, loads only the newest promoted version of each model', async () => {
    const { models, loader } = servingModels();
    const other = logisticVersion('credit', 4, [1, 0]);
    assert.equal(await models.apply(v1), 'staged');
    assert.equal(await models.apply(v3), 'staged');
    assert.equal(await models.apply(v2), 'not-newer');
    assert.equal(await models.apply(other), 'staged');
    assert.deepEqual(loader.loads, [], 'nothing loads before going live');
    assert.equal(models.lease().get('sea'), undefined);
    await models.goLive();
    assert.deepEqual(loader.loads, ['sea v3', 'credit v4']);
    assert.deepEqual(models.servedVersions(), { sea: 3, credit: 4 });
    assert.equal(await models.apply(v2), 'not-newer');
  });

  it('hot swap: a lease keeps its versions; the old one is released when its last lease is returned', async () => {
    const { models, loader } = servingModels();
    await models.goLive();
    await models.apply(v1);
    const first = models.lease();
    const second = models.lease();
    assert.equal(await models.apply(v2), 'served');
    const third = models.lease();

    assert.equal(first.get('sea')?.version, 1, 'a lease taken before the swap keeps v1');
    assert.equal(third.get('sea')?.version, 2, 'a lease taken after it gets v2');
    near(await scoreWith(first.get('sea'), 1, 1), logisticScore([2, -1], 0, { x1: 1, x2: 1 }));
    near(await scoreWith(third.get('sea'), 1, 1), logisticScore([-2, 1], 0.5, { x1: 1, x2: 1 }));

    first.release();
    first.release();
    assert.deepEqual(loader.releases, [], 'v1 is still leased once, and release is idempotent');
    second.release();
    assert.deepEqual(loader.releases, ['sea v1']);
    third.release();
    assert.deepEqual(loader.releases, ['sea v1'], 'the serving version stays loaded');
    near(
      await scoreWith(models.lease().get('sea'), 0, 0),
      logisticScore([-2, 1], 0.5, { x1: 0, x2: 0 }),
    );
  });

  it('a version that is not leased is released as soon as it is replaced', async () => {
    const { models, loader } = servingModels();
    await models.goLive();
    await models.apply(v1);
    models.lease().release();
    await models.apply(v2);
    assert.deepEqual(loader.releases, ['sea v1']);
  });

  it('a version that fails to load is reported; the previous one keeps serving', async () => {
    const { models, loadFailures } = servingModels();
    await models.goLive();
    await models.apply(v1);
    const corrupt: ModelVersion = { ...v2, sha256: v1.sha256 };
    assert.equal(await models.apply(corrupt), 'load-failed');
    assert.deepEqual(
      loadFailures.map((failure) => failure.version),
      [2],
    );
    assert.match(String(loadFailures[0]?.error), /SHA-256|checksum/i);
    assert.deepEqual(models.servedVersions(), { sea: 1 });
    assert.equal(await models.apply(v3), 'served');
  });

  it('an older version whose load finishes after a newer one’s is released, not served', async () => {
    const { models, loader } = servingModels();
    await models.goLive();
    const openV2 = loader.gate('sea', 2);
    const slow = models.apply(v2);
    assert.equal(await models.apply(v3), 'served');
    openV2();
    assert.equal(await slow, 'not-newer');
    assert.deepEqual(models.servedVersions(), { sea: 3 });
    assert.deepEqual(loader.releases, ['sea v2']);
  });
});
