import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from './random.js';
import { ScoreRankTree } from './score-rank-tree.js';

/** The same multiset as a plain sorted array. */
class SortedArrayModel {
  readonly scores: number[] = [];

  insert(score: number): void {
    const at = this.scores.findIndex((existing) => existing > score);
    this.scores.splice(at < 0 ? this.scores.length : at, 0, score);
  }

  remove(score: number): void {
    this.scores.splice(this.scores.indexOf(score), 1);
  }

  countBelow(score: number): number {
    return this.scores.filter((existing) => existing < score).length;
  }

  countAtOrBelow(score: number): number {
    return this.scores.filter((existing) => existing <= score).length;
  }
}

describe('ScoreRankTree', () => {
  it('answers rank queries like a sorted array under random inserts and removals', () => {
    const random = mulberry32(314);
    for (let trial = 0; trial < 20; trial++) {
      const capacity = 1 + Math.floor(random() * 200);
      const distinctScores = 1 + Math.floor(random() * 30);
      const tree = new ScoreRankTree(capacity);
      const model = new SortedArrayModel();
      const randomScore = (): number => Math.floor(random() * distinctScores) - 5;
      for (let step = 0; step < 2000; step++) {
        const full = model.scores.length === capacity;
        const empty = model.scores.length === 0;
        if (!full && (empty || random() < 0.55)) {
          const score = randomScore();
          tree.insert(score);
          model.insert(score);
        } else {
          const score = model.scores[Math.floor(random() * model.scores.length)]!;
          tree.remove(score);
          model.remove(score);
        }
        assert.equal(tree.size, model.scores.length);
        for (const probe of [randomScore(), randomScore() + 0.5]) {
          assert.equal(tree.countBelow(probe), model.countBelow(probe), `below ${probe}`);
          assert.equal(tree.countAtOrBelow(probe), model.countAtOrBelow(probe), `<= ${probe}`);
        }
      }
    }
  });

  it('refuses to remove a score it does not hold, and stays intact', () => {
    const tree = new ScoreRankTree(8);
    for (const score of [3, 1, 4, 1, 5]) tree.insert(score);
    assert.throws(() => {
      tree.remove(2);
    }, RangeError);
    assert.equal(tree.size, 5);
    assert.equal(tree.countAtOrBelow(4), 4);
    assert.equal(tree.countBelow(1), 0);
    tree.remove(1);
    assert.equal(tree.countAtOrBelow(1), 1);
  });

  it('refuses an insert beyond its capacity', () => {
    const tree = new ScoreRankTree(2);
    tree.insert(0);
    tree.insert(0);
    assert.throws(() => {
      tree.insert(0);
    }, RangeError);
    assert.equal(tree.size, 2);
  });
});
