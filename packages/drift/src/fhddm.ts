import { toJsonNumber, type JsonNumber } from './json-number.js';
import { StateReader } from './state-reader.js';
import { requireBinary } from './input-checks.js';
import { option } from './errors.js';
import { OutcomeWindow } from './outcome-window.js';

export interface FhddmOptions {
  /** n: outcomes in the sliding window; nothing is tested until it is full. Default 100. */
  windowSize?: number;
  /** δ in (0, 1): the false-alarm probability Hoeffding's bound allows. Default 10⁻⁶. */
  delta?: number;
}

/** The plain-JSON snapshot of an {@link Fhddm} (`toJSON`, `Fhddm.fromJSON`). */
export interface FhddmState {
  windowSize: number;
  delta: number;
  /** The last min(run, windowSize) outcomes of the current run, oldest first (1 = correct). */
  window: (0 | 1)[];
  /** Highest window accuracy of the run; 0 until its window first fills. */
  maxAccuracy: JsonNumber;
  driftDetected: boolean;
  count: number;
  detections: number[];
}

/**
 * Fast Hoeffding Drift Detection Method (FHDDM) for a stream of prediction outcomes, **1 (or
 * true) = correct**, 0 = wrong, as in the paper. (`Ddm` and `HddmA` take errors, 1 = wrong: feed
 * FHDDM `1 − error`.)
 *
 * A classifier's accuracy should hold or rise while its concept holds. FHDDM slides a window over
 * the last n outcomes; once it is full, each update computes the window's accuracy pₜ, keeps the
 * highest p_max seen, and signals drift when the accuracy has fallen further below it than
 * Hoeffding's inequality allows by chance with probability δ:
 *
 *   p_max − pₜ > ε,   ε = √(ln(1/δ) / 2n)
 *
 * After a detection it starts over with the next outcome: empty window, p_max = 0. Only falls in
 * accuracy are detected; it never warns. Same semantics, defaults and arithmetic as River's
 * `drift.binary.FHDDM` without a short window (River's `sliding_window_size` and
 * `confidence_level` are `windowSize` and `delta`), so detections are identical; where the
 * conventions differ is in this package's README. The stacked variant is {@link Fhddms}.
 *
 * Options: `windowSize` n (default 100), `delta` δ (default 10⁻⁶: ε ≈ 0.263 for n = 100).
 *
 * `toJSON()` snapshots it as plain JSON ({@link FhddmState}); `Fhddm.fromJSON` revives it to
 * continue exactly as if it had never stopped.
 *
 * @example
 * ```ts
 * // A classifier right 90% of the time, then 60% from outcome 1000 on.
 * const random = mulberry32(7);
 * const detector = new Fhddm();
 * for (let i = 0; i < 2000; i++) detector.update(random() < (i < 1000 ? 0.9 : 0.6) ? 1 : 0);
 * detector.detections; // => [1066]
 * detector.accuracy; // => 0.61
 * ```
 *
 * @see A. Pesaranghader, H. L. Viktor (2016), "Fast Hoeffding Drift Detection Method for Evolving
 * Data Streams", ECML PKDD 2016, LNCS 9852, 96–111.
 */
export class Fhddm {
  readonly windowSize: number;
  readonly delta: number;
  /** ε = √(ln(1/δ) / 2n): how far below p_max the window accuracy may fall by chance. */
  readonly epsilon: number;

  readonly #window: OutcomeWindow;
  #maxAccuracy = 0;
  #driftDetected = false;
  #count = 0;
  readonly #detections: number[] = [];

  constructor({ windowSize = 100, delta = 0.000001 }: FhddmOptions = {}) {
    this.windowSize = option.positiveInteger(windowSize, 'windowSize');
    this.delta = option.inOpenInterval(delta, 'delta', 0, 1);
    // ε = √(ln(1/δ) / 2n), in River's order of operations so that comparisons tie the same way.
    this.epsilon = Math.sqrt(Math.log(1 / this.delta) / (2 * this.windowSize));
    this.#window = new OutcomeWindow(this.windowSize);
  }

  /** Whether the last update signalled drift. */
  get driftDetected(): boolean {
    return this.#driftDetected;
  }

  /** 0-based indices (over every outcome ever seen) where drift was signalled. */
  get detections(): readonly number[] {
    return this.#detections;
  }

  /** Number of outcomes seen in total. */
  get count(): number {
    return this.#count;
  }

  /** Share of correct outcomes in the window (however full it is); 0 before the first. */
  get accuracy(): number {
    return this.#window.length === 0 ? 0 : this.#window.ones / this.#window.length;
  }

  /** p_max: the highest full-window accuracy of the current run; 0 until the window fills. */
  get maxAccuracy(): number {
    return this.#maxAccuracy;
  }

  /** Revives an Fhddm from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`). */
  static fromJSON(state: FhddmState): Fhddm {
    const reader = new StateReader('Fhddm', state);
    const detector = reader.build(
      () =>
        new Fhddm({
          windowSize: reader.finite('windowSize'),
          delta: reader.finite('delta'),
        }),
    );
    const count = reader.integer('count');
    const detections = reader.indices('detections', count);
    const driftDetected = reader.boolean('driftDetected');
    reader.require(
      !driftDetected || detections[detections.length - 1] === count - 1,
      'driftDetected requires a detection at the last element',
    );
    detector.#window.restore(reader, 'window', count);
    const maxAccuracy = reader.finiteDouble('maxAccuracy');
    reader.require(maxAccuracy >= 0 && maxAccuracy <= 1, 'maxAccuracy must be in [0, 1]');
    detector.#maxAccuracy = maxAccuracy;
    detector.#driftDetected = driftDetected;
    detector.#count = count;
    detector.#detections.push(...detections);
    return detector;
  }

  /** The whole state as plain JSON (see {@link FhddmState}), for `Fhddm.fromJSON`. */
  toJSON(): FhddmState {
    return {
      windowSize: this.windowSize,
      delta: this.delta,
      window: this.#window.toArray(),
      maxAccuracy: toJsonNumber(this.#maxAccuracy),
      driftDetected: this.#driftDetected,
      count: this.#count,
      detections: [...this.#detections],
    };
  }

  /** Adds one outcome (1 or true = correct); returns true when drift is detected at it. */
  update(correct: number | boolean): boolean {
    const outcome = requireBinary(correct, 'Fhddm outcome');
    if (this.#driftDetected) this.#startOver();
    this.#window.push(outcome);
    if (this.#window.full) {
      const accuracy = this.#window.ones / this.windowSize;
      if (accuracy > this.#maxAccuracy) this.#maxAccuracy = accuracy;
      // Strictly greater, as River and the authors' own code test it (the paper writes ≥).
      this.#driftDetected = this.#maxAccuracy - accuracy > this.epsilon;
    }
    if (this.#driftDetected) this.#detections.push(this.#count);
    this.#count++;
    return this.#driftDetected;
  }

  #startOver(): void {
    this.#driftDetected = false;
    this.#window.clear();
    this.#maxAccuracy = 0;
  }
}
