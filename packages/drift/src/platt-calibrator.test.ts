import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { DriftError } from './errors.js';
import { PlattCalibrator } from './platt-calibrator.js';

interface PlattGolden {
  name: string;
  scores: number[];
  labels: (0 | 1)[];
  slope: number;
  intercept: number;
  probe: number[];
  probabilities: number[];
}

const goldens = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/drift/sklearn/platt-goldens.json', import.meta.url),
    'utf8',
  ),
) as { cases: PlattGolden[] };

describe('PlattCalibrator', () => {
  describe("equals scikit-learn's sigmoid calibration", () => {
    for (const golden of goldens.cases) {
      it(`${golden.name}: probabilities to 1e-6, parameters to scikit-learn's tolerance`, () => {
        const platt = PlattCalibrator.fit(golden.scores, golden.labels);
        golden.probe.forEach((score, i) => {
          const expected = golden.probabilities[i] ?? NaN;
          const actual = platt.calibrate(score);
          assert.ok(
            Math.abs(actual - expected) < 1e-6,
            `${golden.name} at ${score}: ${actual} vs ${expected}`,
          );
        });
        assert.ok(
          Math.abs(platt.slope - golden.slope) < 1e-4 * Math.max(1, Math.abs(golden.slope)),
        );
        assert.ok(
          Math.abs(platt.intercept - golden.intercept) <
            1e-4 * Math.max(1, Math.abs(golden.intercept)),
        );
      });
    }
  });

  it('is increasing, between 0 and 1, and revives from its snapshot bit for bit', () => {
    const golden = goldens.cases[0];
    assert.ok(golden);
    const platt = PlattCalibrator.fit(golden.scores, golden.labels);
    const values = [-5, 0, 0.25, 0.5, 0.75, 1, 5].map((score) => platt.calibrate(score));
    values.forEach((value, i) => {
      assert.ok(value > 0 && value < 1);
      if (i > 0) assert.ok(value > (values[i - 1] ?? 1));
    });
    const revived = PlattCalibrator.fromJSON(
      JSON.parse(JSON.stringify(platt.toJSON())) as ReturnType<PlattCalibrator['toJSON']>,
    );
    assert.equal(revived.slope, platt.slope);
    assert.equal(revived.calibrate(0.3), platt.calibrate(0.3));
  });

  it('refuses what it cannot fit or read, with the package codes', () => {
    assert.throws(() => PlattCalibrator.fit([], []), DriftError);
    assert.throws(() => PlattCalibrator.fit([0.1, Number.NaN], [0, 1]), DriftError);
    assert.throws(
      () => PlattCalibrator.fromJSON({ slope: 'NaN', intercept: 0 }),
      (error: unknown) => error instanceof DriftError && error.code === 'DW_DRIFT_INVALID_STATE',
    );
  });
});
