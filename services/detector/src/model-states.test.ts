import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConceptMonitor, type ConceptMonitorOptions } from './concept-monitor.js';
import { calibrateConceptRules } from '@driftwatch/alarms';
import { ConceptState } from './model-states.js';
import { unitDetectorOptions } from './testing/unit-detector-options.js';

const raw: ConceptMonitorOptions = unitDetectorOptions.concept;
const budgeted = { ...raw, falseAlarmEvery: 5000 };

const snapshot = (options: ConceptMonitorOptions) => {
  const monitor = new ConceptMonitor(options);
  for (let i = 0; i < 50; i++)
    monitor.observe({ label: 1, predicted: i % 5 === 0 ? 0 : 1, score: 0.9, ts: i });
  return { version: 3, monitor: monitor.toJSON() };
};

describe('ConceptState.revive and the false-alarm budget', () => {
  it('continues a snapshot made under the same budget, calibrated or not', () => {
    const calibration = calibrateConceptRules(0.8, { ...budgeted, conceptDetector: 'adwin' }, 5000);
    const calibrated = ConceptState.revive(snapshot({ ...budgeted, calibration }), budgeted);
    assert.equal(calibrated?.monitor.calibration?.eventsPerAlarm, 5000);
    assert.equal(calibrated.monitor.metrics().labeled, 50, 'the window continues');
    // A version without holdout accuracy runs raw under the budget, and stays continuable.
    const uncalibrated = ConceptState.revive(snapshot(budgeted), budgeted);
    assert.equal(uncalibrated?.monitor.calibration, null);
    assert.equal(uncalibrated.monitor.metrics().labeled, 50);
  });

  it('starts afresh (undefined) when the budget changed, so the version is calibrated again', () => {
    assert.equal(ConceptState.revive(snapshot(raw), budgeted), undefined);
    const calibration = calibrateConceptRules(0.8, { ...budgeted, conceptDetector: 'adwin' }, 5000);
    const other = { ...budgeted, falseAlarmEvery: 9000 };
    assert.equal(ConceptState.revive(snapshot({ ...budgeted, calibration }), other), undefined);
    // Without a budget, a snapshot that does not fit is rebuilt for the same version, as before.
    const rebuilt = ConceptState.revive(snapshot({ ...budgeted, calibration }), raw);
    assert.equal(rebuilt?.version, 3);
    assert.equal(rebuilt.monitor.metrics().labeled, 0);
  });
});
