import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DriftError } from '../errors.js';
import { mulberry32 } from '../random.js';
import { syntheticStream, type SyntheticStreamOptions } from './synthetic-streams.js';

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

const base = { length: 40_000, changeEvery: 10_000, transitionWidth: 2_000 };

describe('syntheticStream', () => {
  it('is pure: the same seed gives the same stream', () => {
    const make = (): number[] =>
      syntheticStream({ family: 'gradual', kind: 'real', random: mulberry32(3) }).values;
    assert.deepEqual(make(), make());
  });

  it('places change points every changeEvery elements, none for stationary', () => {
    for (const family of ['abrupt', 'gradual', 'incremental'] as const) {
      const stream = syntheticStream({ family, kind: 'real', random: mulberry32(1), ...base });
      assert.deepEqual(stream.changePoints, [10_000, 20_000, 30_000]);
      assert.equal(stream.values.length, 40_000);
      assert.equal(stream.transitionWidth, family === 'abrupt' ? 0 : 2_000);
    }
    const control = syntheticStream({ family: 'stationary', kind: 'real', random: mulberry32(1) });
    assert.deepEqual(control.changePoints, []);
  });

  it('alternates the mean of real streams between 0 and meanShift', () => {
    const { values } = syntheticStream({
      family: 'abrupt',
      kind: 'real',
      random: mulberry32(2),
      meanShift: 3,
      ...base,
    });
    const means = [0, 1, 2, 3].map((k) => mean(values.slice(k * 10_000, (k + 1) * 10_000)));
    [0, 3, 0, 3].forEach((expected, k) => {
      assert.ok(Math.abs((means[k] ?? NaN) - expected) < 0.05, `concept ${k}: ${means[k]}`);
    });
  });

  it('raises the error rate of binary streams at each change, halfway through a transition', () => {
    for (const family of ['gradual', 'incremental'] as const) {
      const { values } = syntheticStream({
        family,
        kind: 'binary',
        random: mulberry32(4),
        ...base,
        length: 20_000,
      });
      assert.ok(values.every((value) => value === 0 || value === 1));
      const before = mean(values.slice(0, 10_000));
      const during = mean(values.slice(10_000, 12_000));
      const after = mean(values.slice(12_000));
      assert.ok(Math.abs(before - 0.1) < 0.01, `${family} before: ${before}`);
      assert.ok(Math.abs(during - 0.15) < 0.02, `${family} during: ${during}`);
      assert.ok(Math.abs(after - 0.2) < 0.015, `${family} after: ${after}`);
    }
  });

  it('validates options', () => {
    const random = mulberry32(1);
    const invalid: SyntheticStreamOptions[] = [
      { family: 'sudden' as 'abrupt', kind: 'real', random },
      { family: 'abrupt', kind: 'ternary' as 'real', random },
      { family: 'abrupt', kind: 'real', random, length: 0 },
      { family: 'gradual', kind: 'real', random, changeEvery: 100, transitionWidth: 101 },
      { family: 'abrupt', kind: 'binary', random, baseErrorRate: 0.5, errorRateStep: 0.2 },
      { family: 'abrupt', kind: 'binary', random, baseErrorRate: 0 },
    ];
    for (const options of invalid) {
      assert.throws(
        () => syntheticStream(options),
        (error) => error instanceof DriftError && error.code === 'DW_DRIFT_INVALID_OPTION',
      );
    }
  });
});
