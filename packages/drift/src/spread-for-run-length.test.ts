import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mean, probit, standardDeviation } from 'simple-statistics';

import { DriftError } from './errors.js';
import { mulberry32 } from './random.js';
import { spreadForRunLength } from './spread-for-run-length.js';

describe('spreadForRunLength', () => {
  it('gives the run length the mean ± kσ rule shows on skewed rows, over references of a few chunks', () => {
    const chunks = 8;
    const chunkSize = 100;
    const window = 200;
    const { threshold, expectedRunLength } = spreadForRunLength({
      referenceChunks: chunks,
      chunkSize,
      window,
      windowsPerAlarm: 20,
      windows: 20_000,
      random: mulberry32(1),
    });
    assert.ok(Math.abs(Math.log(expectedRunLength / 20)) < 0.05, `${expectedRunLength}`);
    // Rows as skewed as squared distances (exponential), not the normal the calibration assumes:
    // each reference's chunk means and each window's mean, then the rule, re-arming in bounds.
    const random = mulberry32(2);
    const rowsMean = (n: number) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += -Math.log(1 - random());
      return sum / n;
    };
    let windows = 0;
    let alarms = 0;
    for (let reference = 0; reference < 400; reference++) {
      const chunkMeans = Array.from({ length: chunks }, () => rowsMean(chunkSize));
      // Population σ, as NannyML's rule and PcaReconstruction read it.
      const centre = mean(chunkMeans);
      const spread = standardDeviation(chunkMeans);
      let armed = true;
      for (let w = 0; w < 60; w++) {
        const outside = Math.abs(rowsMean(window) - centre) > threshold * spread;
        windows++;
        if (armed && outside) alarms++;
        armed = !outside;
      }
    }
    const measured = windows / alarms;
    assert.ok(Math.abs(Math.log(measured / 20)) < Math.log(1.3), `measured ${measured}`);
    // Wider than it would be if 8 chunks gave the mean and σ exactly: a window's mean spreads
    // √(chunkSize / window) σ, and two-sided 1/20 is 1.96 of those.
    const exact = probit(1 - 1 / 40) * Math.sqrt(chunkSize / window);
    assert.ok(threshold > 1.2 * exact, `${threshold} vs ${exact}`);
  });

  it('needs more σ from fewer chunks, fewer for longer windows', () => {
    const at = (referenceChunks: number, window: number) =>
      spreadForRunLength({
        referenceChunks,
        chunkSize: 500,
        window,
        windowsPerAlarm: 200,
        windows: 20_000,
        random: mulberry32(3),
      }).threshold;
    assert.ok(at(4, 1000) > at(10, 1000));
    assert.ok(at(10, 1000) > at(40, 1000));
    assert.ok(at(10, 500) > at(10, 2000));
  });

  it('cannot calibrate one chunk, which has no spread', () => {
    assert.throws(
      () =>
        spreadForRunLength({
          referenceChunks: 1,
          chunkSize: 500,
          window: 1000,
          windowsPerAlarm: 100,
          windows: 2000,
          random: mulberry32(4),
        }),
      (error: unknown) => error instanceof DriftError && error.code === 'DW_DRIFT_INVALID_INPUT',
    );
  });
});
