import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DatasetError } from './errors.js';
import { eventId } from './event-id.js';

describe('eventId', () => {
  it('pads the index to six digits after the stream name', () => {
    assert.equal(eventId('sea', 0), 'sea-000000');
    assert.equal(eventId('sea', 999_999), 'sea-999999');
    assert.equal(eventId('sea-classic', 42), 'sea-classic-000042');
  });

  it('keeps every digit of longer indices', () => {
    assert.equal(eventId('elec2', 1_000_000), 'elec2-1000000');
  });

  it('sorts in row order up to a million rows, and never repeats', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => eventId('sea', i * 499));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('rejects names and indices that would make ambiguous ids', () => {
    for (const [name, index] of [
      ['', 1],
      ['-sea', 1],
      ['sea stream', 1],
      ['sea', -1],
      ['sea', 1.5],
      ['sea', NaN],
    ] as const) {
      assert.throws(
        () => eventId(name, index),
        (error: unknown) =>
          error instanceof DatasetError && error.code === 'DW_DATASET_INVALID_OPTION',
        `${name} ${index}`,
      );
    }
  });
});
