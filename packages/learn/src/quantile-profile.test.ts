import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32, PsiReference } from '@driftwatch/drift';

import { LearnError } from './errors.js';
import { buildQuantileProfile } from './quantile-profile.js';

const random = mulberry32(11);
const rows = Array.from({ length: 500 }, () => [random() * 100, Math.round(random() * 3), 42]);
const scores = rows.map(() => random());

describe('buildQuantileProfile', () => {
  it('bins each column exactly as PsiReference.fit does, so the detector can rebuild it', () => {
    const profile = buildQuantileProfile({
      featureNames: ['amount', 'count', 'version'],
      rows,
      scores,
      bins: 5,
    });
    assert.deepEqual(
      profile.features.map((feature) => feature.name),
      ['amount', 'count', 'version'],
    );
    profile.features.forEach((feature, j) => {
      const expected = PsiReference.fit(
        rows.map((row) => row[j]!),
        { bins: 5, binning: 'quantile' },
      ).toJSON();
      assert.deepEqual(
        { kind: 'numeric', edges: feature.edges, proportions: feature.proportions },
        expected,
      );
      assert.equal(feature.edges.length, feature.proportions.length + 1);
      const total = feature.proportions.reduce((sum, p) => sum + p, 0);
      assert.ok(Math.abs(total - 1) < 1e-12);
    });
    assert.equal(profile.features[0]!.proportions.length, 5);
    // Ties merge quantile edges: four distinct counts give fewer than five bins.
    assert.ok(profile.features[1]!.proportions.length < 5);
    assert.equal(profile.score?.name, 'score');
    assert.deepEqual(
      { kind: 'numeric', edges: profile.score.edges, proportions: profile.score.proportions },
      PsiReference.fit(scores, { bins: 5 }).toJSON(),
    );
    // A PsiReference rebuilt from the profile is usable as is.
    const rebuilt = PsiReference.fromJSON({ kind: 'numeric', ...profile.features[0]! });
    assert.equal(rebuilt.psi(rows.map((row) => row[0]!)), 0);
  });

  it('defaults to 10 bins and no score profile', () => {
    const profile = buildQuantileProfile({ featureNames: ['a', 'b', 'c'], rows });
    assert.equal(profile.features[0]!.proportions.length, 10);
    assert.equal(profile.score, null);
    assert.equal(
      buildQuantileProfile({ featureNames: ['a', 'b', 'c'], rows, scores: null }).score,
      null,
    );
  });

  it('bins a constant column around its value', () => {
    const profile = buildQuantileProfile({ featureNames: ['a', 'b', 'c'], rows, bins: 2 });
    assert.deepEqual(profile.features[2], {
      name: 'c',
      edges: [41.5, 42, 42.5],
      proportions: [0, 1],
    });
  });

  it('rejects invalid input', () => {
    const cases: [() => unknown, string][] = [
      [() => buildQuantileProfile({ featureNames: ['a'], rows: [] }), 'DW_LEARN_INVALID_INPUT'],
      [
        () => buildQuantileProfile({ featureNames: ['a'], rows: [[1, 2]] }),
        'DW_LEARN_INVALID_INPUT',
      ],
      [
        () => buildQuantileProfile({ featureNames: ['a'], rows: [[Number.NaN]] }),
        'DW_LEARN_INVALID_INPUT',
      ],
      [
        () => buildQuantileProfile({ featureNames: ['a'], rows: [[1]], scores: [] }),
        'DW_LEARN_INVALID_INPUT',
      ],
      [
        () => buildQuantileProfile({ featureNames: ['a'], rows: [[1]], scores: [Infinity] }),
        'DW_LEARN_INVALID_INPUT',
      ],
      [
        () => buildQuantileProfile({ featureNames: ['a'], rows: [[1]], bins: 0 }),
        'DW_LEARN_INVALID_OPTION',
      ],
    ];
    for (const [run, code] of cases) {
      assert.throws(run, (error: unknown) => error instanceof LearnError && error.code === code);
    }
  });
});
