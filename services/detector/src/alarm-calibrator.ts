import {
  calibrateDataRules,
  calibrateVersionConceptRules,
  type CalibratedVersion,
} from '@driftwatch/alarms';
import type {
  AlarmSettings,
  ConceptCalibration,
  DataCalibration,
  ReferenceProfile,
} from '@driftwatch/topics';

/**
 * Puts a version's rules on the false-alarm budget, for a version that carries no calibration
 * made under this detector's settings. Seconds of CPU: the service runs it in a worker thread
 * (`workerAlarmCalibrator`), so its loop goes on heartbeating and handling other partitions;
 * tests and tools calibrate in process (`inProcessAlarmCalibrator`). Both give the same result:
 * every rule draws from its own seeded stream.
 */
export interface AlarmCalibrator {
  /** The concept rules, from the holdout's accuracy and size; null when it has none to use. */
  concept(version: CalibratedVersion, settings: AlarmSettings): Promise<ConceptCalibration | null>;
  /** The data rules, from the version's reference. */
  data(reference: ReferenceProfile, settings: AlarmSettings): Promise<DataCalibration>;
}

export const inProcessAlarmCalibrator: AlarmCalibrator = {
  concept: (version, settings) =>
    new Promise((resolve) => {
      resolve(calibrateVersionConceptRules(version, settings));
    }),
  data: (reference, settings) =>
    new Promise((resolve) => {
      resolve(calibrateDataRules(reference, settings.data, settings.falseAlarmEvery));
    }),
};

/** How often a batch waiting for a calibration tells the consumer group it is alive. */
const KEEP_ALIVE_MS = 1000;

/**
 * The calibrator, heartbeating while a calibration runs: a batch waits for it, and without
 * heartbeats a slow calibration on a busy machine would outlast the group's session timeout.
 */
export function keepingAlive(calibrator: AlarmCalibrator, heartbeat: () => void): AlarmCalibrator {
  const whileBeating = <T>(calibration: () => Promise<T>): Promise<T> => {
    heartbeat();
    const beat = setInterval(heartbeat, KEEP_ALIVE_MS);
    return calibration().finally(() => {
      clearInterval(beat);
    });
  };
  return {
    concept: (version, settings) => whileBeating(() => calibrator.concept(version, settings)),
    data: (reference, settings) => whileBeating(() => calibrator.data(reference, settings)),
  };
}
