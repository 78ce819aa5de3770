import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Cbpe, expectedCalibrationError, mulberry32 } from '@driftwatch/drift';

import { fitScoreCalibration } from './fit-score-calibration.js';

/** Scores whose label is positive with probability `truth(score)`. */
function holdout(rows: number, seed: number, truth: (score: number) => number) {
  const random = mulberry32(seed);
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < rows; i++) {
    const score = random();
    scores.push(score);
    labels.push(random() < truth(score) ? 1 : 0);
  }
  return { scores, labels };
}

describe('fitScoreCalibration', () => {
  it('calibrates overconfident scores, and the error after is lower than before', () => {
    const { scores, labels } = holdout(4000, 3, (score) => score * score);
    const calibration = fitScoreCalibration({ scores, labels, threshold: 0.5 });
    assert.ok(calibration?.calibrator, 'an isotonic map was kept');
    assert.ok(calibration.calibrationErrorAfter < calibration.calibrationErrorBefore);
    // The raw scores claim E[max(p, 1 − p)] = 0.75; the truth, p², makes the threshold right
    // with probability E[p² | p ≥ .5]/2 + E[1 − p² | p < .5]/2 = 7/24 + 11/24 = 0.75 too, but the
    // estimate must come from calibrated probabilities, so compare it with a fresh CBPE's.
    const cbpe = Cbpe.fromJSON({ threshold: 0.5, calibrator: calibration.calibrator });
    assert.equal(calibration.expectedAccuracy, cbpe.estimate(scores).accuracy);
    const realized = scores.filter((s, i) => (s >= 0.5 ? 1 : 0) === labels[i]).length / 4000;
    assert.ok(Math.abs(calibration.expectedAccuracy - realized) < 0.01);
  });

  it('trusts scores that separate the classes, as NannyML does, with the holdout ECE as is', () => {
    const { scores } = holdout(400, 5, () => 0);
    const labels = scores.map((score) => (score >= 0.4 ? 1 : 0));
    const calibration = fitScoreCalibration({ scores, labels, threshold: 0.4 });
    assert.equal(calibration?.calibrator, null);
    assert.equal(calibration.threshold, 0.4);
    assert.equal(
      calibration.calibrationErrorBefore,
      expectedCalibrationError(scores, labels, { bins: 10 }),
    );
    assert.ok(calibration.calibrationErrorBefore > 0.1, 'the raw scores are far from 0/1');
    assert.equal(calibration.calibrationErrorAfter, calibration.calibrationErrorBefore);
  });

  it('fits Platt scaling when asked, to scores that are not even probabilities', () => {
    // Logits of a model that is right with probability σ(z / 2): twice too confident.
    const random = mulberry32(9);
    const scores: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const z = 8 * (random() - 0.5);
      scores.push(z);
      labels.push(random() < 1 / (1 + Math.exp(-z / 2)) ? 1 : 0);
    }
    assert.equal(fitScoreCalibration({ scores, labels, threshold: 0.5 }), null, 'isotonic: no');
    const calibration = fitScoreCalibration({ scores, labels, threshold: 0, method: 'platt' });
    assert.ok(calibration?.platt);
    assert.equal(calibration.calibrator, null);
    assert.ok(Math.abs(calibration.platt.slope - 0.5) < 0.05, JSON.stringify(calibration.platt));
    assert.equal(
      calibration.calibrationErrorBefore,
      1,
      'logits have no calibration error of their own',
    );
    assert.ok(calibration.calibrationErrorAfter < 0.05);
    const realized = scores.filter((z, i) => (z >= 0 ? 1 : 0) === labels[i]).length / scores.length;
    assert.ok(Math.abs(calibration.expectedAccuracy - realized) < 0.02);
  });

  it('gives nothing for fewer than 20 rows, labels other than 0/1, or scores outside [0, 1]', () => {
    const scores = Array.from({ length: 20 }, (_, i) => i / 20);
    const labels = scores.map((score) => (score > 0.5 ? 1 : 0));
    assert.ok(fitScoreCalibration({ scores, labels, threshold: 0.5 }));
    const fewer = { scores: scores.slice(1), labels: labels.slice(1), threshold: 0.5 };
    assert.equal(fitScoreCalibration(fewer), null);
    assert.equal(
      fitScoreCalibration({ scores, labels: [2, ...labels.slice(1)], threshold: 0.5 }),
      null,
    );
    assert.equal(
      fitScoreCalibration({ scores: [1.5, ...scores.slice(1)], labels, threshold: 0.5 }),
      null,
    );
  });
});
