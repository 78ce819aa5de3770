import type { AlarmSettings } from '@driftwatch/topics';

import type { DetectorDependencies } from './detector-dependencies.js';

/**
 * The settings a false-alarm calibration of this detector's rules depends on, or null when it
 * runs raw thresholds. They go into every retrain request, so the trainer calibrates the
 * challenger under them, and a version calibrated under them is watched without simulating again.
 */
export function alarmSettingsOf({
  concept,
  data,
}: Pick<DetectorDependencies['options'], 'concept' | 'data'>): AlarmSettings | null {
  const falseAlarmEvery = concept.falseAlarmEvery ?? 0;
  if (falseAlarmEvery <= 0) return null;
  return {
    falseAlarmEvery,
    concept: {
      conceptDetector: concept.conceptDetector ?? 'adwin',
      adwinCooldown: concept.adwinCooldown,
      window: concept.window,
      blockSize: concept.blockSize,
      blockAccuracyThreshold: concept.blockAccuracyThreshold,
      accuracyThreshold: concept.accuracyThreshold,
      rearmMargin: concept.rearmMargin,
    },
    data: {
      window: data.window,
      rearmRatio: data.rearmRatio,
      ksAlpha: data.ksAlpha,
      cbpeMaxDrop: data.cbpeMaxDrop,
      cbpeRearmMargin: data.cbpeRearmMargin,
    },
  };
}
