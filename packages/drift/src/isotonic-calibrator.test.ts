import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { IsotonicCalibrator, type IsotonicCalibratorState } from './isotonic-calibrator.js';
import { assertDriftError } from './testing/assert-drift-error.js';
import { fixtureJson } from './testing/fixture-json.js';

interface IsotonicGolden {
  name: string;
  scores: number[];
  labels: number[];
  thresholdScores: number[];
  thresholdValues: number[];
  query: number[];
  predictions: number[];
}

const goldens = fixtureJson('nannyml/cbpe-goldens.json') as { isotonic: IsotonicGolden[] };

const close = (actual: number, expected: number, where: string): void => {
  assert.ok(Math.abs(actual - expected) <= 1e-12, `${where}: expected ${expected}, got ${actual}`);
};

describe('IsotonicCalibrator', () => {
  describe("equals scikit-learn's IsotonicRegression(out_of_bounds='clip') (1e-12)", () => {
    for (const golden of goldens.isotonic) {
      it(golden.name, () => {
        const calibrator = IsotonicCalibrator.fit(golden.scores, golden.labels);
        assert.deepEqual(calibrator.thresholdScores, golden.thresholdScores);
        assert.equal(calibrator.thresholdValues.length, golden.thresholdValues.length);
        golden.thresholdValues.forEach((value, i) => {
          close(calibrator.thresholdValues[i] as number, value, `thresholdValues[${i}]`);
        });
        golden.query.forEach((score, i) => {
          close(calibrator.calibrate(score), golden.predictions[i] as number, `at ${score}`);
        });
      });
    }
  });

  it('round-trips through JSON and rejects bad input and states', () => {
    const calibrator = IsotonicCalibrator.fit([0.1, 0.5, 0.9], [0, 1, 1]);
    const revived = IsotonicCalibrator.fromJSON(
      JSON.parse(JSON.stringify(calibrator)) as IsotonicCalibratorState,
    );
    assert.deepEqual(revived.toJSON(), calibrator.toJSON());
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => IsotonicCalibrator.fit([], []));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => IsotonicCalibrator.fit([0.1], [0, 1]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => IsotonicCalibrator.fit([NaN], [0]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => calibrator.calibrate(Infinity));
    assertDriftError('DW_DRIFT_INVALID_STATE', () =>
      IsotonicCalibrator.fromJSON({ thresholdScores: [0.1, 0.2], thresholdValues: [1, 0] }),
    );
    assertDriftError('DW_DRIFT_INVALID_STATE', () =>
      IsotonicCalibrator.fromJSON({ thresholdScores: [], thresholdValues: [] }),
    );
  });
});
