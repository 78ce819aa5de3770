import { DriftError } from './errors.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { StateReader } from './state-reader.js';
import { requireBinary } from './input-checks.js';
import { option } from './errors.js';

export interface HddmAOptions {
  /** α_D in (0, 1): confidence of the drift test (and of the cut points). Default 0.001. */
  driftConfidence?: number;
  /** α_W in [driftConfidence, 1): confidence of the warning test. Default 0.005. */
  warningConfidence?: number;
  /** Also detect falls in the error rate, not only rises. Default false. */
  twoSided?: boolean;
}

/** A prefix of the run: its length and its mean error rate. */
export interface HddmAPrefix {
  n: number;
  mean: JsonNumber;
}

/** The plain-JSON snapshot of an {@link HddmA} (`toJSON`, `HddmA.fromJSON`). */
export interface HddmAState {
  driftConfidence: number;
  warningConfidence: number;
  twoSided: boolean;
  /** The whole run (since the start or the element after the last detection). */
  run: HddmAPrefix;
  /** The prefix of the run a rise is measured from (lowest mean + bound); n 0 before the run. */
  increaseCut: HddmAPrefix;
  /** The prefix of the run a fall is measured from (highest mean − bound); n 0 before the run. */
  decreaseCut: HddmAPrefix;
  warningDetected: boolean;
  driftDetected: boolean;
  count: number;
  detections: number[];
}

/**
 * HDDM_A, drift detection with Hoeffding's bounds on moving averages (the "A-test"), for a stream
 * of classifier errors (1 or true = wrong, 0 = right), as `Ddm` takes them.
 *
 * It keeps the error rate Ẑ of the whole run and a cut point: the prefix of the run whose mean X̂
 * plus its Hoeffding bound ε = √(ln(1/α_D) / 2n) was lowest (the point where the error rate was
 * at its best, allowing for how few outcomes it rested on). It then tests whether the outcomes
 * since the cut have raised the mean by more than chance allows:
 *
 *   Ẑ − X̂ ≥ √(m/2 · ln(2/α)),   m = (n_Z − n_X) / (n_X · n_Z)
 *
 * with α = `driftConfidence` for drift (`driftDetected`; the detector starts over with the next
 * element) and α = `warningConfidence` for a warning (`warningDetected`). Two-sided, a second cut
 * point at the highest mean minus its bound detects falls the same way.
 *
 * No warm start: the bounds are wide while the run is short. Same semantics, defaults and
 * arithmetic as River's `drift.binary.HDDMA` (`drift_confidence`, `warning_confidence`,
 * `two_sided_test`), itself from MOA's `HDDM_A_Test`, so detections and warnings are identical;
 * like them, a two-sided detector can report a warning for a rise in the update it signals drift
 * for a fall. We refuse a `warningConfidence` below `driftConfidence` (River accepts it and then
 * never warns).
 *
 * Options: `driftConfidence` (default 0.001), `warningConfidence` (default 0.005), `twoSided`
 * (default false).
 *
 * `toJSON()` snapshots it as plain JSON ({@link HddmAState}); `HddmA.fromJSON` revives it to
 * continue exactly as if it had never stopped.
 *
 * @example
 * ```ts
 * const random = mulberry32(3);
 * const detector = new HddmA();
 * for (let i = 0; i < 2000; i++) detector.update(random() < (i < 1000 ? 0.1 : 0.3) ? 1 : 0);
 * detector.detections; // => [1010]
 * detector.count; // => 2000
 * ```
 *
 * @see I. Frías-Blanco, J. del Campo-Ávila, G. Ramos-Jiménez, R. Morales-Bueno, A. Ortiz-Díaz,
 * Y. Caballero-Mota (2015), "Online and Non-Parametric Drift Detection Methods Based on
 * Hoeffding's Bounds", IEEE Transactions on Knowledge and Data Engineering 27(3), 810–823.
 */
export class HddmA {
  readonly driftConfidence: number;
  readonly warningConfidence: number;
  readonly twoSided: boolean;

