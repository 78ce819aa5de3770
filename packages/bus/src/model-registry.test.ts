import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { emptyReferenceProfile, type ModelVersion } from '@driftwatch/topics';

import { ModelRegistry } from './model-registry.js';

function version(
  model: string,
  number: number,
  status: ModelVersion['status'],
  requestId: string | null = null,
  reason = `${status} v${number}`,
): ModelVersion {
  return {
    model,
    version: number,
    parentVersion: number > 1 ? number - 1 : null,
    createdAt: 1_000 * number,
    status,
    reason,
    decidedBy: null,
    traffic: null,
    shadowTrial: null,
    trainedWith: {},
    requestId,
    sha256: '0'.repeat(64),
    onnx: new Uint8Array([number]),
    featureNames: ['x'],
    classes: ['0', '1'],
    threshold: 0.5,
    outputKind: 'probability',
    reference: emptyReferenceProfile(),
    metrics: { challenger: {}, champion: null },
    trainingWindow: { fromTs: 0, toTs: 0, trainRows: 0, holdoutRows: 0 },
  };
}

describe('ModelRegistry', () => {
  it('keeps versions that arrive out of order, oldest first, per model', () => {
    const registry = new ModelRegistry();
    assert.equal(registry.apply(version('sea', 3, 'promoted')), true);
    assert.equal(registry.apply(version('credit', 1, 'promoted')), true);
    assert.equal(registry.apply(version('sea', 1, 'promoted')), true);
    assert.equal(registry.apply(version('sea', 2, 'rejected')), true);
    assert.deepEqual(
      registry.versions('sea').map((v) => v.version),
      [1, 2, 3],
    );
    assert.deepEqual(
      registry.versions('credit').map((v) => v.version),
      [1],
    );
    assert.deepEqual(registry.versions('unknown'), []);
    assert.deepEqual(registry.models(), ['credit', 'sea']);
    assert.equal(registry.get('sea', 2)?.status, 'rejected');
    assert.equal(registry.get('sea', 4), undefined);
    assert.equal(registry.get('credit', 3), undefined, 'one model’s versions are not another’s');
  });

  it('serves the highest promoted version, whatever order versions arrived in', () => {
    const registry = new ModelRegistry();
    registry.apply(version('sea', 4, 'promoted'));
    registry.apply(version('sea', 2, 'promoted'));
    assert.equal(registry.latestPromoted('sea')?.version, 4, 'a late older version does not win');
    registry.apply(version('sea', 5, 'promoted'));
    assert.equal(registry.latestPromoted('sea')?.version, 5);
    assert.equal(registry.latestPromoted('credit'), undefined);
  });

  it('a rejected version never serves, even as the highest one', () => {
    const registry = new ModelRegistry();
    registry.apply(version('sea', 1, 'rejected'));
    assert.equal(registry.latestPromoted('sea'), undefined, 'no promoted version: nothing serves');
    registry.apply(version('sea', 2, 'promoted'));
    registry.apply(version('sea', 3, 'rejected'));
    registry.apply(version('sea', 4, 'rejected'));
    assert.equal(registry.latestPromoted('sea')?.version, 2);
    assert.equal(registry.highestVersionNumber('sea'), 4, 'rejected versions still use numbers');
    assert.equal(registry.highestVersionNumber('credit'), 0);
  });

  it('a candidate serves only once a person promotes it; its decision is news, a re-read is not', () => {
    const registry = new ModelRegistry();
    registry.apply(version('sea', 1, 'promoted'));
    assert.equal(registry.apply(version('sea', 2, 'candidate', 'req-2')), true);
    assert.equal(registry.latestPromoted('sea')?.version, 1, 'a candidate waits');
    assert.equal(registry.hasAnswered('req-2'), true, 'a candidate answers its request');
    assert.equal(registry.apply(version('sea', 2, 'candidate', 'req-2')), false, 'read again');
    const split = { ...version('sea', 2, 'candidate', 'req-2'), traffic: 0.1 };
    assert.equal(registry.apply(split), true, 'an A/B share is news');
    assert.equal(registry.apply(split), false);
    assert.equal(registry.apply({ ...version('sea', 2, 'promoted'), decidedBy: 'alice' }), true);
    assert.equal(registry.latestPromoted('sea')?.version, 2);
    assert.equal(registry.get('sea', 2)?.decidedBy, 'alice');
    assert.equal(registry.apply(version('sea', 3, 'candidate')), true);
    assert.equal(registry.apply(version('sea', 3, 'rejected')), true);
    assert.equal(registry.latestPromoted('sea')?.version, 2, 'a rejected candidate never serves');
  });

  it('answers a retrain request once any version, promoted or rejected, was trained for it', () => {
    const registry = new ModelRegistry();
    registry.apply(version('sea', 1, 'promoted', null));
    registry.apply(version('sea', 2, 'rejected', 'req-a'));
    registry.apply(version('credit', 7, 'promoted', 'req-b'));
    assert.equal(registry.hasAnswered('req-a'), true);
    assert.equal(registry.hasAnswered('req-b'), true);
    assert.equal(registry.hasAnswered('req-c'), false);
    assert.equal(registry.hasAnswered('null'), false, 'the bootstrap version answers no request');
  });

  it('a version published again is not new, and its latest record is the one kept', () => {
    const registry = new ModelRegistry();
    assert.equal(registry.apply(version('sea', 1, 'promoted')), true);
    assert.equal(registry.apply(version('sea', 2, 'promoted', 'req-a', 'first')), true);
    assert.equal(registry.apply(version('sea', 2, 'promoted', 'req-a', 'again')), false);
    assert.equal(registry.versions('sea').length, 2);
    assert.equal(registry.get('sea', 2)?.reason, 'again');
    // A compacted topic keeps the last record per key: a re-published rejection stands, and
    // its status change is news to followers.
    assert.equal(registry.apply(version('sea', 2, 'rejected', 'req-a')), true);
    assert.equal(registry.latestPromoted('sea')?.version, 1);
    assert.equal(registry.hasAnswered('req-a'), true);
  });
});
