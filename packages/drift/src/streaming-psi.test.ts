import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DriftError } from './errors.js';
import { PsiReference } from './psi-reference.js';
import { mulberry32 } from './random.js';
import { StreamingPsi, type PsiWindowKind } from './streaming-psi.js';
import { sampleFromSpec } from './testing/sample-spec.js';

const invalid = (code: string) => (error: unknown) =>
  error instanceof DriftError && error.code === code;

/** A stream whose mean jumps halfway and whose values repeat, from one seed. */
function numericStream(seed: number, length: number): number[] {
  const before = sampleFromSpec({ seed, length: length / 2, mean: 0, std: 1, step: 0.25 });
  const after = sampleFromSpec({ seed: seed + 1, length: length / 2, mean: 0.8, std: 1.5 });
  return [...before, ...after];
}

function categoricalStream(seed: number, length: number): string[] {
  const random = mulberry32(seed);
  const categories = ['a', 'b', 'c', 'd', 'never-in-reference', 'also-new'];
  return Array.from({ length }, (_, i) => {
    const spread = i < length / 2 ? 4 : categories.length;
    return categories[Math.floor(random() * spread)] ?? 'a';
  });
}

interface Scenario {
  name: string;
  reference: PsiReference;
  stream: (number | string)[];
}

const scenarios: Scenario[] = [1, 2, 3].flatMap((seed) => [
  {
    name: `numeric quantile, seed ${seed}`,
    reference: PsiReference.fit(sampleFromSpec({ seed: 100 + seed, length: 500, mean: 0, std: 1 })),
    stream: numericStream(seed * 10, 600),
  },
  {
    name: `numeric uniform, 25 bins, seed ${seed}`,
    reference: PsiReference.fit(
      sampleFromSpec({ seed: 200 + seed, length: 300, mean: 0, std: 1 }),
      {
        bins: 25,
        binning: 'uniform',
      },
    ),
    stream: numericStream(seed * 20, 600),
  },
  {
    name: `categorical, seed ${seed}`,
    reference: PsiReference.fitCategorical(categoricalStream(300 + seed, 200).slice(0, 100)),
    stream: categoricalStream(seed * 30, 600),
  },
]);

describe('StreamingPsi', () => {
  describe('sliding: equals batch PSI of the last `window` values after every update', () => {
    for (const scenario of scenarios) {
      for (const window of [1, 7, 50, 200]) {
        it(`${scenario.name}, window ${window}`, () => {
          const streaming = new StreamingPsi(scenario.reference, { window });
          scenario.stream.forEach((value, t) => {
            const full = streaming.update(value);
            assert.equal(full, t >= window - 1);
            assert.equal(streaming.count, Math.min(t + 1, window));
            if (!full) {
              assert.equal(streaming.value, undefined);
              return;
            }
            const windowValues = scenario.stream.slice(t - window + 1, t + 1);
            assert.equal(streaming.value, scenario.reference.psi(windowValues), `at ${t}`);
            assert.deepEqual(
              streaming.proportions,
              scenario.reference.countsOf(windowValues).map((count) => count / window),
            );
          });
        });
      }
    }
  });

  describe('tumbling: equals batch PSI of each completed window', () => {
    for (const scenario of scenarios) {
      for (const window of [1, 13, 100]) {
        it(`${scenario.name}, window ${window}`, () => {
          const streaming = new StreamingPsi(scenario.reference, { window, kind: 'tumbling' });
          let completed = 0;
          scenario.stream.forEach((value, t) => {
            const full = streaming.update(value);
            assert.equal(full, (t + 1) % window === 0);
            assert.equal(streaming.count, (t + 1) % window);
            if (!full) return;
            completed++;
            const windowValues = scenario.stream.slice(t + 1 - window, t + 1);
            assert.equal(streaming.value, scenario.reference.psi(windowValues), `at ${t}`);
          });
          assert.equal(completed, Math.floor(scenario.stream.length / window));
        });
      }
    }
  });

  it('keeps the last completed tumbling window while the next one fills', () => {
    const reference = PsiReference.fit([0, 1, 2, 3], { bins: 2, binning: 'uniform' });
    const streaming = new StreamingPsi(reference, { window: 2, kind: 'tumbling' });
    assert.equal(streaming.value, undefined);
    assert.equal(streaming.proportions, undefined);
    streaming.update(0);
    streaming.update(0);
    const first = streaming.value;
    assert.deepEqual(streaming.proportions, [1, 0]);
    streaming.update(3);
    assert.equal(streaming.value, first);
    assert.deepEqual(streaming.proportions, [1, 0]);
    assert.equal(streaming.count, 1);
  });

  it('passes epsilon to the comparison', () => {
    const reference = PsiReference.fit([0, 1, 2, 3], { bins: 2, binning: 'uniform' });
    for (const kind of ['sliding', 'tumbling'] as PsiWindowKind[]) {
      const streaming = new StreamingPsi(reference, { window: 2, kind, epsilon: 0.01 });
      streaming.update(0);
      streaming.update(1);
      assert.equal(streaming.value, reference.psi([0, 1], { epsilon: 0.01 }));
    }
  });

  it('rejects bad options and values', () => {
    const reference = PsiReference.fit([0, 1, 2, 3]);
    assert.throws(() => new StreamingPsi(reference, { window: 0 }), invalid('DW_INVALID_OPTION'));
    assert.throws(() => new StreamingPsi(reference, { window: 1.5 }), invalid('DW_INVALID_OPTION'));
    assert.throws(
      () => new StreamingPsi(reference, { window: 2, kind: 'hopping' as PsiWindowKind }),
      invalid('DW_INVALID_OPTION'),
    );
    assert.throws(
      () => new StreamingPsi(reference, { window: 2, epsilon: -1 }),
      invalid('DW_INVALID_OPTION'),
    );
    const streaming = new StreamingPsi(reference, { window: 2 });
    assert.throws(() => streaming.update(NaN), invalid('DW_INVALID_INPUT'));
    assert.throws(() => streaming.update('a'), invalid('DW_INVALID_INPUT'));
    assert.equal(streaming.count, 0);
  });
});
