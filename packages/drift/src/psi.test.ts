import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { DriftError } from './errors.js';
import { psi } from './psi.js';

interface ProportionGolden {
  name: string;
  expected: number[];
  actual: number[];
  psi: number;
}

const goldens = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/drift/evidently/psi-goldens.json', import.meta.url),
    'utf8',
  ),
) as { proportions: ProportionGolden[] };

const invalid = (code: string) => (error: unknown) =>
  error instanceof DriftError && error.code === code;

describe('psi', () => {
  describe("equals Evidently's psi stat test on the same proportions", () => {
    for (const golden of goldens.proportions) {
      it(golden.name, () => {
        const value = psi(golden.expected, golden.actual);
        assert.ok(
          Math.abs(value - golden.psi) <= 1e-12 * Math.max(1, Math.abs(golden.psi)),
          `expected ${golden.psi}, got ${value}`,
        );
      });
    }
  });

  it('is 0 on identical distributions and positive otherwise', () => {
    assert.equal(psi([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), 0);
    assert.ok(psi([0.2, 0.3, 0.5], [0.3, 0.3, 0.4]) > 0);
  });

  it('is symmetric in expected and actual', () => {
    const expected = [0.1, 0.2, 0.3, 0.4];
    const actual = [0.4, 0.3, 0, 0.3];
    assert.equal(psi(expected, actual), psi(actual, expected));
  });

  it('floors empty bins at epsilon when given', () => {
    const value = psi([0.5, 0.5, 0], [0.5, 0.25, 0.25], { epsilon: 0.001 });
    const byHand = (0.25 - 0.5) * Math.log(0.25 / 0.5) + (0.25 - 0.001) * Math.log(0.25 / 0.001);
    assert.ok(Math.abs(value - byHand) < 1e-15);
  });

  it("floors at the smallest share / 10^6 once that is at most 1e-4 (Evidently's rule)", () => {
    const expected = [0.9999, 0.0001, 0];
    const actual = [0.9999, 0.0001, 0];
    // Both sides floor their empty bin at 1e-10: the bin contributes nothing.
    assert.equal(psi(expected, actual), 0);
    // A side whose smallest share exceeds 1e-4 floors at 1e-4: the shared empty bin now counts.
    const value = psi(expected, [0.9998, 0.0002, 0]);
    const floorTerm = (1e-10 - 1e-4) * Math.log(1e-10 / 1e-4);
    assert.ok(value > floorTerm);
  });

  it('accepts typed arrays', () => {
    assert.equal(
      psi(new Float64Array([0.5, 0.5]), new Float32Array([0.5, 0.5])),
      psi([0.5, 0.5], [0.5, 0.5]),
    );
  });

  it('rejects mismatched, empty, negative, non-finite and unnormalised proportions', () => {
    assert.throws(() => psi([0.5, 0.5], [1]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => psi([], []), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => psi([1.5, -0.5], [0.5, 0.5]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => psi([NaN, 1], [0.5, 0.5]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => psi([0.5, 0.5], [Infinity, 0]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => psi([0.5, 0.6], [0.5, 0.5]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => psi([0, 0], [0.5, 0.5]), invalid('DW_DRIFT_INVALID_INPUT'));
  });

  it('rejects an epsilon outside (0, 1)', () => {
    assert.throws(() => psi([1], [1], { epsilon: 0 }), invalid('DW_DRIFT_INVALID_OPTION'));
    assert.throws(() => psi([1], [1], { epsilon: 1 }), invalid('DW_DRIFT_INVALID_OPTION'));
    assert.throws(() => psi([1], [1], { epsilon: NaN }), invalid('DW_DRIFT_INVALID_OPTION'));
  });
});
