import { Fhddm, Fhddms, HddmA } from '@driftwatch/drift';
import type { AlarmSettings } from '@driftwatch/topics';

/** The rules that can watch a version's 0/1 error stream for concept drift besides ADWIN. */
export type ErrorStreamDetectorName = Exclude<AlarmSettings['concept']['conceptDetector'], 'adwin'>;

/**
 * FHDDM, FHDDMS or HDDM_A with the package defaults, or at `sensitivity` when a false-alarm
 * budget set it: FHDDM(S)'s δ or HDDM_A's drift confidence (larger is more eager). The detector
 * and the calibration build them here, so the simulated rule is the one that runs.
 */
export function createErrorStreamDetector(
  name: ErrorStreamDetectorName,
  sensitivity?: number,
): Fhddm | Fhddms | HddmA {
  const delta = sensitivity === undefined ? {} : { delta: sensitivity };
  switch (name) {
    case 'fhddm':
      return new Fhddm(delta);
    case 'fhddms':
      return new Fhddms(delta);
    case 'hddm-a':
      return new HddmA(
        sensitivity === undefined
          ? {}
          : {
              driftConfidence: sensitivity,
              // The warning test must be at least as eager as the drift test.
              warningConfidence: Math.max(sensitivity, 0.005),
            },
      );
  }
}

/**
 * Feeds one outcome (1 = wrong) to a detector built above, as each reads it: FHDDM(S) take 1 as
 * correct, HDDM_A as wrong. True when it signals drift.
 */
export function updateWithError(detector: Fhddm | Fhddms | HddmA, error: 0 | 1): boolean {
  return detector instanceof HddmA ? detector.update(error) : detector.update(error === 0 ? 1 : 0);
}
