import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { inProcessAlarmCalibrator, keepingAlive } from './alarm-calibrator.js';
import { alarmSettingsOf } from './alarm-settings-of.js';
import { seaVersion } from './testing/sea-version.js';
import { unitDetectorOptions } from './testing/unit-detector-options.js';
import { workerAlarmCalibrator } from './worker-alarm-calibrator.js';

const version = {
  ...seaVersion(1),
  metrics: { challenger: { accuracy: 0.88 }, champion: null },
  trainingWindow: { fromTs: 0, toTs: 0, trainRows: 1600, holdoutRows: 400 },
};
const settings = alarmSettingsOf({
  concept: { ...unitDetectorOptions.concept, falseAlarmEvery: 20_000 },
  data: unitDetectorOptions.data,
});

describe('workerAlarmCalibrator', () => {
  it('calibrates in a worker thread exactly as in process', async () => {
    assert.ok(settings);
    const [concept, expectedConcept, data, expectedData] = await Promise.all([
      workerAlarmCalibrator.concept(version, settings),
      inProcessAlarmCalibrator.concept(version, settings),
      workerAlarmCalibrator.data(version.reference, settings),
      inProcessAlarmCalibrator.data(version.reference, settings),
    ]);
    assert.ok(concept, 'a holdout accuracy strictly between 0 and 1 calibrates the concept rules');
    assert.deepEqual(concept, expectedConcept);
    assert.deepEqual(data, expectedData);
    assert.ok(Object.keys(data.psi).length > 0, 'the feature and score tracks are calibrated');
  });

  it('answers null for a version with no holdout accuracy to draw from', async () => {
    assert.ok(settings);
    assert.equal(await workerAlarmCalibrator.concept(seaVersion(1), settings), null);
  });
});

describe('keepingAlive', () => {
  it('heartbeats while a calibration runs, and stops once it is done', async () => {
    assert.ok(settings);
    let beats = 0;
    let finish = (): void => undefined;
    const slow = {
      ...inProcessAlarmCalibrator,
      concept: () =>
        new Promise<null>((resolve) => {
          finish = () => {
            resolve(null);
          };
        }),
    };
    const calibrating = keepingAlive(slow, () => beats++).concept(version, settings);
    assert.equal(beats, 1, 'one heartbeat as the calibration starts');
    finish();
    await calibrating;
    const after = beats;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal(beats, after, 'no heartbeat once it is done');
  });
});
