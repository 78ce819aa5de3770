import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Cbpe, IsotonicCalibrator, mulberry32 } from '@driftwatch/drift';
import type { ScoreCalibration } from '@driftwatch/topics';

import { EstimatedPerformance, type EstimateSignal } from './estimated-performance.js';

/** Scores of rows labeled positive with probability score² (so calibration matters). */
function scores(count: number, seed: number, squeeze = 1): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => 0.5 + (random() - 0.5) * squeeze);
}

function calibration(): ScoreCalibration {
  const random = mulberry32(1);
  const reference = scores(4000, 2);
  const labels = reference.map((score) => (random() < score * score ? 1 : 0));
  const cbpe = Cbpe.fit({ scores: reference, labels, threshold: 0.5, calibration: 'isotonic' });
  const knots = cbpe.calibrator;
  assert.ok(knots instanceof IsotonicCalibrator);
  return {
    threshold: 0.5,
    calibrator: {
      thresholdScores: [...knots.thresholdScores],
      thresholdValues: [...knots.thresholdValues],
    },
    platt: null,
    calibrationErrorBefore: 0.1,
    calibrationErrorAfter: 0.01,
    expectedAccuracy: cbpe.estimate(reference).accuracy,
  };
}

const options = { window: 500, maxDrop: 0.05, rearmMargin: 0.02 };

function feed(
  monitor: EstimatedPerformance,
  values: number[],
  from = 0,
): (EstimateSignal & { at: number })[] {
  return values.flatMap((score, i) => {
    const signal = monitor.observe(score, 0, from + i);
    return signal ? [{ ...signal, at: from + i }] : [];
  });
}

describe('EstimatedPerformance', () => {
  it('estimates from the first score, and alerts once when scores crowd the threshold', () => {
    const monitor = new EstimatedPerformance(calibration(), options);
    assert.equal(monitor.estimate(), undefined);
    assert.deepEqual(feed(monitor, scores(3000, 3)), [], 'the reference distribution is quiet');
    assert.ok(
      Math.abs((monitor.estimate()?.accuracy ?? 0) - calibration().expectedAccuracy) < 0.03,
    );
    // Scores within 0.1 of the threshold: the model is right hardly more often than a coin.
    const signals = feed(monitor, scores(3000, 4, 0.2), 3000);
    assert.equal(signals.length, 1, JSON.stringify(signals));
    const signal = signals[0];
    assert.ok(signal);
    assert.equal(signal.detector, 'cbpe');
    assert.equal(signal.threshold, calibration().expectedAccuracy - 0.05);
    assert.ok(signal.at > 3000 && signal.at < 3500, 'within one window of the shift');
  });

  it('estimates through a Platt sigmoid as through an isotonic map', () => {
    const platt = { slope: 6, intercept: -3 };
    const monitor = new EstimatedPerformance(
      { ...calibration(), calibrator: null, platt },
      { ...options, maxDrop: 0 },
    );
    const window = scores(500, 8);
    feed(monitor, window);
    const expected = Cbpe.fromJSON({ threshold: 0.5, calibrator: platt }).estimate(window);
    assert.ok(Math.abs((monitor.estimate()?.accuracy ?? 0) - expected.accuracy) < 1e-12);
    assert.ok(Math.abs((monitor.estimate()?.rocAuc ?? 0) - expected.rocAuc) < 1e-12);
  });

  it('never alerts with maxDrop 0, but still estimates', () => {
    const monitor = new EstimatedPerformance(calibration(), { ...options, maxDrop: 0 });
    assert.deepEqual(feed(monitor, scores(2000, 4, 0.2)), []);
    assert.ok((monitor.estimate()?.accuracy ?? 1) < calibration().expectedAccuracy - 0.05);
  });

  it('continues from its snapshot exactly as without one, and ignores scores that are not probabilities', () => {
    const whole = new EstimatedPerformance(calibration(), options);
    const first = new EstimatedPerformance(calibration(), options);
    const stream = [...scores(1500, 5), Number.NaN, 7, ...scores(1500, 6, 0.2)];
    const expected = feed(whole, stream);
    const part = feed(first, stream.slice(0, 1000));
    const revived = new EstimatedPerformance(calibration(), options, first.toJSON());
    const rest = feed(revived, stream.slice(1000), 1000);
    assert.deepEqual([...part, ...rest], expected);
    assert.ok(expected.length === 1);
    assert.ok(
      Math.abs((revived.estimate()?.accuracy ?? 0) - (whole.estimate()?.accuracy ?? 1)) < 1e-9,
    );
    assert.equal(EstimatedPerformance.fits({ ...options, window: 400 }, first.toJSON()), false);
  });
});
