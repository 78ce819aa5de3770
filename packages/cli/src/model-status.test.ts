import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ModelRegistry } from '@driftwatch/bus';
import type { ModelPerformance } from '@driftwatch/detector';

import { modelStatus } from './model-status.js';
import { fakeModelVersion } from './testing/fake-model-version.js';
import { fakeMultivariateReference } from './testing/fake-multivariate-reference.js';

/** A promoted version, with reference clusters (so inference looks for its edge cases) or not. */
function promoted(model: string, version: number, clustered: boolean) {
  const base = fakeModelVersion({
    model,
    version,
    parentVersion: version === 1 ? null : version - 1,
    status: 'promoted',
  });
  return {
    ...base,
    reference: { ...base.reference, multivariate: clustered ? fakeMultivariateReference() : null },
  };
}

function performance(model: string, observed: ModelPerformance['observed']): ModelPerformance {
  return { model, realized: null, estimated: null, observed };
}

describe('modelStatus', () => {
  const registry = new ModelRegistry();
  for (const version of [
    promoted('sea', 1, true),
    promoted('sea', 2, true),
    promoted('orientation', 1, false),
    promoted('elec2', 1, true),
    promoted('churn', 1, true),
  ]) {
    registry.apply(version);
  }
  const changelog = [
    performance('sea', { version: 2, predictions: 11_840 }),
    performance('orientation', { version: 1, predictions: 20_000 }),
    performance('churn', { version: 1, predictions: 900 }),
  ];
  const found = new Map([
    [
      'sea',
      new Map([
        [1, 7],
        [2, 51],
      ]),
    ],
  ]);

  it('counts the edge cases of the version the detector last saw served, out of all it saw', () => {
    const status = modelStatus(registry, changelog, found);
    assert.deepEqual(
      status.map(({ model, edgeCases }) => ({ model, edgeCases })),
      [
        // Found none: the version is judged, so that is a count, not an absence.
        { model: 'churn', edgeCases: { version: 1, found: 0, judged: 900 } },
        // Not seen by the detector yet: nothing to count against.
        { model: 'elec2', edgeCases: null },
        // No reference clusters: inference looks for none, so not "0 of 20,000".
        { model: 'orientation', edgeCases: null },
        // v1's 7 are not v2's.
        { model: 'sea', edgeCases: { version: 2, found: 51, judged: 11_840 } },
      ],
    );
  });

  it('shows no count without an edge-cases topic to count on', () => {
    const status = modelStatus(registry, changelog, null);
    assert.deepEqual(
      status.map(({ edgeCases }) => edgeCases),
      [null, null, null, null],
    );
  });

  it('keeps the serving version, the version count and the accuracy as before', () => {
    const realized = { version: 2, accuracy: 0.862, labeled: 512 };
    const estimated = { version: 2, accuracy: 0.871, predictions: 1_000 };
    const [sea] = modelStatus(
      registry,
      [{ model: 'sea', realized, estimated, observed: null }],
      found,
    ).filter((m) => m.model === 'sea');
    assert.deepEqual(sea, {
      model: 'sea',
      servingVersion: 2,
      versions: 2,
      realized,
      estimated,
      edgeCases: null,
    });
  });
});
