import {
  psiNullDistribution,
  windowThresholdForRunLength,
  type PsiReference,
} from '@driftwatch/drift';
import type { CalibratedRule } from '@driftwatch/topics';

import { seededFor, simulatedWindows } from './simulated-run-lengths.js';

export interface PsiThresholdOptions {
  /** Predictions per tumbling window. */
  window: number;
  /** The target: windows between false alarms, on average. */
  windowsPerAlarm: number;
  /** Rows the bins were fitted on, when known: their shares are then uncertain too. */
  referenceRows: number | null;
  /** Where a fired rule re-arms, as its gate does. */
  rearmAt: (threshold: number) => number;
  /** Names the rule's seeded stream, so its threshold is the same on every run. */
  seed: string;
}

/**
 * A PSI rule's threshold on the budget, over tumbling windows: PSI of windows drawn from the
 * bins themselves (the exact null, whatever the values inside a bin), cut where the re-arming
 * rule fires once every `windowsPerAlarm` windows. The run length is in predictions. For a
 * feature's or the score's PSI and for PSI over the reference's clusters alike.
 */
export function psiThresholdForBudget(
  bins: PsiReference,
  options: PsiThresholdOptions,
): CalibratedRule {
  const { window, windowsPerAlarm } = options;
  const values = psiNullDistribution(bins, {
    window,
    windows: simulatedWindows(windowsPerAlarm),
    ...(options.referenceRows ? { referenceRows: options.referenceRows } : {}),
    random: seededFor(options.seed),
  });
  const calibrated = windowThresholdForRunLength(values, {
    windowsPerAlarm,
    direction: 'above',
    rearmAt: options.rearmAt,
  });
  return { ...calibrated, expectedRunLength: calibrated.expectedRunLength * window };
}
