import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { TimestampRing } from './timestamp-ring.js';

describe('TimestampRing', () => {
  it('keeps the last `capacity` timestamps, oldest first', () => {
    const ring = new TimestampRing(3);
    assert.equal(ring.oldest(), 0, 'empty');
    for (const ts of [10, 20, 30, 40, 50]) ring.push(ts);
    assert.equal(ring.size, 3);
    assert.equal(ring.oldest(), 30);
    assert.equal(ring.ago(0), 50);
    assert.equal(ring.ago(1), 40);
    assert.equal(ring.ago(99), 30, 'clamped to the oldest');
    assert.deepEqual(ring.toJSON(), { capacity: 3, values: [30, 40, 50] });
  });

  it('round-trips through JSON and keeps rotating', () => {
    const ring = new TimestampRing(4);
    for (let ts = 1; ts <= 6; ts++) ring.push(ts);
    const restored = TimestampRing.fromJSON(ring.toJSON());
    ring.push(7);
    restored.push(7);
    assert.deepEqual(restored.toJSON(), ring.toJSON());
    assert.deepEqual(ring.toJSON().values, [4, 5, 6, 7]);
  });
});
