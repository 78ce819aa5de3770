import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Cbpe, IsotonicCalibrator, MulticlassCbpe, mulberry32 } from '@driftwatch/drift';
import type { ClassCalibration, ScoreCalibration } from '@driftwatch/topics';

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
    const signal = monitor.observe(score, undefined, 0, from + i);
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

  it('estimates a multiclass version from its probability rows, exactly as MulticlassCbpe does on the window, and alerts when the rows grow uncertain', () => {
    // Three classes; a row's top probability is how sure the model is, and the label is drawn
    // from a sharper distribution than the model's (so calibration matters).
    const random = mulberry32(6);
    const row = (sureness: number): { probabilities: number[]; label: number } => {
      const top = Math.floor(random() * 3);
      const probabilities = [0, 1, 2].map((k) => (k === top ? sureness : (1 - sureness) / 2));
      const u = random();
      const p = Math.min(1, sureness * 1.1);
      const label = u < p ? top : (top + 1 + Math.floor(random() * 2)) % 3;
      return { probabilities, label };
    };
    const reference = Array.from({ length: 3000 }, () => row(0.5 + 0.4 * random()));
    const fitted = MulticlassCbpe.fit({
      probabilities: reference.flatMap((r) => r.probabilities),
      labels: reference.map((r) => r.label),
      classCount: 3,
      calibration: 'isotonic',
    });
    const calibration: ClassCalibration = {
      calibrators: fitted.toJSON().calibrators.map(
        (knots) =>
          knots && {
            thresholdScores: knots.thresholdScores.map(Number),
            thresholdValues: knots.thresholdValues.map(Number),
          },
      ),
      expectedAccuracy: fitted.estimate(reference.flatMap((r) => r.probabilities)).accuracy,
    };
    const monitor = new EstimatedPerformance(calibration, options);
    const live = [
      ...Array.from({ length: 1000 }, () => row(0.5 + 0.4 * random())),
      ...Array.from({ length: 1000 }, () => row(0.4 + 0.1 * random())),
    ];
    const signals = live.flatMap((r, i) => {
      const signal = monitor.observe(0, r.probabilities, 0, i);
      if (i === 999) {
        const window = live.slice(500, 1000).flatMap((w) => w.probabilities);
        const expected = fitted.estimate(window);
        const estimate = monitor.estimate();
        assert.ok(estimate);
        for (const metric of ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const) {
          assert.ok(Math.abs(estimate[metric] - expected[metric]) < 1e-9, metric);
        }
        assert.ok(Math.abs(estimate.accuracy - calibration.expectedAccuracy) < 0.03);
      }
      return signal ? [{ ...signal, at: i }] : [];
    });
    assert.equal(signals.length, 1, JSON.stringify(signals));
    const [signal] = signals;
    assert.ok(signal && signal.at > 1000, `after the rows grow uncertain: ${signal?.at}`);
    assert.equal(signal.detector, 'cbpe');
    // A row of another width is ignored, not fatal.
    assert.equal(monitor.observe(0, [0.5, 0.5], 0, 3000), null);
  });
});
