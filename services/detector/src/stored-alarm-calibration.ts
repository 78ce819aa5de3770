import { sameAlarmSettings } from '@driftwatch/alarms';
import type { AlarmCalibration, ModelVersion } from '@driftwatch/topics';

import { alarmSettingsOf } from './alarm-settings-of.js';
import type { DetectorDependencies } from './detector-dependencies.js';

/**
 * The calibration the version carries, when it was made under this detector's settings; null
 * when the detector runs raw thresholds, or must calibrate the version itself: a version trained
 * before budgets, or under other windows or another budget.
 */
export function storedAlarmCalibration(
  options: Pick<DetectorDependencies['options'], 'concept' | 'data'>,
  version: Pick<ModelVersion, 'alarmCalibration'>,
): AlarmCalibration | null {
  const settings = alarmSettingsOf(options);
  const stored = version.alarmCalibration;
  if (!settings || !stored) return null;
  return sameAlarmSettings(stored.settings, settings) ? stored : null;
}
