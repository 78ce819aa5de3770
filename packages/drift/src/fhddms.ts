import { DriftError } from './errors.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { StateReader } from './state-reader.js';
import { requireBinary } from './input-checks.js';
import { option } from './errors.js';
import { OutcomeWindow } from './outcome-window.js';

export interface FhddmsOptions {
  /** Outcomes in the long window; nothing is tested until it is full. Default 100. */
  windowSize?: number;
  /** Outcomes in the short window, the newest part of the long one; ≤ `windowSize`. Default 25. */
  shortWindowSize?: number;
  /** δ in (0, 1): the false-alarm probability Hoeffding's bound allows, per window. Default 10⁻⁶. */
  delta?: number;
}

/** The plain-JSON snapshot of an {@link Fhddms} (`toJSON`, `Fhddms.fromJSON`). */
export interface FhddmsState {
  windowSize: number;
  shortWindowSize: number;
  delta: number;
  /** The last min(run, windowSize) outcomes of the current run, oldest first (1 = correct). */
  window: (0 | 1)[];
  /** Highest long-window accuracy of the run; 0 until the long window first fills. */
  maxAccuracy: JsonNumber;
  /** Highest short-window accuracy of the run; 0 until the long window first fills. */
  maxShortAccuracy: JsonNumber;
  driftDetected: boolean;
  count: number;
  detections: number[];
}

/**
 * Stacking Fast Hoeffding Drift Detection Method (FHDDMS): {@link Fhddm} run on two windows at
 * once, a long one of `windowSize` outcomes and a short one made of its newest `shortWindowSize`.
 * Outcomes are **1 (or true) = correct**, 0 = wrong. Once the long window is full, each update
 * tracks both windows' accuracies and their run maxima, and signals drift when either has fallen
 * below its maximum by more than its own Hoeffding bound √(ln(1/δ) / 2n): the short window reacts
 * to abrupt drops within a few dozen outcomes, the long one to gradual declines too small for the
 * short window's wider bound.
 *
 * After a detection it starts over with the next outcome: empty windows, both maxima 0. Same
 * semantics and arithmetic as River's `drift.binary.FHDDM(short_window_size=…)` (River's
 * `sliding_window_size`, `short_window_size`, `confidence_level` are `windowSize`,
 * `shortWindowSize`, `delta`), so detections are identical: in particular the short window is
 * only tested once the long window is full. River has no default short window (without one it is
 * plain FHDDM); ours, 25 inside 100, is the authors' (four short windows of 25 in their Tornado
 * framework).
 *
 * Options: `windowSize` (default 100), `shortWindowSize` (default 25, at most `windowSize`),
 * `delta` δ (default 10⁻⁶).
 *
 * `toJSON()` snapshots it as plain JSON ({@link FhddmsState}); `Fhddms.fromJSON` revives it to
 * continue exactly as if it had never stopped.
 *
 * @example
 * ```ts
 * // A classifier right 90% of the time, then 30% from outcome 1000 on: the short window sees it
 * // before the long one can.
 * const random = mulberry32(7);
 * const stacked = new Fhddms();
 * const plain = new Fhddm();
 * for (let i = 0; i < 2000; i++) {
 *   const correct = random() < (i < 1000 ? 0.9 : 0.3) ? 1 : 0;
 *   stacked.update(correct);
 *   plain.update(correct);
 * }
 * stacked.detections; // => [1008]
 * plain.detections; // => [1025]
 * ```
 *
 * @see A. Pesaranghader, H. L. Viktor, E. Paquet (2018), "Reservoir of Diverse Adaptive Learners
 * and Stacking Fast Hoeffding Drift Detection Methods for Evolving Data Streams", Machine Learning
 * 107, 1711–1743.
 */
export class Fhddms {
  readonly windowSize: number;
  readonly shortWindowSize: number;
  readonly delta: number;
  /** √(ln(1/δ) / 2·windowSize): how far below its maximum the long window may fall by chance. */
  readonly epsilon: number;
  /** √(ln(1/δ) / 2·shortWindowSize): the same for the short window. */
  readonly shortEpsilon: number;

  readonly #window: OutcomeWindow;
  #maxAccuracy = 0;
  #maxShortAccuracy = 0;
  #driftDetected = false;
  #count = 0;
  readonly #detections: number[] = [];

