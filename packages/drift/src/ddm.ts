import { DriftError } from './errors.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { StateReader } from './state-reader.js';
import { requireBinary } from './input-checks.js';
import { option } from './errors.js';

export interface DdmOptions {
  /** Elements to see (since the start or the last detection) before warning or detecting. Default 30. */
  warmStart?: number;
  /** Standard deviations above the best error rate that put the detector in warning. Default 2. */
  warningThreshold?: number;
  /** Standard deviations above the best error rate that signal drift. Default 3. */
  driftThreshold?: number;
}

/** The plain-JSON snapshot of a {@link Ddm} (`toJSON`, `Ddm.fromJSON`). */
export interface DdmState {
  warmStart: number;
  warningThreshold: number;
  driftThreshold: number;
  /** Elements of the current run (since the start or the element after the last detection). */
  runLength: number;
  errorRate: JsonNumber;
  minErrorRate: JsonNumber;
  minDeviation: JsonNumber;
  /** Lowest p + s of the run; `"Infinity"` until the warm start is over. */
  minSum: JsonNumber;
  warningDetected: boolean;
  driftDetected: boolean;
  count: number;
  detections: number[];
}

/**
 * Drift Detection Method (DDM) for a stream of classifier errors (1 = wrong, 0 = right).
 *
 * While the concept is stable a learner's error rate pᵢ should not rise. DDM tracks pᵢ and its
 * binomial standard deviation sᵢ = √(pᵢ(1 − pᵢ)/i), remembers p_min and s_min where pᵢ + sᵢ was
 * lowest, and compares each new pᵢ + sᵢ with p_min + k·s_min:
 *
 * - above k = `warningThreshold`: warning (`warningDetected`), the concept may be changing;
 * - above k = `driftThreshold`: drift (`driftDetected`), and the detector starts over with the
 *   next element as the first of a new concept.
 *
 * Neither is signalled until more than `warmStart` elements have been seen. Only increases in the
 * error rate are detected. Same semantics and defaults as River's `drift.binary.DDM`, including
 * its consequence that after a warm start without a single error (p_min = s_min = 0) the first
 * error is a drift.
 *
 * Options: `warmStart` (default 30), `warningThreshold` (default 2, about 95% confidence),
 * `driftThreshold` (default 3, about 99%); `warningThreshold` ≤ `driftThreshold`.
 *
 * `toJSON()` snapshots it as plain JSON ({@link DdmState}); `Ddm.fromJSON` revives it to continue
 * exactly as if it had never stopped.
 *
 * @example
 * ```ts
 * const random = mulberry32(3);
 * const detector = new Ddm();
 * for (let i = 0; i < 2000; i++) detector.update(random() < (i < 1000 ? 0.1 : 0.3) ? 1 : 0);
 * detector.detections; // => [1057]
 * detector.warningDetected; // => false
 * ```
 *
 * @see J. Gama, P. Medas, G. Castillo, P. Rodrigues (2004), "Learning with Drift Detection",
 * SBIA 2004, LNCS 3171, 286–295.
 */
export class Ddm {
  readonly warmStart: number;
  readonly warningThreshold: number;
  readonly driftThreshold: number;

  #runLength = 0;
  #errorRate = 0;
  #minErrorRate = 0;
  #minDeviation = 0;
  #minSum = Infinity;
  #warningDetected = false;
  #driftDetected = false;
  #count = 0;
  readonly #detections: number[] = [];

