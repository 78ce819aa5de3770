import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Standardizer, type StandardizerState } from './standardizer.js';
import { assertDriftError } from './testing/assert-drift-error.js';
import { digits } from './testing/fixture-json.js';

describe('Standardizer', () => {
  it('uses the population standard deviation and scales constant columns by 1', () => {
    const standardizer = Standardizer.fit([
      [1, 0.1, 5],
      [2, 0.1, 5],
      [3, 0.1, 5],
      [4, 0.1, 5],
    ]);
    assert.deepEqual(standardizer.mean, [2.5, 0.1, 5]);
    // 0.1 averaged four times is not exactly 0.1's double; the column is still constant.
    assert.deepEqual(standardizer.scale, [Math.sqrt(1.25), 1, 1]);
    assert.deepEqual(Array.from(standardizer.transform([2.5, 0.1, 7])), [0, 0, 2]);
  });

  it('gives the standardized columns mean 0 and standard deviation 1', () => {
    const { rows } = digits();
    const standardizer = Standardizer.fit(rows);
    const standardized = standardizer.transformRows(rows);
    for (let j = 0; j < standardizer.width; j++) {
      const column = standardized.map((row) => row[j] as number);
      const mean = column.reduce((sum, value) => sum + value, 0) / column.length;
      const variance = column.reduce((sum, value) => sum + (value - mean) ** 2, 0) / column.length;
      assert.ok(Math.abs(mean) < 1e-12);
      // Pixel 0 is blank in every digit: constant, so it stays 0.
      assert.ok(
        Math.abs(variance - (standardizer.scale[j] === 1 && variance === 0 ? 0 : 1)) < 1e-12,
      );
    }
  });

  it('survives JSON and rejects bad rows and snapshots', () => {
    const standardizer = Standardizer.fit([
      [1, -0.5],
      [3, 0.25],
    ]);
    assert.deepEqual(
      Standardizer.fromJSON(JSON.parse(JSON.stringify(standardizer)) as StandardizerState),
      standardizer,
    );
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => Standardizer.fit([]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => Standardizer.fit([[]]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => Standardizer.fit([[1, 2], [1]]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => Standardizer.fit([[1, Infinity]]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => standardizer.transform([1]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => standardizer.transform([1, NaN]));
    for (const state of [
      {},
      { mean: [], scale: [] },
      { mean: [1], scale: [1, 1] },
      { mean: [1], scale: [0] },
      { mean: ['NaN'], scale: [1] },
    ]) {
      assertDriftError('DW_DRIFT_INVALID_STATE', () => Standardizer.fromJSON(state as never));
    }
  });
});
