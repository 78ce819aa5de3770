import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AlarmSettings, ReferenceProfile } from '@driftwatch/topics';

import { calibrateVersionAlarms, sameAlarmSettings } from './calibrate-version-alarms.js';
import { dataRuleTracks } from './data-rule-tracks.js';

const settings: AlarmSettings = {
  falseAlarmEvery: 4000,
  concept: {
    conceptDetector: 'fhddm',
    adwinCooldown: 200,
    window: 200,
    blockSize: 200,
    blockAccuracyThreshold: 0,
    accuracyThreshold: 0.5,
    rearmMargin: 0.02,
  },
  data: { window: 200, rearmRatio: 0.5, ksAlpha: 0.01, cbpeMaxDrop: 0, cbpeRearmMargin: 0.02 },
};

const reference: ReferenceProfile = {
  features: [
    { name: 'x', edges: [0, 1, 2, 3, 4], proportions: [0.1, 0.4, 0.3, 0.2], sample: [] },
    // Constant in the training rows: one bin, PSI 0 forever, so it keeps the raw threshold.
    { name: 'flag', edges: [1, 1.5], proportions: [1], sample: [] },
  ],
  score: { name: 'score', edges: [0, 0.5, 1], proportions: [0.6, 0.4], sample: [] },
  classProbabilities: [],
  cbpe: null,
  classCbpe: null,
  multivariate: null,
  rows: 2000,
};

describe('calibrateVersionAlarms', () => {
  it('calibrates the rules that are on, names PSI thresholds by track, and repeats itself exactly', () => {
    const version = {
      reference,
      metrics: { challenger: { accuracy: 0.85 }, champion: null },
      trainingWindow: { holdoutRows: 800 },
    };
    const calibration = calibrateVersionAlarms(version, settings);
    assert.deepEqual(calibration.settings, settings);
    assert.equal(calibration.concept?.eventsPerAlarm, 4000);
    assert.equal(calibration.concept.blockAccuracy, null, 'a rule at 0 stays off');
    assert.ok(calibration.concept.windowAccuracy, 'the window floor is on');
    assert.deepEqual(Object.keys(calibration.data.psi).sort(), ['<score>', 'x']);
    assert.deepEqual(
      dataRuleTracks(reference).map((track) => track.name),
      ['x', 'flag', '<score>'],
    );
    // KS fires with probability α per window under the null: solved exactly for the budget.
    assert.ok(Math.abs((calibration.data.ks?.expectedRunLength ?? NaN) - 4000) < 1e-6);
    assert.equal(calibration.data.cbpe, null, 'no CBPE calibration, no floor');
    assert.deepEqual(calibrateVersionAlarms(version, settings), calibration);
  });

  it('leaves the concept rules raw for a holdout that never erred, or measured nothing', () => {
    for (const challenger of [{ accuracy: 1 }, {}]) {
      const calibration = calibrateVersionAlarms(
        {
          reference,
          metrics: { challenger, champion: null },
          trainingWindow: { holdoutRows: 800 },
        },
        settings,
      );
      assert.equal(calibration.concept, null);
    }
  });
});

describe('sameAlarmSettings', () => {
  it('holds only when every setting is the same', () => {
    assert.ok(sameAlarmSettings(settings, structuredClone(settings)));
    assert.ok(!sameAlarmSettings(settings, { ...settings, falseAlarmEvery: 5000 }));
    assert.ok(
      !sameAlarmSettings(settings, {
        ...settings,
        concept: { ...settings.concept, conceptDetector: 'adwin' },
      }),
    );
    assert.ok(
      !sameAlarmSettings(settings, { ...settings, data: { ...settings.data, window: 500 } }),
    );
  });
});
