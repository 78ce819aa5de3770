import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DriftError } from './errors.js';
import { psiEvidently } from './psi-evidently.js';
import { PsiReference } from './psi-reference.js';
import { sampleFromSpec } from './testing/sample-spec.js';

const invalid = (code: string) => (error: unknown) =>
  error instanceof DriftError && error.code === code;

const normal = (seed: number, length: number, mean = 0, std = 1): number[] =>
  sampleFromSpec({ seed, length, mean, std });

function assertStrictlyIncreasing(values: readonly number[]): void {
  values.forEach((value, i) => {
    if (i > 0) assert.ok(value > (values[i - 1] ?? NaN), `edges ${JSON.stringify(values)}`);
  });
}

describe('PsiReference.fit', () => {
  it('puts an equal share of the reference in each quantile bin', () => {
    const reference = PsiReference.fit(normal(1, 1000), { bins: 10 });
    assert.equal(reference.kind, 'numeric');
    assert.equal(reference.edges?.length, 11);
    assert.deepEqual(reference.proportions, new Array(10).fill(0.1));
  });

  it('takes equal-width bins over the reference range with uniform binning', () => {
    const reference = PsiReference.fit([0, 1, 2, 3, 10], { bins: 5, binning: 'uniform' });
    assert.deepEqual(reference.edges, [0, 2, 4, 6, 8, 10]);
    assert.deepEqual(reference.proportions, [0.4, 0.4, 0, 0, 0.2]);
  });

  it('merges quantile edges that ties repeat, leaving no bin empty', () => {
    const sample = [...new Array<number>(600).fill(0), ...normal(2, 400, 5)];
    const reference = PsiReference.fit(sample, { bins: 10 });
    const edges = reference.edges ?? [];
    assertStrictlyIncreasing(edges);
    assert.ok(edges.length < 11);
    assert.ok(reference.proportions.every((share) => share > 0));
    assert.ok((reference.proportions[0] ?? 0) >= 0.6);
  });

  it('bins a constant reference uniformly over [v − 0.5, v + 0.5]', () => {
    const reference = PsiReference.fit([3, 3, 3], { bins: 4 });
    assert.deepEqual(reference.edges, [2.5, 2.75, 3, 3.25, 3.5]);
    assert.deepEqual(reference.proportions, [0, 0, 1, 0]);
    assert.equal(reference.psi([3, 3]), 0);
    assert.ok(reference.psi([3.3, 3.4]) > 1);
  });

  it('has open-ended first and last bins and left-closed bins inside', () => {
    const reference = PsiReference.fit([0, 1, 2, 3, 4], { bins: 4, binning: 'uniform' });
    assert.deepEqual(reference.edges, [0, 1, 2, 3, 4]);
    assert.equal(reference.binOf(-1e300), 0);
    assert.equal(reference.binOf(0.999), 0);
    assert.equal(reference.binOf(1), 1);
    assert.equal(reference.binOf(3), 3);
    assert.equal(reference.binOf(4), 3);
    assert.equal(reference.binOf(1e300), 3);
  });

  it('scores its own reference 0 and a shifted sample higher as the shift grows', () => {
    const sample = normal(3, 2000);
    const reference = PsiReference.fit(sample);
    assert.equal(reference.psi(sample), 0);
    const small = reference.psi(normal(4, 2000, 0.2));
    const large = reference.psi(normal(4, 2000, 1));
    assert.ok(small > 0 && large > small);
  });

  it('rejects empty or non-finite samples and bad options', () => {
    assert.throws(() => PsiReference.fit([]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => PsiReference.fit([1, NaN]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => PsiReference.fit([1, -Infinity]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => PsiReference.fit([1, 2], { bins: 0 }), invalid('DW_DRIFT_INVALID_OPTION'));
    assert.throws(
      () => PsiReference.fit([1, 2], { bins: 2.5 }),
      invalid('DW_DRIFT_INVALID_OPTION'),
    );
    assert.throws(
      () => PsiReference.fit([1, 2], { binning: 'kmeans' as 'uniform' }),
      invalid('DW_DRIFT_INVALID_OPTION'),
    );
  });
});

describe('PsiReference.fitCategorical', () => {
  const reference = PsiReference.fitCategorical(['b', 'a', 'b', 'c', 'b', 'a']);

  it('has one bin per category, sorted, and an unseen bin after them', () => {
    assert.equal(reference.kind, 'categorical');
    assert.deepEqual(reference.categories, ['a', 'b', 'c']);
    assert.deepEqual(reference.proportions, [2 / 6, 3 / 6, 1 / 6]);
    assert.equal(reference.binCount, 4);
    assert.equal(reference.binOf('c'), 2);
    assert.equal(reference.binOf('zebra'), 3);
  });

  it('compares one unseen category exactly as Evidently does', () => {
    const referenceValues = ['b', 'a', 'b', 'c', 'b', 'a'];
    const current = ['a', 'a', 'new', 'b', 'new'];
    const ours = PsiReference.fitCategorical(referenceValues).psi(current);
    assert.ok(Math.abs(ours - psiEvidently(referenceValues, current)) < 1e-12);
  });

  it('leaves the unseen bin out while it is empty', () => {
    const current = ['a', 'b', 'b', 'c'];
    assert.ok(
      Math.abs(reference.psi(current) - psiEvidently(['b', 'a', 'b', 'c', 'b', 'a'], current)) <
        1e-12,
    );
  });

  it('rejects empty samples and non-strings', () => {
    assert.throws(() => PsiReference.fitCategorical([]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(
      () => PsiReference.fitCategorical(['a', 1 as unknown as string]),
      invalid('DW_DRIFT_INVALID_INPUT'),
    );
    assert.throws(() => reference.binOf(1), invalid('DW_DRIFT_INVALID_INPUT'));
  });
});

describe('PsiReference.fromValueCounts', () => {
  const sample = ['b', 'a', 'b', 'c', 'b', 'a'];

  it('equals fitting the sample the counts came from, from a Map or an object', () => {
    const fitted = PsiReference.fitCategorical(sample).toJSON();
    assert.deepEqual(
      PsiReference.fromValueCounts(
        new Map([
          ['c', 1],
          ['b', 3],
          ['a', 2],
        ]),
      ).toJSON(),
      fitted,
    );
    assert.deepEqual(PsiReference.fromValueCounts({ b: 3, c: 1, a: 2 }).toJSON(), fitted);
  });

  it('leaves out categories counted 0', () => {
    const reference = PsiReference.fromValueCounts({ a: 2, b: 3, c: 1, d: 0 });
    assert.deepEqual(reference.categories, ['a', 'b', 'c']);
    const current = ['a', 'd', 'b'];
    assert.ok(Math.abs(reference.psi(current) - psiEvidently(sample, current)) < 1e-12);
  });

  it('rejects negative, fractional, non-finite and all-zero counts', () => {
    const bad = [{}, { a: 0 }, { a: -1 }, { a: 1.5 }, { a: NaN }, { a: Infinity }];
    for (const counts of bad) {
      assert.throws(() => PsiReference.fromValueCounts(counts), invalid('DW_DRIFT_INVALID_INPUT'));
    }
    assert.throws(
      () => PsiReference.fromValueCounts(new Map([[1 as unknown as string, 1]])),
      invalid('DW_DRIFT_INVALID_INPUT'),
    );
  });
});

describe('PsiReference JSON', () => {
  const references = [
    PsiReference.fit(normal(5, 500), { bins: 7 }),
    PsiReference.fit(normal(6, 500, 10, 0.001), { bins: 20, binning: 'uniform' }),
    PsiReference.fitCategorical(['x', 'y', 'y', 'z', 'é', '']),
  ];

  it('round-trips through JSON text without losing a bit', () => {
    for (const reference of references) {
      const copy = PsiReference.fromJSON(JSON.parse(JSON.stringify(reference)));
      assert.deepEqual(copy.toJSON(), reference.toJSON());
      const current = reference.kind === 'numeric' ? normal(7, 300, 0.3) : ['x', 'x', 'é', 'w'];
      assert.equal(copy.psi(current), reference.psi(current));
    }
  });

  it('hands out copies, not its own state', () => {
    const reference = references[0]!;
    const json = reference.toJSON();
    json.proportions[0] = 42;
    assert.notEqual(reference.proportions[0], 42);
  });

  it('rejects malformed references', () => {
    const bad: unknown[] = [
      null,
      'numeric',
      { kind: 'ordinal', proportions: [1] },
      { kind: 'numeric', edges: [0, 1], proportions: [0.5] },
      { kind: 'numeric', edges: [0, 1, 2], proportions: [0.5, 0.6] },
      { kind: 'numeric', edges: [0, 1], proportions: [-1, 2] },
      { kind: 'numeric', edges: [1, 0], proportions: [1] },
      { kind: 'numeric', edges: [0, 0, 1], proportions: [0.5, 0.5] },
      { kind: 'numeric', edges: [0, Infinity], proportions: [1] },
      { kind: 'numeric', edges: [0, '1'], proportions: [1] },
      { kind: 'numeric', proportions: [1] },
      { kind: 'categorical', categories: ['a', 'a'], proportions: [0.5, 0.5] },
      { kind: 'categorical', categories: ['a'], proportions: [0.5, 0.5] },
      { kind: 'categorical', categories: [1, 2], proportions: [0.5, 0.5] },
      { kind: 'categorical', categories: ['a'], proportions: ['1'] },
    ];
    for (const json of bad) {
      assert.throws(
        () => PsiReference.fromJSON(json),
        invalid('DW_DRIFT_INVALID_INPUT'),
        JSON.stringify(json),
      );
    }
  });
});

describe('PsiReference.psiOfCounts', () => {
  const reference = PsiReference.fit([1, 2, 3, 4], { bins: 2, binning: 'uniform' });

  it('equals psi on the sample the counts came from', () => {
    const sample = [1, 1, 1, 4];
    assert.equal(reference.psiOfCounts(reference.countsOf(sample)), reference.psi(sample));
  });

  it('rejects counts of the wrong length, negative, fractional or all zero', () => {
    assert.throws(() => reference.psiOfCounts([1]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => reference.psiOfCounts([1, -1]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => reference.psiOfCounts([1, 0.5]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => reference.psiOfCounts([0, 0]), invalid('DW_DRIFT_INVALID_INPUT'));
  });

  it('rejects values a numeric reference cannot bin', () => {
    assert.throws(() => reference.binOf(NaN), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => reference.binOf('1'), invalid('DW_DRIFT_INVALID_INPUT'));
  });
});
