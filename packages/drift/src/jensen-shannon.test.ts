import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { DriftError } from './errors.js';
import { jensenShannon } from './jensen-shannon.js';

interface JensenShannonGolden {
  p: number[];
  q: number[];
  base: number | null;
  distance: number;
}

const goldens = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/drift/scipy/jensen-shannon-goldens.json', import.meta.url),
    'utf8',
  ),
) as { cases: JensenShannonGolden[] };

const invalid = (code: string) => (error: unknown) =>
  error instanceof DriftError && error.code === code;

describe('jensenShannon', () => {
  it(`equals scipy.spatial.distance.jensenshannon on ${goldens.cases.length} vector pairs`, () => {
    for (const { p, q, base, distance } of goldens.cases) {
      const value = jensenShannon(p, q, base === null ? {} : { base });
      assert.ok(
        Math.abs(value - distance) <= 1e-12 * Math.max(1, distance),
        `p=${JSON.stringify(p)} q=${JSON.stringify(q)} base=${base}: expected ${distance}, got ${value}`,
      );
    }
  });

  it('is symmetric, 0 on equal distributions and at most sqrt(ln 2)', () => {
    const p = [0.1, 0.6, 0.3];
    const q = [0.5, 0, 0.5];
    assert.equal(jensenShannon(p, q), jensenShannon(q, p));
    assert.equal(jensenShannon(p, p), 0);
    assert.ok(Math.abs(jensenShannon([1, 0], [0, 1]) - Math.sqrt(Math.LN2)) < 1e-15);
  });

  it('normalises counts', () => {
    assert.equal(
      jensenShannon([2, 6, 2], [5, 0, 5]),
      jensenShannon([0.2, 0.6, 0.2], [0.5, 0, 0.5]),
    );
  });

  it('rejects mismatched, empty, negative, non-finite and all-zero vectors', () => {
    assert.throws(() => jensenShannon([1], [1, 1]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => jensenShannon([], []), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => jensenShannon([1, -1], [1, 1]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => jensenShannon([1, NaN], [1, 1]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => jensenShannon([0, 0], [1, 1]), invalid('DW_DRIFT_INVALID_INPUT'));
  });

  it('rejects a base that is not a positive finite number other than 1', () => {
    for (const base of [0, -2, 1, Infinity, NaN]) {
      assert.throws(() => jensenShannon([1], [1], { base }), invalid('DW_DRIFT_INVALID_OPTION'));
    }
  });
});
