import type {
  AlarmCalibration,
  AlarmSettings,
  ConceptCalibration,
  ModelVersion,
} from '@driftwatch/topics';

import { calibrateConceptRules } from './calibrate-concept-rules.js';
import { calibrateDataRules } from './calibrate-data-rules.js';

/** What the concept rules are calibrated from: the holdout's accuracy and its size. */
export type CalibratedVersion = Pick<ModelVersion, 'metrics'> & {
  trainingWindow: Pick<ModelVersion['trainingWindow'], 'holdoutRows'>;
};

/**
 * Every alerting rule of a version calibrated to the budget in `settings`, from what the version
 * carries: its reference profile for the data rules, its holdout accuracy for the concept rules
 * (none without an accuracy strictly between 0 and 1: a holdout that never erred, or always did,
 * has no error rate to draw from). Deterministic: each rule draws from its own seeded stream.
 *
 * Takes a few seconds at a budget of 50,000 events: the trainer pays it once per version instead
 * of the detector on its hot path.
 */
export function calibrateVersionAlarms(
  version: Pick<ModelVersion, 'reference'> & CalibratedVersion,
  settings: AlarmSettings,
): AlarmCalibration {
  return {
    settings,
    concept: calibrateVersionConceptRules(version, settings),
    data: calibrateDataRules(version.reference, settings.data, settings.falseAlarmEvery),
  };
}

/**
 * The version's concept rules on the budget, from its holdout accuracy and how many rows measured
 * it; null (raw thresholds) without an accuracy strictly between 0 and 1.
 */
export function calibrateVersionConceptRules(
  version: CalibratedVersion,
  settings: AlarmSettings,
): ConceptCalibration | null {
  const accuracy = version.metrics.challenger.accuracy;
  if (accuracy === undefined || !(accuracy > 0 && accuracy < 1)) return null;
  return calibrateConceptRules(
    accuracy,
    settings.concept,
    settings.falseAlarmEvery,
    version.trainingWindow.holdoutRows,
  );
}

/** Whether a calibration made under `stored` holds under `current`: every setting is the same. */
export function sameAlarmSettings(stored: AlarmSettings, current: AlarmSettings): boolean {
  const sameFields = <T extends object>(a: T, b: T) =>
    (Object.keys(a) as (keyof T)[]).every((key) => a[key] === b[key]);
  return (
    stored.falseAlarmEvery === current.falseAlarmEvery &&
    sameFields(stored.concept, current.concept) &&
    sameFields(stored.data, current.data)
  );
}