  /** ln(1/α_D), ln(2/α_D), ln(2/α_W): constants of every bound, computed once. */
  readonly #cutLog: number;
  readonly #driftLog: number;
  readonly #warningLog: number;

  readonly #run = new Prefix();
  readonly #increaseCut = new Prefix();
  readonly #decreaseCut = new Prefix();
  #warningDetected = false;
  #driftDetected = false;
  #count = 0;
  readonly #detections: number[] = [];

  constructor({
    driftConfidence = 0.001,
    warningConfidence = 0.005,
    twoSided = false,
  }: HddmAOptions = {}) {
    this.driftConfidence = option.inOpenInterval(driftConfidence, 'driftConfidence', 0, 1);
    this.warningConfidence = option.inOpenInterval(warningConfidence, 'warningConfidence', 0, 1);
    // A smaller α is a stricter test; a warning stricter than drift could never be seen, since
    // drift is tested first.
    if (warningConfidence < driftConfidence) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option warningConfidence (${warningConfidence}) must not be below driftConfidence (${driftConfidence})`,
      );
    }
    if (typeof twoSided !== 'boolean') {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option twoSided must be a boolean, got ${String(twoSided)}`,
      );
    }
    this.twoSided = twoSided;
    this.#cutLog = Math.log(1 / this.driftConfidence);
    this.#driftLog = Math.log(2 / this.driftConfidence);
    this.#warningLog = Math.log(2 / this.warningConfidence);
  }

  /** Whether the last update signalled drift. */
  get driftDetected(): boolean {
    return this.#driftDetected;
  }

  /** Whether the last update is in the warning zone (one-sided: never while drifting). */
  get warningDetected(): boolean {
    return this.#warningDetected;
  }

  /** 0-based indices (over every element ever seen) where drift was signalled. */
  get detections(): readonly number[] {
    return this.#detections;
  }

  /** Number of elements seen in total. */
  get count(): number {
    return this.#count;
  }

  /** Error rate of the current run (since the start or the element after the last detection). */
  get errorRate(): number {
    return this.#run.mean;
  }

  /** Revives an HddmA from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`). */
  static fromJSON(state: HddmAState): HddmA {
    const reader = new StateReader('HddmA', state);
    const detector = reader.build(
      () =>
        new HddmA({
          driftConfidence: reader.finite('driftConfidence'),
          warningConfidence: reader.finite('warningConfidence'),
          twoSided: reader.boolean('twoSided'),
        }),
    );
    const count = reader.integer('count');
    const detections = reader.indices('detections', count);
    const driftDetected = reader.boolean('driftDetected');
    const warningDetected = reader.boolean('warningDetected');
    reader.require(
      !driftDetected || detections[detections.length - 1] === count - 1,
      'driftDetected requires a detection at the last element',
    );
    reader.require(
      detector.twoSided || !(driftDetected && warningDetected),
      'drift and warning exclude each other in a one-sided detector',
    );
    detector.#run.read(reader.object('run'), count);
    const runLength = detector.#run.n;
    detector.#increaseCut.read(reader.object('increaseCut'), runLength);
    detector.#decreaseCut.read(reader.object('decreaseCut'), runLength);
    reader.require(
      (detector.#increaseCut.n === 0) === (runLength === 0) &&
        (detector.#decreaseCut.n === 0) === (runLength === 0),
      'the cut points are empty exactly when the run is',
    );
    detector.#warningDetected = warningDetected;
    detector.#driftDetected = driftDetected;
    detector.#count = count;
    detector.#detections.push(...detections);
    return detector;
  }

  /** The whole state as plain JSON (see {@link HddmAState}), for `HddmA.fromJSON`. */
  toJSON(): HddmAState {
    return {
      driftConfidence: this.driftConfidence,
      warningConfidence: this.warningConfidence,
      twoSided: this.twoSided,
      run: this.#run.toJSON(),
      increaseCut: this.#increaseCut.toJSON(),
      decreaseCut: this.#decreaseCut.toJSON(),
      warningDetected: this.#warningDetected,
      driftDetected: this.#driftDetected,
      count: this.#count,
      detections: [...this.#detections],
    };
  }

  /** Adds one outcome (1 or true = error); returns true when drift is detected at it. */
  update(error: number | boolean): boolean {
    const x = requireBinary(error, 'HddmA error');
    if (this.#driftDetected) this.#startOver();
    const run = this.#run;
    run.add(x);
    // The run's first element is the first cut point of both kinds.
    if (this.#increaseCut.n === 0) this.#increaseCut.copy(run);
    if (this.#decreaseCut.n === 0) this.#decreaseCut.copy(run);

    // A cut point moves to the whole run when the run's mean, allowing for its bound, is at least
    // as good a baseline (lower for rises, higher for falls). Both use α_D, as River and MOA do.
    const runBound = this.#cutBound(run.n);
    if (this.#increaseCut.mean + this.#cutBound(this.#increaseCut.n) >= run.mean + runBound) {
      this.#increaseCut.copy(run);
    }
    if (this.#decreaseCut.mean - this.#cutBound(this.#decreaseCut.n) <= run.mean - runBound) {
      this.#decreaseCut.copy(run);
    }

    if (this.#changed(this.#increaseCut, this.#driftLog, 1)) {
      this.#driftDetected = true;
      this.#warningDetected = false;
    } else {
      this.#driftDetected = false;
      this.#warningDetected = this.#changed(this.#increaseCut, this.#warningLog, 1);
    }
    // River (after MOA) tests a fall after a rise without clearing the rise's warning.
    if (this.twoSided) {
      if (this.#changed(this.#decreaseCut, this.#driftLog, -1)) this.#driftDetected = true;
      else if (this.#changed(this.#decreaseCut, this.#warningLog, -1)) {
        this.#warningDetected = true;
      }
    }

    if (this.#driftDetected) this.#detections.push(this.#count);
    this.#count++;
    return this.#driftDetected;
  }

  /** √(1/2n · ln(1/α_D)), Hoeffding's bound on the mean of n elements in [0, 1]. */
  #cutBound(n: number): number {
    return Math.sqrt((1 / (2 * n)) * this.#cutLog);
  }

  /**
   * The A-test: has the run's mean moved away from the cut's (up for direction 1, down for −1) by
   * at least √(m/2 · ln(2/α))? Never while the cut is the whole run.
   */
  #changed(cut: Prefix, log: number, direction: 1 | -1): boolean {
    const run = this.#run;
    if (cut.n === run.n) return false;
    const m = ((run.n - cut.n) / cut.n) * (1 / run.n);
    const bound = Math.sqrt((m / 2) * log);
    return direction * (run.mean - cut.mean) >= bound;
  }

  #startOver(): void {
    this.#run.clear();
    this.#increaseCut.clear();
    this.#decreaseCut.clear();
    this.#driftDetected = false;
    this.#warningDetected = false;
  }
}

/** A running mean of the run's first n elements (River's `stats.Mean`, same rounding). */
class Prefix {
  n = 0;
  mean = 0;

  add(x: number): void {
    this.n++;
    this.mean += (1 / this.n) * (x - this.mean);
  }

  copy(other: Prefix): void {
    this.n = other.n;
    this.mean = other.mean;
  }

  clear(): void {
    this.n = 0;
    this.mean = 0;
  }

  toJSON(): HddmAPrefix {
    return { n: this.n, mean: toJsonNumber(this.mean) };
  }

  /** Reads a snapshot's prefix of at most `most` elements; its mean is an error rate in [0, 1]. */
  read(reader: StateReader, most: number): void {
    const n = reader.integer('n', 0, most);
    const mean = reader.finiteDouble('mean');
    reader.require(mean >= 0 && mean <= 1, `${reader.name('mean')} must be in [0, 1]`);
    this.n = n;
    this.mean = mean;
  }
}
