import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { calibrationBinEdges, expectedCalibrationError } from './expected-calibration-error.js';
import { needsCalibration } from './needs-calibration.js';
import { assertDriftError } from './testing/assert-drift-error.js';
import { fixtureJson } from './testing/fixture-json.js';

interface EceGolden {
  name: string;
  probabilities: number[];
  labels: (0 | 1)[];
  binEdges: [number, number][];
  error: number;
}

const goldens = fixtureJson('nannyml/cbpe-goldens.json') as {
  expectedCalibrationError: EceGolden[];
};

describe('expectedCalibrationError', () => {
  describe("equals NannyML's _calculate_expected_calibration_error (1e-12)", () => {
    for (const golden of goldens.expectedCalibrationError) {
      it(`${golden.name} (${golden.binEdges.length} bins)`, () => {
        const rows = golden.probabilities.length;
        const edges = calibrationBinEdges(rows, 10);
        assert.deepEqual(
          edges.slice(0, -1).map((start, i) => [start, edges[i + 1]]),
          golden.binEdges,
        );
        const error = expectedCalibrationError(golden.probabilities, golden.labels);
        assert.ok(Math.abs(error - golden.error) <= 1e-12, `${error} vs ${golden.error}`);
      });
    }
  });

  it('rejects too few rows, mismatched lengths and bad labels', () => {
    assertDriftError('DW_DRIFT_INVALID_INPUT', () =>
      expectedCalibrationError([0.1, 0.2, 0.3], [0, 1, 0]),
    );
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => expectedCalibrationError([0.1], [0, 1]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () =>
      expectedCalibrationError([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 2 as 1]),
    );
    assertDriftError('DW_DRIFT_INVALID_OPTION', () =>
      expectedCalibrationError([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1], { bins: 0 }),
    );
  });
});

describe('needsCalibration', () => {
  it('says no for a single class and for scores that separate the classes', () => {
    assert.equal(needsCalibration([0.1, 0.7, 0.4], [1, 1, 1]), false);
    assert.equal(needsCalibration([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), false);
  });
});
