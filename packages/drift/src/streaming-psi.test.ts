import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DriftError } from './errors.js';
import { PsiReference } from './psi-reference.js';
import { mulberry32 } from './random.js';
import { StreamingPsi, type PsiWindowKind, type StreamingPsiState } from './streaming-psi.js';
import { sampleFromSpec } from './testing/sample-spec.js';
import {
  assertRejectsStates,
  assertResumesExactly,
  splitPoints,
} from './testing/resume-exactly.js';

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
    assert.throws(
      () => new StreamingPsi(reference, { window: 0 }),
      invalid('DW_DRIFT_INVALID_OPTION'),
    );
    assert.throws(
      () => new StreamingPsi(reference, { window: 1.5 }),
      invalid('DW_DRIFT_INVALID_OPTION'),
    );
    assert.throws(
      () => new StreamingPsi(reference, { window: 2, kind: 'hopping' as PsiWindowKind }),
      invalid('DW_DRIFT_INVALID_OPTION'),
    );
    assert.throws(
      () => new StreamingPsi(reference, { window: 2, epsilon: -1 }),
      invalid('DW_DRIFT_INVALID_OPTION'),
    );
    const streaming = new StreamingPsi(reference, { window: 2 });
    assert.throws(() => streaming.update(NaN), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => streaming.update('a'), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.equal(streaming.count, 0);
  });
});

describe('StreamingPsi snapshots', () => {
  const observe = (streaming: StreamingPsi) => [
    streaming.count,
    streaming.value,
    streaming.proportions?.join(),
  ];
  // One seed of each reference kind: the other seeds exercise nothing new here.
  for (const scenario of scenarios.filter(({ name }) => name.endsWith('seed 1'))) {
    for (const kind of ['sliding', 'tumbling'] as const) {
      for (const window of [1, 50]) {
        it(`resumes exactly on ${scenario.name}, ${kind} window of ${window}`, () => {
          const epsilon = window === 50 ? 0.001 : undefined;
          assertResumesExactly({
            create: () =>
              new StreamingPsi(scenario.reference, {
                window,
                kind,
                ...(epsilon === undefined ? {} : { epsilon }),
              }),
            revive: (state) => StreamingPsi.fromJSON(state),
            update: (streaming, value: number | string) => streaming.update(value),
            observe,
            stream: scenario.stream,
            splits: splitPoints(scenario.stream.length, [window, 2 * window, 300], 3),
          });
        });
      }
    }
  }

  it('keeps window, kind and the reference at the top level', () => {
    const reference = PsiReference.fit([1, 2, 3, 4, 5, 6, 7, 8], { bins: 2 });
    const tumbling = new StreamingPsi(reference, { window: 2, kind: 'tumbling', epsilon: 0.01 });
    for (const value of [1, 2, 8]) tumbling.update(value);
    assert.deepEqual(tumbling.toJSON(), {
      kind: 'tumbling',
      window: 2,
      epsilon: 0.01,
      reference: reference.toJSON(),
      counts: [0, 1],
      completedCounts: [2, 0],
    });
    const sliding = new StreamingPsi(reference, { window: 3 });
    sliding.update(8);
    assert.deepEqual(sliding.toJSON(), {
      kind: 'sliding',
      window: 3,
      epsilon: null,
      reference: reference.toJSON(),
      bins: [1],
    });
  });

  it('refuses malformed states with DW_DRIFT_INVALID_STATE', () => {
    const reference = PsiReference.fit([1, 2, 3, 4, 5, 6, 7, 8], { bins: 2 });
    const sliding = new StreamingPsi(reference, { window: 3 });
    const tumbling = new StreamingPsi(reference, { window: 3, kind: 'tumbling' });
    for (const value of [1, 8, 8, 2]) {
      sliding.update(value);
      tumbling.update(value);
    }
    const slidingState = sliding.toJSON();
    const tumblingState = tumbling.toJSON();
    assert.equal(slidingState.kind, 'sliding');
    assertRejectsStates(
      'StreamingPsi',
      (state) => StreamingPsi.fromJSON(state as StreamingPsiState),
      {
        'not an object': 'psi',
        'kind unknown': { ...slidingState, kind: 'hopping' },
        'window 0': { ...slidingState, window: 0 },
        'epsilon out of range': { ...slidingState, epsilon: 2 },
        'reference missing': { ...slidingState, reference: undefined },
        'reference with unsorted edges': {
          ...slidingState,
          reference: { kind: 'numeric', edges: [3, 2, 1], proportions: [0.5, 0.5] },
        },
        'a bin outside the reference': { ...slidingState, bins: [0, 2, 1] },
        'more bins than window': { ...slidingState, bins: [0, 0, 0, 0] },
        'tumbling counts of the wrong length': { ...tumblingState, counts: [1] },
        'tumbling counts filling a window': { ...tumblingState, counts: [2, 1] },
        'completed counts not summing to window': { ...tumblingState, completedCounts: [1, 1] },
        'tumbling without counts': { ...tumblingState, counts: undefined },
      },
    );
  });
});
