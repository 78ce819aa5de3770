import { DriftError } from './errors.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { StateReader } from './state-reader.js';
import { requireFinite } from './input-checks.js';
import { option } from './errors.js';

/** Which direction of change in the mean to watch for. */
export type PageHinkleyMode = 'up' | 'down' | 'both';

export interface PageHinkleyOptions {
  /** Elements to see (since the start or the last detection) before testing. Default 30. */
  minInstances?: number;
  /** δ ≥ 0: the magnitude of change tolerated without signalling. Default 0.005. */
  delta?: number;
  /** λ > 0: how far the cumulative deviation may move before a change is signalled. Default 50. */
  threshold?: number;
  /** α in (0, 1]: fading factor applied to the cumulative sums. Default 0.9999 (1 − 10⁻⁴). */
  alpha?: number;
  /** Watch increases (`'up'`), decreases (`'down'`) or both. Default `'both'`. */
  mode?: PageHinkleyMode;
}

const modes: readonly PageHinkleyMode[] = ['up', 'down', 'both'];

/** The plain-JSON snapshot of a {@link PageHinkley} (`toJSON`, `PageHinkley.fromJSON`). */
export interface PageHinkleyState {
  minInstances: number;
  delta: number;
  threshold: number;
  alpha: number;
  mode: PageHinkleyMode;
  /** Elements of the current run (since the start or the element after the last detection). */
  runLength: number;
  mean: JsonNumber;
  sumUp: JsonNumber;
  sumDown: JsonNumber;
  /** `"Infinity"` until the run's first element. */
  minSumUp: JsonNumber;
  /** `"-Infinity"` until the run's first element. */
  maxSumDown: JsonNumber;
  driftDetected: boolean;
  count: number;
  detections: number[];
}

/**
 * Page-Hinkley test for a change in the mean of a real-valued stream.
 *
 * With x̄ₜ the running mean of the elements seen so far (x̄ includes xₜ), it keeps two faded
 * cumulative sums of deviations from that mean, one biased down and one up by δ:
 *
 *   Uₜ = α·Uₜ₋₁ + (xₜ − x̄ₜ) − δ        Lₜ = α·Lₜ₋₁ + (xₜ − x̄ₜ) + δ
 *
 * An increase is signalled when Uₜ − minₛ Uₛ > λ, a decrease when maxₛ Lₛ − Lₜ > λ, once at least
 * `minInstances` elements have been seen. After a detection the detector starts over: the mean,
 * the sums and their extremes are forgotten, and the next element is the first of a new run.
 * Same semantics and defaults as River's `drift.PageHinkley`.
 *
 * Options: `minInstances` (default 30), `delta` δ (default 0.005), `threshold` λ (default 50),
 * `alpha` α (default 0.9999), `mode` (default `'both'`). λ is in the units of the stream, so
 * scale it with the stream's spread.
 *
 * `toJSON()` snapshots it as plain JSON ({@link PageHinkleyState}); `PageHinkley.fromJSON`
 * revives it to continue exactly as if it had never stopped.
 *
 * @example
 * ```ts
 * const random = mulberry32(7);
 * const detector = new PageHinkley();
 * for (let i = 0; i < 2000; i++) detector.update(random() + (i < 1000 ? 0 : 1));
 * detector.detections; // => [1050]
 * detector.count; // => 2000
 * ```
 *
 * @see E. S. Page (1954), "Continuous Inspection Schemes", Biometrika 41(1/2), 100–115.
 * @see H. Mouss, D. Mouss, N. Mouss, L. Sefouhi (2004), "Test of Page-Hinckley, an approach for
 * fault detection in an agro-alimentary production system", Asian Control Conference.
 */
export class PageHinkley {
  readonly minInstances: number;
  readonly delta: number;
  readonly threshold: number;
  readonly alpha: number;
  readonly mode: PageHinkleyMode;

  #runLength = 0;
  #mean = 0;
  #sumUp = 0;
  #sumDown = 0;
  #minSumUp = Infinity;
  #maxSumDown = -Infinity;
  #driftDetected = false;
  #count = 0;
  readonly #detections: number[] = [];

