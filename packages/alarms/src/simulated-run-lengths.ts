import { DriftError, mulberry32, type Random } from '@driftwatch/drift';
import type { CalibratedRule } from '@driftwatch/topics';

/**
 * Alarms the simulations aim to hold at the target: the measured run length of one is then
 * within about 1/√100 = 10% of the truth. Capped so one version costs a few seconds at most: at
 * a budget of a million events a rule checked at every event sees about two false alarms in the
 * 2,000,000 simulated, and its run length is good to a factor of about two.
 */
const simulatedAlarms = 100;
const maxSimulatedEvents = 2_000_000;
const maxSimulatedWindows = 20_000;

/**
 * Events to simulate for a rule checked at every event: at least `atLeast` (a few cooldowns or
 * windows), never more than the cap, so a cooldown of a hundred million ("alert once") cannot
 * make one version cost minutes.
 */
export function simulatedEvents(eventsPerAlarm: number, atLeast: number): number {
  return Math.min(maxSimulatedEvents, Math.max(atLeast, simulatedAlarms * eventsPerAlarm));
}

/** Windows to simulate for a rule checked once per window. */
export function simulatedWindows(windowsPerAlarm: number): number {
  return Math.max(
    2000,
    Math.min(maxSimulatedWindows, Math.ceil(simulatedAlarms * windowsPerAlarm)),
  );
}

/** Each rule's own seeded stream: a version's thresholds are the same on every run and machine. */
export function seededFor(rule: string): Random {
  let hash = 2166136261;
  for (const char of rule) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return mulberry32(hash >>> 0);
}

/**
 * A rule whose statistic cannot vary under its reference (a feature constant in the training
 * rows has one bin, and PSI 0 forever; blocks of a version that never erred) cannot be put on a
 * budget: it keeps its raw threshold (null here) instead of stopping the caller.
 */
export function unlessDegenerate(calibrate: () => CalibratedRule): CalibratedRule | null {
  try {
    return calibrate();
  } catch (error) {
    if (error instanceof DriftError && error.code === 'DW_DRIFT_INVALID_INPUT') return null;
    throw error;
  }
}
