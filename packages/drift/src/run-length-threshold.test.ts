import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from './random.js';
import { windowThresholdForRunLength } from './run-length-threshold.js';

/** Windows between alarms of a re-arming rule run over `values` in order. */
function measuredRunLength(
  values: ArrayLike<number>,
  threshold: number,
  direction: 'above' | 'below',
  rearmAt: number,
): number {
  let armed = true;
  let alarms = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? NaN;
    const crossed = direction === 'above' ? value > threshold : value < threshold;
    if (armed && crossed) {
      armed = false;
      alarms++;
    } else if (!armed && (direction === 'above' ? value <= rearmAt : value >= rearmAt)) {
      armed = true;
    }
  }
  return values.length / alarms;
}

describe('windowThresholdForRunLength', () => {
  it('gives the run length a re-arming rule then shows on fresh draws (above, slow re-arm)', () => {
    const draw = (random: () => number, n: number) =>
      Float64Array.from({ length: n }, () => -Math.log(1 - random()));
    const rearmAt = (t: number) => t / 2;
    const { threshold, expectedRunLength } = windowThresholdForRunLength(
      draw(mulberry32(1), 20_000),
      {
        windowsPerAlarm: 50,
        direction: 'above',
        rearmAt,
      },
    );
    assert.ok(Math.abs(Math.log(expectedRunLength / 50)) < 0.05, `${expectedRunLength}`);
    // Exponential(1): p = e^−t, r = 1 − e^−t/2, so 1/p + 1/r = 50 at t ≈ 3.87.
    assert.ok(Math.abs(threshold - 3.87) < 0.15, `${threshold}`);
    const measured = measuredRunLength(
      draw(mulberry32(2), 200_000),
      threshold,
      'above',
      rearmAt(threshold),
    );
    assert.ok(Math.abs(Math.log(measured / 50)) < Math.log(1.15), `measured ${measured}`);
  });

  it('cuts a statistic with ties between its atoms (below: a block accuracy)', () => {
    const random = mulberry32(5);
    const block = () => {
      let correct = 0;
      for (let i = 0; i < 100; i++) if (random() < 0.8) correct++;
      return correct / 100;
    };
    const values = Float64Array.from({ length: 20_000 }, block);
    const { threshold, expectedRunLength } = windowThresholdForRunLength(values, {
      windowsPerAlarm: 40,
      direction: 'below',
      rearmAt: (t) => t + 0.02,
    });
    // Between two atoms k/100: no simulated accuracy sits on the threshold.
    assert.ok(Math.abs(threshold * 100 - Math.round(threshold * 100)) > 0.4, `${threshold}`);
    const fresh = Float64Array.from({ length: 100_000 }, block);
    const measured = measuredRunLength(fresh, threshold, 'below', threshold + 0.02);
    assert.ok(Math.abs(Math.log(measured / expectedRunLength)) < Math.log(1.2), `${measured}`);
    assert.ok(Math.abs(Math.log(expectedRunLength / 40)) < Math.log(1.5), `${expectedRunLength}`);
  });

  it('rejects a target of one window or less, and a statistic that never varies', () => {
    const options = { direction: 'above', rearmAt: (t: number) => t } as const;
    assert.throws(
      () => windowThresholdForRunLength([1, 2, 3], { ...options, windowsPerAlarm: 1 }),
      {
        code: 'DW_DRIFT_INVALID_OPTION',
      },
    );
    assert.throws(
      () => windowThresholdForRunLength([2, 2, 2], { ...options, windowsPerAlarm: 5 }),
      {
        code: 'DW_DRIFT_INVALID_INPUT',
      },
    );
  });
});