  constructor({ warmStart = 30, warningThreshold = 2, driftThreshold = 3 }: DdmOptions = {}) {
    this.warmStart = option.nonNegativeInteger(warmStart, 'warmStart');
    this.warningThreshold = positive(warningThreshold, 'warningThreshold');
    this.driftThreshold = positive(driftThreshold, 'driftThreshold');
    if (warningThreshold > driftThreshold) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option warningThreshold (${warningThreshold}) must not exceed driftThreshold (${driftThreshold})`,
      );
    }
  }

  /** Whether the last update signalled drift. */
  get driftDetected(): boolean {
    return this.#driftDetected;
  }

  /** Whether the detector is in the warning zone after the last update (never while drifting). */
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
    return this.#errorRate;
  }

  /** Revives a Ddm from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`). */
  static fromJSON(state: DdmState): Ddm {
    const reader = new StateReader('Ddm', state);
    const detector = reader.build(
      () =>
        new Ddm({
          warmStart: reader.finite('warmStart'),
          warningThreshold: reader.finite('warningThreshold'),
          driftThreshold: reader.finite('driftThreshold'),
        }),
    );
    const count = reader.integer('count');
    const runLength = reader.integer('runLength', 0, count);
    const detections = reader.indices('detections', count);
    const driftDetected = reader.boolean('driftDetected');
    const warningDetected = reader.boolean('warningDetected');
    reader.require(
      !driftDetected || detections[detections.length - 1] === count - 1,
      'driftDetected requires a detection at the last element',
    );
    reader.require(!(driftDetected && warningDetected), 'drift and warning exclude each other');
    detector.#runLength = runLength;
    detector.#errorRate = reader.double('errorRate');
    detector.#minErrorRate = reader.double('minErrorRate');
    detector.#minDeviation = reader.double('minDeviation');
    detector.#minSum = reader.double('minSum');
    detector.#warningDetected = warningDetected;
    detector.#driftDetected = driftDetected;
    detector.#count = count;
    detector.#detections.push(...detections);
    return detector;
  }

  /** The whole state as plain JSON (see {@link DdmState}), for `Ddm.fromJSON`. */
  toJSON(): DdmState {
    return {
      warmStart: this.warmStart,
      warningThreshold: this.warningThreshold,
      driftThreshold: this.driftThreshold,
      runLength: this.#runLength,
      errorRate: toJsonNumber(this.#errorRate),
      minErrorRate: toJsonNumber(this.#minErrorRate),
      minDeviation: toJsonNumber(this.#minDeviation),
      minSum: toJsonNumber(this.#minSum),
      warningDetected: this.#warningDetected,
      driftDetected: this.#driftDetected,
      count: this.#count,
      detections: [...this.#detections],
    };
  }

  /** Adds one outcome (1 or true = error); returns true when drift is detected at it. */
  update(error: number | boolean): boolean {
    const x = requireBinary(error, 'Ddm error');
    if (this.#driftDetected) this.#startOver();
    this.#runLength++;
    // Multiplying by 1/n (rather than dividing by n) rounds exactly as River's running mean does,
    // which keeps golden detections identical at the thresholds.
    this.#errorRate += (1 / this.#runLength) * (x - this.#errorRate);
    const p = this.#errorRate;
    const s = Math.sqrt((p * (1 - p)) / this.#runLength);
    const level = p + s;

    if (this.#runLength > this.warmStart) {
      if (level <= this.#minSum) {
        this.#minErrorRate = p;
        this.#minDeviation = s;
        this.#minSum = level;
      }
      this.#warningDetected =
        level > this.#minErrorRate + this.warningThreshold * this.#minDeviation;
      this.#driftDetected = level > this.#minErrorRate + this.driftThreshold * this.#minDeviation;
    }

    if (this.#driftDetected) {
      this.#warningDetected = false;
      this.#detections.push(this.#count);
    }
    this.#count++;
    return this.#driftDetected;
  }

  #startOver(): void {
    this.#driftDetected = false;
    this.#runLength = 0;
    this.#errorRate = 0;
    this.#minErrorRate = 0;
    this.#minDeviation = 0;
    this.#minSum = Infinity;
  }
}

function positive(value: number, name: string): number {
  option.finite(value, name);
  if (value <= 0) {
    throw new DriftError('DW_DRIFT_INVALID_OPTION', `option ${name} must be > 0, got ${value}`);
  }
  return value;
}