  constructor({
    minInstances = 30,
    delta = 0.005,
    threshold = 50,
    alpha = 1 - 0.0001,
    mode = 'both',
  }: PageHinkleyOptions = {}) {
    this.minInstances = option.nonNegativeInteger(minInstances, 'minInstances');
    this.delta = option.finite(delta, 'delta');
    if (delta < 0) {
      throw new DriftError('DW_DRIFT_INVALID_OPTION', `option delta must be >= 0, got ${delta}`);
    }
    this.threshold = option.finite(threshold, 'threshold');
    if (threshold <= 0) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option threshold must be > 0, got ${threshold}`,
      );
    }
    if (!(alpha > 0 && alpha <= 1)) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option alpha must be in (0, 1], got ${String(alpha)}`,
      );
    }
    this.alpha = alpha;
    if (!modes.includes(mode)) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option mode must be one of ${modes.join(', ')}, got ${mode}`,
      );
    }
    this.mode = mode;
  }

  /** Whether the last update signalled a change. */
  get driftDetected(): boolean {
    return this.#driftDetected;
  }

  /** 0-based indices (over every element ever seen) where a change was signalled. */
  get detections(): readonly number[] {
    return this.#detections;
  }

  /** Number of elements seen in total. */
  get count(): number {
    return this.#count;
  }

  /** Revives a PageHinkley from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`). */
  static fromJSON(state: PageHinkleyState): PageHinkley {
    const reader = new StateReader('PageHinkley', state);
    const detector = reader.build(
      () =>
        new PageHinkley({
          minInstances: reader.finite('minInstances'),
          delta: reader.finite('delta'),
          threshold: reader.finite('threshold'),
          alpha: reader.finite('alpha'),
          mode: reader.oneOf('mode', modes),
        }),
    );
    const count = reader.integer('count');
    const runLength = reader.integer('runLength', 0, count);
    const detections = reader.indices('detections', count);
    const driftDetected = reader.boolean('driftDetected');
    reader.require(
      !driftDetected || detections[detections.length - 1] === count - 1,
      'driftDetected requires a detection at the last element',
    );
    detector.#runLength = runLength;
    detector.#mean = reader.double('mean');
    detector.#sumUp = reader.double('sumUp');
    detector.#sumDown = reader.double('sumDown');
    detector.#minSumUp = reader.double('minSumUp');
    detector.#maxSumDown = reader.double('maxSumDown');
    detector.#driftDetected = driftDetected;
    detector.#count = count;
    detector.#detections.push(...detections);
    return detector;
  }

  /** The whole state as plain JSON (see {@link PageHinkleyState}), for `PageHinkley.fromJSON`. */
  toJSON(): PageHinkleyState {
    return {
      minInstances: this.minInstances,
      delta: this.delta,
      threshold: this.threshold,
      alpha: this.alpha,
      mode: this.mode,
      runLength: this.#runLength,
      mean: toJsonNumber(this.#mean),
      sumUp: toJsonNumber(this.#sumUp),
      sumDown: toJsonNumber(this.#sumDown),
      minSumUp: toJsonNumber(this.#minSumUp),
      maxSumDown: toJsonNumber(this.#maxSumDown),
      driftDetected: this.#driftDetected,
      count: this.#count,
      detections: [...this.#detections],
    };
  }

  /** Adds one element; returns true when a change is detected at it. */
  update(value: number): boolean {
    requireFinite(value, 'PageHinkley value');
    if (this.#driftDetected) this.#startOver();
    this.#runLength++;
    // Multiplying by 1/n (rather than dividing by n) rounds exactly as River's running mean does,
    // which keeps golden detections identical at the threshold.
    this.#mean += (1 / this.#runLength) * (value - this.#mean);
    const deviation = value - this.#mean;
    this.#sumUp = this.alpha * this.#sumUp + deviation - this.delta;
    this.#sumDown = this.alpha * this.#sumDown + deviation + this.delta;
    this.#minSumUp = Math.min(this.#minSumUp, this.#sumUp);
    this.#maxSumDown = Math.max(this.#maxSumDown, this.#sumDown);

    this.#driftDetected = this.#runLength >= this.minInstances && this.#changed();
    if (this.#driftDetected) this.#detections.push(this.#count);
    this.#count++;
    return this.#driftDetected;
  }

  #changed(): boolean {
    const increase = this.#sumUp - this.#minSumUp > this.threshold;
    const decrease = this.#maxSumDown - this.#sumDown > this.threshold;
    if (this.mode === 'up') return increase;
    if (this.mode === 'down') return decrease;
    return increase || decrease;
  }

  #startOver(): void {
    this.#runLength = 0;
    this.#mean = 0;
    this.#sumUp = 0;
    this.#sumDown = 0;
    this.#minSumUp = Infinity;
    this.#maxSumDown = -Infinity;
  }
}
