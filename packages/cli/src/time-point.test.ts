import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseTimePoint } from './time-point.js';

const now = 1_717_250_000_000;

describe('parseTimePoint', () => {
  it('reads epoch ms, now, durations ago and ISO dates', () => {
    assert.equal(parseTimePoint('0', now), 0);
    assert.equal(parseTimePoint('1717000000000', now), 1_717_000_000_000);
    assert.equal(parseTimePoint('now', now), now);
    assert.equal(parseTimePoint('15m', now), now - 900_000);
    assert.equal(parseTimePoint('1h30m', now), now - 5_400_000);
    assert.equal(parseTimePoint('2024-06-01T00:00:00Z', now), Date.UTC(2024, 5, 1));
    assert.equal(
      parseTimePoint('2024-06-01T12:30:00.250+02:00', now),
      Date.UTC(2024, 5, 1, 10, 30, 0, 250),
    );
    // Without a zone, local time, as Date reads it.
    assert.equal(parseTimePoint('2024-06-01T12:00', now), new Date(2024, 5, 1, 12, 0).getTime());
  });

  it('rejects other text, naming it and the forms it takes', () => {
    for (const spec of [
      '',
      'yesterday',
      '-5m',
      '2024-13-45',
      '2024-06-01T25:00Z',
      '1.5',
      '99999999999999999999',
    ]) {
      assert.throws(
        () => parseTimePoint(spec, now),
        (error: { code?: string; input?: string; message: string }) =>
          error.code === 'DW_CLI_BAD_TIME' &&
          error.input === spec &&
          error.message.includes(JSON.stringify(spec)) &&
          error.message.includes('ISO date'),
        spec,
      );
    }
  });

  it('rejects a duration reaching back before 1970', () => {
    assert.throws(() => parseTimePoint('1d', 1000), { code: 'DW_CLI_BAD_TIME' });
  });
});
