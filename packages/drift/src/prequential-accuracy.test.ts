import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { PrequentialAccuracy, type PrequentialAccuracyState } from './prequential-accuracy.js';
import { mulberry32 } from './random.js';
import {
  assertRejectsStates,
  assertResumesExactly,
  splitPoints,
} from './testing/resume-exactly.js';
import { assertDriftError } from './testing/assert-drift-error.js';

/** Gama et al. (2013), the faded prequential accuracy written out: Σ αⁿ⁻ᵏ·cₖ / Σ αⁿ⁻ᵏ. */
function closedForm(outcomes: readonly boolean[], fadingFactor: number): number {
  let weightedCorrect = 0;
  let weight = 0;
  const n = outcomes.length;
  outcomes.forEach((correct, k) => {
    const w = fadingFactor ** (n - 1 - k);
    weight += w;
    if (correct) weightedCorrect += w;
  });
  return weightedCorrect / weight;
}

describe('PrequentialAccuracy', () => {
  for (const fadingFactor of [0.5, 0.9, 0.99, 0.999, 1]) {
    it(`equals the closed form after every update (α = ${fadingFactor})`, () => {
      const random = mulberry32(17);
      const accuracy = new PrequentialAccuracy({ fadingFactor });
      const outcomes: boolean[] = [];
      for (let index = 0; index < 1500; index++) {
        // Accuracy falls from 0.9 to 0.6 half-way, so the fading shows.
        const correct = random() < (index < 750 ? 0.9 : 0.6);
        outcomes.push(correct);
        accuracy.update(correct);
        const expected = closedForm(outcomes, fadingFactor);
        assert.ok(
          Math.abs(accuracy.value - expected) <= 1e-12,
          `at ${index}: expected ${expected}, got ${accuracy.value}`,
        );
      }
      assert.equal(accuracy.count, 1500);
    });
  }

  it('follows a drop in accuracy faster with a smaller fading factor', () => {
    const fast = new PrequentialAccuracy({ fadingFactor: 0.9 });
    const slow = new PrequentialAccuracy({ fadingFactor: 0.999 });
    for (let index = 0; index < 2000; index++) {
      const correct = index < 1000 || index % 2 === 0;
      fast.update(correct);
      slow.update(correct);
    }
    assert.ok(Math.abs(fast.value - 0.5) < 0.05);
    assert.ok(slow.value > 0.6);
  });

  it('is NaN before the first outcome and exactly 1 on a perfect stream', () => {
    const accuracy = new PrequentialAccuracy();
    assert.equal(accuracy.fadingFactor, 0.999);
    assert.ok(Number.isNaN(accuracy.value));
    for (let index = 0; index < 100; index++) accuracy.update(true);
    assert.equal(accuracy.value, 1);
  });

  it('rejects invalid options and inputs', () => {
    for (const fadingFactor of [0, -0.5, 1.0001, NaN, Infinity]) {
      assertDriftError('DW_DRIFT_INVALID_OPTION', () => new PrequentialAccuracy({ fadingFactor }));
    }
    const accuracy = new PrequentialAccuracy();
    for (const correct of [2, 'yes', undefined, NaN]) {
      assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
        accuracy.update(correct as unknown as boolean);
      });
    }
    assert.equal(accuracy.count, 0);
  });
});

describe('PrequentialAccuracy snapshots', () => {
  const random = mulberry32(21);
  const outcomes = Array.from({ length: 2000 }, (_, i) => random() < (i < 1000 ? 0.85 : 0.55));

  for (const fadingFactor of [0.5, 0.999, 1]) {
    it(`resumes exactly with fading factor ${fadingFactor}, split anywhere`, () => {
      assertResumesExactly({
        create: () => new PrequentialAccuracy({ fadingFactor }),
        revive: (state) => PrequentialAccuracy.fromJSON(state),
        update: (accuracy, correct: boolean) => {
          accuracy.update(correct);
        },
        observe: (accuracy) => [accuracy.value, accuracy.count],
        stream: outcomes,
        splits: splitPoints(outcomes.length, [1000]),
      });
    });
  }

  it('refuses malformed states with DW_DRIFT_INVALID_STATE', () => {
    const accuracy = new PrequentialAccuracy();
    accuracy.update(true);
    accuracy.update(false);
    const state = accuracy.toJSON();
    assertRejectsStates(
      'PrequentialAccuracy',
      (state) => PrequentialAccuracy.fromJSON(state as PrequentialAccuracyState),
      {
        'not an object': null,
        'fadingFactor 0': { ...state, fadingFactor: 0 },
        'fadingFactor missing': { ...state, fadingFactor: undefined },
        'count negative': { ...state, count: -1 },
        'counted nothing, yet weighted': { ...state, count: 0 },
        'more correct than counted': { ...state, fadedCorrect: 5 },
        'fadedCount NaN': { ...state, fadedCount: 'NaN' },
        'fadedCorrect null': { ...state, fadedCorrect: null },
      },
    );
  });
});