  constructor({ windowSize = 100, shortWindowSize = 25, delta = 0.000001 }: FhddmsOptions = {}) {
    this.windowSize = option.positiveInteger(windowSize, 'windowSize');
    this.shortWindowSize = option.positiveInteger(shortWindowSize, 'shortWindowSize');
    if (shortWindowSize > windowSize) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option shortWindowSize (${shortWindowSize}) must not exceed windowSize (${windowSize})`,
      );
    }
    this.delta = option.inOpenInterval(delta, 'delta', 0, 1);
    // In River's order of operations, so that comparisons tie the same way.
    this.epsilon = Math.sqrt(Math.log(1 / this.delta) / (2 * this.windowSize));
    this.shortEpsilon = Math.sqrt(Math.log(1 / this.delta) / (2 * this.shortWindowSize));
    this.#window = new OutcomeWindow(this.windowSize, this.shortWindowSize);
  }

  /** Whether the last update signalled drift (from either window). */
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

  /** Share of correct outcomes in the long window (however full it is); 0 before the first. */
  get accuracy(): number {
    return this.#window.length === 0 ? 0 : this.#window.ones / this.#window.length;
  }

  /** Share of correct outcomes among the newest min(run, shortWindowSize); 0 before the first. */
  get shortAccuracy(): number {
    const held = Math.min(this.#window.length, this.shortWindowSize);
    return held === 0 ? 0 : this.#window.tailOnes / held;
  }

  /** The highest long-window accuracy of the current run; 0 until the long window fills. */
  get maxAccuracy(): number {
    return this.#maxAccuracy;
  }

  /** The highest short-window accuracy of the current run; 0 until the long window fills. */
  get maxShortAccuracy(): number {
    return this.#maxShortAccuracy;
  }

  /** Revives an Fhddms from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`). */
  static fromJSON(state: FhddmsState): Fhddms {
    const reader = new StateReader('Fhddms', state);
    const detector = reader.build(
      () =>
        new Fhddms({
          windowSize: reader.finite('windowSize'),
          shortWindowSize: reader.finite('shortWindowSize'),
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
    const maxShortAccuracy = reader.finiteDouble('maxShortAccuracy');
    reader.require(maxAccuracy >= 0 && maxAccuracy <= 1, 'maxAccuracy must be in [0, 1]');
    reader.require(
      maxShortAccuracy >= 0 && maxShortAccuracy <= 1,
      'maxShortAccuracy must be in [0, 1]',
    );
    detector.#maxAccuracy = maxAccuracy;
    detector.#maxShortAccuracy = maxShortAccuracy;
    detector.#driftDetected = driftDetected;
    detector.#count = count;
    detector.#detections.push(...detections);
    return detector;
  }

  /** The whole state as plain JSON (see {@link FhddmsState}), for `Fhddms.fromJSON`. */
  toJSON(): FhddmsState {
    return {
      windowSize: this.windowSize,
      shortWindowSize: this.shortWindowSize,
      delta: this.delta,
      window: this.#window.toArray(),
      maxAccuracy: toJsonNumber(this.#maxAccuracy),
      maxShortAccuracy: toJsonNumber(this.#maxShortAccuracy),
      driftDetected: this.#driftDetected,
      count: this.#count,
      detections: [...this.#detections],
    };
  }

  /** Adds one outcome (1 or true = correct); returns true when drift is detected at it. */
  update(correct: number | boolean): boolean {
    const outcome = requireBinary(correct, 'Fhddms outcome');
    if (this.#driftDetected) this.#startOver();
    this.#window.push(outcome);
    // Like River, the short window waits for the long one to fill: both maxima start together.
    if (this.#window.full) {
      const accuracy = this.#window.ones / this.windowSize;
      const shortAccuracy = this.#window.tailOnes / this.shortWindowSize;
      if (accuracy > this.#maxAccuracy) this.#maxAccuracy = accuracy;
      if (shortAccuracy > this.#maxShortAccuracy) this.#maxShortAccuracy = shortAccuracy;
      // Strictly greater, as River and the authors' own code test it.
      this.#driftDetected =
        this.#maxAccuracy - accuracy > this.epsilon ||
        this.#maxShortAccuracy - shortAccuracy > this.shortEpsilon;
    }
    if (this.#driftDetected) this.#detections.push(this.#count);
    this.#count++;
    return this.#driftDetected;
  }

  #startOver(): void {
    this.#driftDetected = false;
    this.#window.clear();
    this.#maxAccuracy = 0;
    this.#maxShortAccuracy = 0;
  }
}
