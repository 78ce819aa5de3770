import { createErrorStreamDetector, updateWithError } from '@driftwatch/alarms';
import {
  Fhddm,
  Fhddms,
  HddmA,
  type FhddmState,
  type FhddmsState,
  type HddmAState,
} from '@driftwatch/drift';

import { count, percent, threeSignificant } from './alert-text.js';

/** The detectors that can watch a version's 0/1 error stream for concept drift besides ADWIN. */
export const errorRateDetectorNames = ['fhddm', 'fhddms', 'hddm-a'] as const;
export type ErrorRateDetectorName = (typeof errorRateDetectorNames)[number];

export type ErrorRateDetectorState =
  | { name: 'fhddm'; state: FhddmState }
  | { name: 'fhddms'; state: FhddmsState }
  | { name: 'hddm-a'; state: HddmAState };

/** What a detection says: the statistic against what it crossed, and in words. */
export interface ErrorRateDetection {
  statistic: number;
  threshold: number;
  summary: string;
}

/**
 * FHDDM, its stacked variant FHDDMS, or HDDM_A (the drift package's, each exact against River)
 * on one version's error stream, with the package defaults (FHDDM: 100 outcomes, δ 10⁻⁶; FHDDMS:
 * 100 and 25; HDDM_A: drift confidence 0.001, rises only). Each starts over after a detection, as
 * the papers define them. FHDDM(S) read outcomes as 1 = correct, HDDM_A as 1 = wrong: this takes
 * errors and feeds each what it reads.
 */
export class ErrorRateDetector {
  readonly #detector: Fhddm | Fhddms | HddmA;

  /**
   * `sensitivity`: FHDDM(S)'s δ or HDDM_A's drift confidence, when a false-alarm budget set it
   * (larger is more eager); the paper's default otherwise. A snapshot keeps its own.
   */
  constructor(name: ErrorRateDetectorName, state?: ErrorRateDetectorState, sensitivity?: number) {
    if (state && state.name !== name) throw new Error(`a ${state.name} snapshot is not ${name}'s`);
    switch (state?.name) {
      case 'fhddm':
        this.#detector = Fhddm.fromJSON(state.state);
        break;
      case 'fhddms':
        this.#detector = Fhddms.fromJSON(state.state);
        break;
      case 'hddm-a':
        this.#detector = HddmA.fromJSON(state.state);
        break;
      default:
        this.#detector = createErrorStreamDetector(name, sensitivity);
    }
  }

  get name(): ErrorRateDetectorName {
    const detector = this.#detector;
    return detector instanceof Fhddm ? 'fhddm' : detector instanceof Fhddms ? 'fhddms' : 'hddm-a';
  }

  /** Adds one outcome (1 = wrong); a detection when this outcome signals drift. */
  update(error: 0 | 1): ErrorRateDetection | null {
    const detector = this.#detector;
    if (detector instanceof HddmA) {
      // The run restarts at a detection: what it was is read first.
      const errorRate = detector.errorRate;
      const run = detector.count;
      if (!updateWithError(detector, error)) return null;
      return {
        statistic: errorRate,
        threshold: detector.driftConfidence,
        summary: `the error rate rose significantly above its lowest level of the ${count(run)} labeled predictions since the start or the last change (${percent(errorRate)} over them; HDDM_A, drift confidence ${threeSignificant(detector.driftConfidence)})`,
      };
    }
    const accuracy = detector.accuracy;
    const best = detector.maxAccuracy;
    if (!updateWithError(detector, error)) return null;
    const name = detector instanceof Fhddm ? 'FHDDM' : 'FHDDMS';
    return {
      statistic: accuracy,
      threshold: best,
      summary: `accuracy over the last ${count(detector.windowSize)} labeled predictions fell to ${percent(accuracy)}, from a best of ${percent(best)} (${name}, delta ${threeSignificant(detector.delta)})`,
    };
  }

  toJSON(): ErrorRateDetectorState {
    const detector = this.#detector;
    if (detector instanceof Fhddm) return { name: 'fhddm', state: detector.toJSON() };
    if (detector instanceof Fhddms) return { name: 'fhddms', state: detector.toJSON() };
    return { name: 'hddm-a', state: detector.toJSON() };
  }
}
