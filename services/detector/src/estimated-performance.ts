import {
  Cbpe,
  DriftError,
  MulticlassCbpe,
  StreamingCbpe,
  StreamingMulticlassCbpe,
  type CbpeEstimate,
  type StreamingCbpeState,
  type StreamingMulticlassCbpeState,
} from '@driftwatch/drift';
import {
  calibrationCbpeState,
  classCalibrationCbpeState,
  type ClassCalibration,
  type ScoreCalibration,
} from '@driftwatch/topics';

import { budgetNote, count, percent } from './alert-text.js';
import type { CalibratedRule } from '@driftwatch/topics';
import { ThresholdGate, type ThresholdGateState } from './threshold-gate.js';

export interface EstimatedPerformanceOptions {
  /** Predictions the estimate covers, the most recent ones. */
  window: number;
  /** Alert when the estimate falls this far below the holdout's expected accuracy; 0: no alert. */
  maxDrop: number;
  /** Once fired, the rule re-arms only after the estimate recovers this far past its floor. */
  rearmMargin: number;
  /** The floor calibrated to a false-alarm budget, replacing expected − `maxDrop`; null: none. */
  floor?: CalibratedRule | null;
}

export interface EstimatedPerformanceState {
  /** Binary: the scores' window; multiclass: the probability rows'. */
  cbpe: StreamingCbpeState | StreamingMulticlassCbpeState;
  gate: ThresholdGateState;
}

/** A version's estimated accuracy fell below its floor before any label said so. */
export interface EstimateSignal {
  kind: 'performance';
  detector: 'cbpe';
  feature: null;
  /** The estimated accuracy of the window. */
  statistic: number;
  /** The floor: the holdout's expected accuracy minus `maxDrop`. */
  threshold: number;
  windowStart: number;
  windowEnd: number;
  severity: 'warning' | 'critical';
  /** For people: what changed, by how much, against what. */
  summary: string;
  /** Predictions between false alarms the floor was calibrated to; null: raw `maxDrop`. */
  expectedRunLength: number | null;
}

/**
 * One version's performance estimated from its outputs alone over the last `window` predictions:
 * accuracy, precision, recall, F1 and ROC AUC (macro, one-vs-rest, for three or more classes)
 * from the first prediction on, long before any label arrives. A binary version's scores go
 * through `StreamingCbpe`, a multiclass version's probability rows through
 * `StreamingMulticlassCbpe`. The version's calibration (fitted on its holdout when it was trained
 * or registered) turns outputs into probabilities; its expected accuracy on that holdout, minus
 * `maxDrop`, is the floor below which a full window alerts, once per episode.
 */
export class EstimatedPerformance {
  readonly #options: EstimatedPerformanceOptions;
  readonly #cbpe: StreamingCbpe | StreamingMulticlassCbpe;
  readonly #gate: ThresholdGate;
  readonly #floor: number;
  readonly #expected: number;

  constructor(
    calibration: ScoreCalibration | ClassCalibration,
    options: EstimatedPerformanceOptions,
    state?: EstimatedPerformanceState,
  ) {
    this.#options = options;
    if (state) {
      this.#cbpe =
        'predictions' in state.cbpe
          ? StreamingMulticlassCbpe.fromJSON(state.cbpe)
          : StreamingCbpe.fromJSON(state.cbpe);
    } else {
      this.#cbpe =
        'calibrators' in calibration
          ? new StreamingMulticlassCbpe({
              cbpe: MulticlassCbpe.fromJSON(classCalibrationCbpeState(calibration)),
              window: options.window,
            })
          : new StreamingCbpe({
              cbpe: Cbpe.fromJSON(calibrationCbpeState(calibration)),
              window: options.window,
            });
    }
    this.#gate = new ThresholdGate(
      { direction: 'below', rearmMargin: () => options.rearmMargin },
      state?.gate,
    );
    this.#expected = calibration.expectedAccuracy;
    this.#floor = options.floor?.threshold ?? calibration.expectedAccuracy - options.maxDrop;
  }

  /** Whether a snapshot taken under other options can be continued under these. */
  static fits(options: EstimatedPerformanceOptions, state: EstimatedPerformanceState): boolean {
    return state.cbpe.window === options.window;
  }

  /**
   * Adds one prediction's score (binary) or probability row (multiclass); a signal when the full
   * window's estimate crosses the floor.
   */
  observe(
    score: number,
    probabilities: readonly (number | null)[] | undefined,
    windowStart: number,
    ts: number,
  ): EstimateSignal | null {
    // An output that is not a probability cannot be calibrated; inference dead-letters such.
    const isProbability = (value: number | null | undefined): value is number =>
      value !== null && value !== undefined && value >= 0 && value <= 1;
    if (this.#cbpe instanceof StreamingMulticlassCbpe) {
      if (!probabilities?.every(isProbability)) return null;
      try {
        this.#cbpe.update(probabilities);
      } catch (error) {
        // A row of another width than the version's classes: rejected, the window unchanged.
        if (error instanceof DriftError && error.code === 'DW_DRIFT_INVALID_INPUT') return null;
        throw error;
      }
    } else {
      if (!isProbability(score)) return null;
      this.#cbpe.update(score);
    }
    if (this.#options.maxDrop === 0 || this.#cbpe.count < this.#options.window) return null;
    const accuracy = this.#cbpe.accuracy;
    if (!this.#gate.check(accuracy, this.#floor)) return null;
    const floor = this.#options.floor ?? null;
    return {
      kind: 'performance',
      detector: 'cbpe',
      feature: null,
      statistic: accuracy,
      threshold: this.#floor,
      windowStart,
      windowEnd: ts,
      severity: accuracy < this.#expected - 2 * this.#options.maxDrop ? 'critical' : 'warning',
      summary: `accuracy estimated without labels fell to ${percent(accuracy)} over the last ${count(this.#options.window)} predictions, ${(100 * (this.#expected - accuracy)).toFixed(1)} points below the ${percent(this.#expected)} its holdout expected (floor ${percent(this.#floor)}; CBPE${floor ? budgetNote(floor.expectedRunLength, 'predictions') : ''})`,
      expectedRunLength: floor?.expectedRunLength ?? null,
    };
  }

  /** The estimates over the predictions seen so far (at most `window`); undefined before any. */
  estimate(): CbpeEstimate | undefined {
    return this.#cbpe.count > 0 ? this.#cbpe.estimate() : undefined;
  }

  toJSON(): EstimatedPerformanceState {
    return { cbpe: this.#cbpe.toJSON(), gate: this.#gate.toJSON() };
  }
}
