import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from './random.js';
import { RollingRocAuc, type RollingRocAucState } from './rolling-roc-auc.js';
import {
  assertRejectsStates,
  assertResumesExactly,
  splitPoints,
} from './testing/resume-exactly.js';
import { assertDriftError } from './testing/assert-drift-error.js';

type Pair = readonly [isPositive: boolean, score: number];

/** Every (positive, negative) pair compared directly: O(P·N), the definition itself. */
function pairwiseRocAuc(pairs: readonly Pair[]): number {
  const positives = pairs.filter(([positive]) => positive).map(([, score]) => score);
  const negatives = pairs.filter(([positive]) => !positive).map(([, score]) => score);
  if (positives.length === 0 || negatives.length === 0) return NaN;
  let twiceWins = 0;
  for (const p of positives) for (const n of negatives) twiceWins += p > n ? 2 : p === n ? 1 : 0;
  return twiceWins / (2 * positives.length * negatives.length);
}

describe('RollingRocAuc', () => {
  it('equals the pairwise definition after every update on tie-heavy random streams', () => {
    const random = mulberry32(99);
    for (let trial = 0; trial < 60; trial++) {
      const window = 1 + Math.floor(random() * 80);
      const distinctScores = 1 + Math.floor(random() * 6);
      const positiveRate = random();
      const auc = new RollingRocAuc({ window });
      const stream: Pair[] = [];
      for (let index = 0; index < 400; index++) {
        const pair: Pair = [random() < positiveRate, Math.floor(random() * distinctScores) / 2];
        stream.push(pair);
        auc.update(...pair);
        const inWindow = stream.slice(Math.max(0, stream.length - window));
        assert.equal(auc.value, pairwiseRocAuc(inWindow), `trial ${trial}, index ${index}`);
        assert.equal(auc.count, inWindow.length);
        assert.equal(auc.positives, inWindow.filter(([positive]) => positive).length);
      }
    }
  });

  it('equals the pairwise definition on continuous scores in a larger window', () => {
    const random = mulberry32(5);
    const window = 700;
    const auc = new RollingRocAuc({ window });
    const stream: Pair[] = [];
    for (let index = 0; index < 3000; index++) {
      const positive = random() < 0.3;
      const pair: Pair = [positive, random() + (positive ? 0.4 : 0)];
      stream.push(pair);
      auc.update(...pair);
      if (index % 97 === 0) assert.equal(auc.value, pairwiseRocAuc(stream.slice(-window)));
    }
  });

  it('treats 0 and -0 as one tied score', () => {
    const auc = new RollingRocAuc({ window: 2 });
    auc.update(true, -0);
    auc.update(false, 0);
    assert.equal(auc.value, 0.5);
  });

  it('is NaN until both classes are in the window, and again when one leaves', () => {
    const auc = new RollingRocAuc({ window: 2 });
    assert.ok(Number.isNaN(auc.value));
    auc.update(true, 0.4);
    assert.ok(Number.isNaN(auc.value));
    auc.update(false, 0.3);
    assert.equal(auc.value, 1);
    auc.update(false, 0.5);
    assert.ok(Number.isNaN(auc.value));
    assert.equal(auc.negatives, 2);
  });

  it('rejects invalid options and inputs', () => {
    for (const window of [0, -3, 2.5, NaN]) {
      assertDriftError('DW_DRIFT_INVALID_OPTION', () => new RollingRocAuc({ window }));
    }
    const auc = new RollingRocAuc({ window: 3 });
    for (const score of [NaN, Infinity, -Infinity]) {
      assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
        auc.update(true, score);
      });
    }
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
      auc.update('yes' as unknown as boolean, 0.5);
    });
    assert.equal(auc.count, 0);
  });
});

describe('RollingRocAuc snapshots', () => {
  for (const window of [1, 7, 50]) {
    it(`resumes exactly with window ${window}, tied scores, split anywhere`, () => {
      const random = mulberry32(window);
      const stream = Array.from({ length: 400 }, (_, i): [boolean, number] => {
        const positive = random() < (i < 200 ? 0.3 : 0.6);
        return [positive, Math.round((positive ? 0.2 : 0) + random() * 8) / 8];
      });
      assertResumesExactly({
        create: () => new RollingRocAuc({ window }),
        revive: (state) => RollingRocAuc.fromJSON(state),
        update: (auc, [positive, score]: [boolean, number]) => {
          auc.update(positive, score);
        },
        observe: (auc) => [auc.count, auc.positives, auc.negatives, auc.value],
        stream,
        splits: splitPoints(stream.length, [window, 2 * window]),
      });
    });
  }

  it('refuses malformed states with DW_DRIFT_INVALID_STATE', () => {
    const auc = new RollingRocAuc({ window: 3 });
    auc.update(true, 0.5);
    auc.update(false, 0.25);
    const state = auc.toJSON();
    assert.deepEqual(state, { window: 3, isPositive: [1, 0], scores: [0.5, 0.25] });
    assertRejectsStates(
      'RollingRocAuc',
      (state) => RollingRocAuc.fromJSON(state as RollingRocAucState),
      {
        'not an object': 3,
        'window missing': { ...state, window: undefined },
        'a label of 2': { ...state, isPositive: [2, 0] },
        'lengths differ': { ...state, scores: [0.5] },
        'more than window': { ...state, isPositive: [1, 1, 1, 1], scores: [0, 0, 0, 0] },
        'an infinite score': { ...state, scores: ['Infinity', 0] },
      },
    );
  });
});
