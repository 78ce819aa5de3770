import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { windowEnds } from './window-ends.js';

describe('windowEnds', () => {
  it('never gives more than maxPoints, always ends at the last item, starts at a fifth of a window', () => {
    for (const count of [1, 2, 3, 99, 100, 101, 499, 500, 501, 1234, 50_000]) {
      for (const window of [1, 5, 100, 500]) {
        for (const maxPoints of [2, 3, 10, 400]) {
          const ends = windowEnds(count, window, maxPoints);
          const label = `count ${count}, window ${window}, maxPoints ${maxPoints}`;
          assert.ok(ends.length <= maxPoints, label);
          assert.equal(ends[ends.length - 1], count - 1, label);
          assert.equal(ends[0], Math.min(Math.ceil(window / 5), count) - 1, label);
          for (let i = 1; i < ends.length; i++) assert.ok(ends[i]! > ends[i - 1]!, label);
        }
      }
    }
  });

  it('evaluates every window when they fit', () => {
    assert.deepEqual(windowEnds(6, 5, 10), [0, 1, 2, 3, 4, 5]);
  });

  it('gives nothing for nothing', () => {
    assert.deepEqual(windowEnds(0, 5, 10), []);
  });
});
