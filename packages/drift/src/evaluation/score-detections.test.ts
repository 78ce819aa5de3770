import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DriftError } from '../errors.js';
import { scoreDetections, summarizeScores } from './score-detections.js';

const length = 10_000;
const tolerance = 500;

describe('scoreDetections', () => {
  it('matches the first detection inside each change window', () => {
    const score = scoreDetections({
      detections: [1010, 1020, 3499, 6000],
      changePoints: [1000, 3000, 6000],
      length,
      tolerance,
    });
    assert.deepEqual(score, {
      elements: length,
      changePoints: 3,
      detections: 4,
      truePositives: 3,
      falseAlarms: 1,
      repeatAlarms: 1,
      missed: 0,
      delays: [10, 499, 0],
    });
  });

  it('counts a detection one past the tolerance as a false alarm and the change as missed', () => {
    const score = scoreDetections({ detections: [1500], changePoints: [1000], length, tolerance });
    assert.equal(score.truePositives, 0);
    assert.equal(score.falseAlarms, 1);
    assert.equal(score.repeatAlarms, 0);
    assert.equal(score.missed, 1);
  });

  it('never lets one detection catch two changes: the window closes at the next change', () => {
    const score = scoreDetections({
      detections: [1250],
      changePoints: [1000, 1200],
      length,
      tolerance,
    });
    assert.deepEqual(score.delays, [50]);
    assert.equal(score.missed, 1);
  });

  it('scores a control stream: every detection is a false alarm', () => {
    const score = scoreDetections({ detections: [5, 9000], changePoints: [], length, tolerance });
    assert.equal(score.falseAlarms, 2);
    assert.equal(score.missed, 0);
  });

  it('rejects unsorted, duplicate or out-of-range indices and bad options', () => {
    const bad = [
      { detections: [5, 3], changePoints: [] },
      { detections: [5, 5], changePoints: [] },
      { detections: [length], changePoints: [] },
      { detections: [], changePoints: [-1] },
      { detections: [1.5], changePoints: [] },
    ];
    for (const { detections, changePoints } of bad) {
      assert.throws(
        () => scoreDetections({ detections, changePoints, length, tolerance }),
        (error) => error instanceof DriftError && error.code === 'DW_DRIFT_INVALID_INPUT',
      );
    }
    for (const options of [
      { length: 0, tolerance },
      { length, tolerance: 0 },
    ]) {
      assert.throws(
        () => scoreDetections({ detections: [], changePoints: [], ...options }),
        (error) => error instanceof DriftError && error.code === 'DW_DRIFT_INVALID_OPTION',
      );
    }
  });
});

describe('summarizeScores', () => {
  it('pools counts before taking ratios', () => {
    const caught = scoreDetections({ detections: [1100], changePoints: [1000], length, tolerance });
    const noisy = scoreDetections({
      detections: [10, 20, 2300],
      changePoints: [2000],
      length,
      tolerance,
    });
    assert.deepEqual(summarizeScores([caught, noisy]), {
      runs: 2,
      elements: 2 * length,
      changePoints: 2,
      detections: 4,
      truePositives: 2,
      falseAlarms: 2,
      repeatAlarms: 0,
      missedChanges: 0,
      meanDelay: 200,
      falseAlarmsPer100k: 10,
      precision: 0.5,
      recall: 1,
    });
  });

  it('reports undefined ratios as null rather than NaN', () => {
    const quiet = scoreDetections({ detections: [], changePoints: [], length, tolerance });
    const summary = summarizeScores([quiet]);
    assert.equal(summary.meanDelay, null);
    assert.equal(summary.precision, null);
    assert.equal(summary.recall, null);
    assert.equal(summary.falseAlarmsPer100k, 0);
    assert.equal(summarizeScores([]).falseAlarmsPer100k, 0);
  });
});
