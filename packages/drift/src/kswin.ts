import { DriftError } from './errors.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { ksTwoSample } from './ks-two-sample.js';
import { mulberry32, mulberry32State, type Random } from './random.js';
import { StateReader } from './state-reader.js';
import { requireFinite } from './input-checks.js';
import { option } from './errors.js';

/**
 * Chooses which elements of the older part of the window form the reference sample: `sampleSize`
 * distinct positions in `[0, populationSize)`, 0 being the oldest element of the window.
 */
export type WindowSampler = (populationSize: number, sampleSize: number) => ArrayLike<number>;

export interface KswinOptions {
  /** α in (0, 1): p-value at or below which the KS test signals drift. Default 0.005. */
  alpha?: number;
  /** n: elements in the sliding window. Default 100; at least 2·`statSize`. */
  windowSize?: number;
  /** r: size of the recent sample and of the reference sample. Default 30. */
  statSize?: number;
  /** Seed of the default `random`. Default 42. */
  seed?: number;
  /** Source of the reference sampling. Default `mulberry32(seed)`. */
  random?: Random;
  /** Picks the reference positions. Default: uniform without replacement, driven by `random`. */
  sampler?: WindowSampler;
  /** Elements to start the window with (the last `windowSize` are kept), to avoid a cold start. */
  initialWindow?: Iterable<number>;
}

/**
 * Where a {@link Kswin}'s reference sampling stands, as far as a snapshot can say:
 * - `uniform`: the built-in sampler. `permutation` is its scratch permutation (empty before the
 *   first test), which later draws depend on; `random` is the state of its generator when
 *   `mulberry32` made it (the default, `mulberry32(seed)`), else `null`: an injected generator
 *   cannot be saved, so `Kswin.fromJSON` must then be given one positioned where this one is.
 * - `injected`: a `sampler` option, whose state is its own: `Kswin.fromJSON` must be given it.
 */
export type KswinSamplerState =
  { kind: 'uniform'; random: number | null; permutation: number[] } | { kind: 'injected' };

/** The plain-JSON snapshot of a {@link Kswin} (`toJSON`, `Kswin.fromJSON`). */
export interface KswinState {
  alpha: number;
  windowSize: number;
  statSize: number;
  /** The window's elements, oldest first (fewer than `windowSize` while it fills). */
  window: JsonNumber[];
  /** The last test's statistic and p-value; `null` before the first test. */
  statistic: JsonNumber | null;
  pValue: JsonNumber | null;
  driftDetected: boolean;
  count: number;
  detections: number[];
  sampler: KswinSamplerState;
}

/** What `Kswin.fromJSON` cannot read from a snapshot whose sampling was injected. */
export interface KswinResume {
  /** The injected `random`, positioned where the snapshotted detector's was (`random: null`). */
  random?: Random;
  /** The injected `sampler`, in the state the snapshotted detector left it (`kind: 'injected'`). */
  sampler?: WindowSampler;
}

/** River only signals drift when the KS statistic also exceeds this, whatever the p-value. */
const MIN_STATISTIC = 0.1;

/**
 * Kolmogorov–Smirnov Windowing (KSWIN): a distribution-free detector for real-valued streams.
 *
 * It keeps the last n = `windowSize` elements. Once the window is full, every update compares
 * the r = `statSize` most recent elements with r elements drawn without replacement from the
 * n − r older ones, using the two-sample Kolmogorov–Smirnov test (`ksTwoSample`, whose p-value is
 * the one scipy's `ks_2samp` gives River). Drift is signalled when the p-value is at most
 * α = `alpha` and the statistic exceeds 0.1; the window is then emptied and refills from the next
 * element. Same semantics and defaults as River's `drift.KSWIN`, except that the sampler is ours
 * (seeded `mulberry32`, not re-seeded after a detection): inject `sampler` to replay another's
 * draws.
 *
 * Options: `alpha` (default 0.005), `windowSize` (default 100, at least 2·`statSize`), `statSize`
 * (default 30), `seed` (default 42), `random` (default `mulberry32(seed)`), `sampler` (default
 * uniform without replacement) and `initialWindow` (default empty). A test runs at every element,
 * so false alarms add up on long streams: lower `alpha` for long stationary ones.
 *
 * `toJSON()` snapshots it as plain JSON ({@link KswinState}), the default sampler's generator and
 * scratch permutation included; `Kswin.fromJSON` revives it to continue exactly as if it had never
 * stopped. An injected `random` (unless `mulberry32` made it) or `sampler` is not in the snapshot:
 * pass it to `fromJSON`, in the state the detector left it.
 *
 * @example
 * ```ts
 * const random = mulberry32(5);
 * const detector = new Kswin({ alpha: 0.0001, seed: 1 });
 * for (let i = 0; i < 1000; i++) detector.update(random() + (i < 500 ? 0 : 0.5));
 * detector.detections; // => [514]
 * detector.count; // => 1000
 * const revived = Kswin.fromJSON(JSON.parse(JSON.stringify(detector)));
 * revived.update(0.5) === detector.update(0.5); // => true
 * revived.pValue === detector.pValue; // => true
 * ```
 *
 * @see C. Raab, M. Heusinger, F.-M. Schleif (2020), "Reactive Soft Prototype Computing for
 * Concept Drift Streams", Neurocomputing 416, 340–351.
 */
export class Kswin {
  readonly alpha: number;
  readonly windowSize: number;
  readonly statSize: number;

  /** The built-in sampler, or undefined when one was injected. */
  readonly #uniform: UniformSampler | undefined;
  readonly #sampler: WindowSampler;
  /** Ring buffer; `#oldest` is the position of the oldest of `#length` elements. */
  readonly #window: Float64Array;
  #oldest = 0;
  #length = 0;
  readonly #reference: Float64Array;
  readonly #recent: Float64Array;
  #statistic: number | undefined;
  #pValue: number | undefined;
  #driftDetected = false;
  #count = 0;
  readonly #detections: number[] = [];

  constructor({
    alpha = 0.005,
    windowSize = 100,
    statSize = 30,
    seed = 42,
    random,
    sampler,
    initialWindow,
  }: KswinOptions = {}) {
    this.alpha = option.inOpenInterval(alpha, 'alpha', 0, 1);
    this.statSize = option.positiveInteger(statSize, 'statSize');
    this.windowSize = option.positiveInteger(windowSize, 'windowSize');
    if (windowSize < 2 * statSize) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option windowSize must be at least 2 * statSize (${2 * statSize}) to draw the reference sample, got ${windowSize}`,
      );
    }
    option.nonNegativeInteger(seed, 'seed');
    if (sampler) {
      this.#uniform = undefined;
      this.#sampler = sampler;
    } else {
      const uniform = new UniformSampler(random ?? mulberry32(seed));
      this.#uniform = uniform;
      this.#sampler = (populationSize, sampleSize) => uniform.draw(populationSize, sampleSize);
    }
    this.#window = new Float64Array(windowSize);
    this.#reference = new Float64Array(statSize);
    this.#recent = new Float64Array(statSize);
    for (const value of initialWindow ?? []) {
      this.#push(option.finite(value, 'initialWindow element'));
    }
  }

  /** Whether the last update signalled drift. */
  get driftDetected(): boolean {
    return this.#driftDetected;
  }

  /** 0-based indices (over every element ever seen) where drift was signalled. */
  get detections(): readonly number[] {
    return this.#detections;
  }

  /** Number of elements seen in total (`initialWindow` not included). */
  get count(): number {
    return this.#count;
  }

  /** KS statistic of the last test; undefined until the window first fills. */
  get statistic(): number | undefined {
    return this.#statistic;
  }

  /** p-value of the last test; undefined until the window first fills. */
  get pValue(): number | undefined {
    return this.#pValue;
  }

  /**
   * Revives a Kswin from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`). A snapshot
   * whose sampling was injected (see {@link KswinSamplerState}) needs it back in `resume`; any
   * other refuses it (`DW_DRIFT_INVALID_OPTION`), since it carries its own.
   */
  static fromJSON(state: KswinState, resume: KswinResume = {}): Kswin {
    const reader = new StateReader('Kswin', state);
    const sampling = reader.object('sampler');
    const kind = sampling.oneOf('kind', ['uniform', 'injected'] as const);
    const randomSaved = kind === 'uniform' && sampling.raw('random') !== null;
    if (kind === 'injected' && !resume.sampler) {
      throw resumeMismatch(
        'missing sampler: the snapshotted Kswin had an injected one, which a snapshot cannot hold; pass it, in the state that Kswin left it',
      );
    }
    if (kind === 'uniform' && resume.sampler) {
      throw resumeMismatch('unexpected sampler: the snapshotted Kswin used the built-in one');
    }
    if (kind === 'uniform' && !randomSaved && !resume.random) {
      throw resumeMismatch(
        "missing random: the snapshotted Kswin had an injected one, which a snapshot cannot hold; pass it, positioned where that Kswin's was",
      );
    }
    if ((kind === 'injected' || randomSaved) && resume.random) {
      throw resumeMismatch(
        `unexpected random: the snapshotted Kswin ${kind === 'injected' ? 'had an injected sampler' : 'carries its generator'}`,
      );
    }
    const random = randomSaved
      ? mulberry32(sampling.integer('random', 0, 0xffffffff))
      : resume.random;
    const detector = reader.build(
      () =>
        new Kswin({
          alpha: reader.finite('alpha'),
          windowSize: reader.finite('windowSize'),
          statSize: reader.finite('statSize'),
          ...(random === undefined ? {} : { random }),
          ...(resume.sampler === undefined ? {} : { sampler: resume.sampler }),
        }),
    );
    if (detector.#uniform) {
      const permutation = sampling.integers('permutation');
      const populationSize = detector.windowSize - detector.statSize;
      reader.require(
        permutation.length === 0 ||
          (permutation.length === populationSize &&
            new Set(permutation).size === populationSize &&
            permutation.every((position) => position < populationSize)),
        `sampler.permutation must be empty or a permutation of 0 … ${populationSize - 1}`,
      );
      detector.#uniform.permutation = Int32Array.from(permutation);
    }
    const window = reader.doubles('window', true);
    reader.require(
      window.length <= detector.windowSize,
      `window must hold at most windowSize (${detector.windowSize}) elements, got ${window.length}`,
    );
    const statistic = reader.nullableDouble('statistic');
    const pValue = reader.nullableDouble('pValue');
    reader.require(
      (statistic === null) === (pValue === null),
      'statistic and pValue must both be null (no test yet) or both numbers',
    );
    const count = reader.integer('count');
    const detections = reader.indices('detections', count);
    const driftDetected = reader.boolean('driftDetected');
    reader.require(
      !driftDetected ||
        (detections[detections.length - 1] === count - 1 && window.length === detector.windowSize),
      'driftDetected requires a detection at the last element, with a full window',
    );
    detector.#window.set(window);
    detector.#length = window.length;
    detector.#statistic = statistic ?? undefined;
    detector.#pValue = pValue ?? undefined;
    detector.#driftDetected = driftDetected;
    detector.#count = count;
    detector.#detections.push(...detections);
    return detector;
  }

  /** The whole state as plain JSON (see {@link KswinState}), for `Kswin.fromJSON`. */
  toJSON(): KswinState {
    const window: JsonNumber[] = [];
    for (let position = 0; position < this.#length; position++) {
      window.push(toJsonNumber(this.#at(position)));
    }
    return {
      alpha: this.alpha,
      windowSize: this.windowSize,
      statSize: this.statSize,
      window,
      statistic: this.#statistic === undefined ? null : toJsonNumber(this.#statistic),
      pValue: this.#pValue === undefined ? null : toJsonNumber(this.#pValue),
      driftDetected: this.#driftDetected,
      count: this.#count,
      detections: [...this.#detections],
      sampler: this.#uniform
        ? {
            kind: 'uniform',
            random: mulberry32State(this.#uniform.random) ?? null,
            permutation: Array.from(this.#uniform.permutation),
          }
        : { kind: 'injected' },
    };
  }

  /** Adds one element; returns true when drift is detected at it. */
  update(value: number): boolean {
    requireFinite(value, 'Kswin value');
    if (this.#driftDetected) {
      // River empties the window once it has signalled; the next element starts a new one.
      this.#oldest = 0;
      this.#length = 0;
    }
    this.#push(value);
    this.#driftDetected = this.#length === this.windowSize && this.#test();
    if (this.#driftDetected) this.#detections.push(this.#count);
    this.#count++;
    return this.#driftDetected;
  }

  #push(value: number): void {
    if (this.#length < this.windowSize) {
      this.#window[(this.#oldest + this.#length) % this.windowSize] = value;
      this.#length++;
    } else {
      this.#window[this.#oldest] = value;
      this.#oldest = (this.#oldest + 1) % this.windowSize;
    }
  }

  #at(position: number): number {
    return this.#window[(this.#oldest + position) % this.windowSize] as number;
  }

  /** Runs one KS test of the full window; returns whether it signals drift. */
  #test(): boolean {
    const populationSize = this.windowSize - this.statSize;
    const positions = this.#sampler(populationSize, this.statSize);
    if (positions.length !== this.statSize) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `sampler returned ${positions.length} positions, expected ${this.statSize}`,
      );
    }
    for (let i = 0; i < this.statSize; i++) {
      const position = positions[i] as number;
      if (!Number.isInteger(position) || position < 0 || position >= populationSize) {
        throw new DriftError(
          'DW_DRIFT_INVALID_OPTION',
          `sampler returned position ${position}, outside [0, ${populationSize})`,
        );
      }
      this.#reference[i] = this.#at(position);
      this.#recent[i] = this.#at(populationSize + i);
    }
    const { statistic, pValue } = ksTwoSample(this.#reference, this.#recent);
    this.#statistic = statistic;
    this.#pValue = pValue;
    return this.#pValue <= this.alpha && this.#statistic > MIN_STATISTIC;
  }
}

/** A `fromJSON` call that does not match how the snapshotted Kswin sampled. */
function resumeMismatch(reason: string): DriftError {
  return new DriftError('DW_DRIFT_INVALID_OPTION', `Kswin.fromJSON: ${reason}`);
}

/**
 * The default sampler: a partial Fisher–Yates shuffle. The scratch permutation is not reset
 * between draws: shuffling any fixed arrangement with fresh randomness still yields a uniform
 * subset, so each draw costs O(sampleSize) rather than O(populationSize). It is state, though:
 * later draws depend on it, so a snapshot carries it.
 */
class UniformSampler {
  readonly random: Random;
  permutation = new Int32Array(0);

  constructor(random: Random) {
    this.random = random;
  }

  draw(populationSize: number, sampleSize: number): Int32Array {
    let permutation = this.permutation;
    if (permutation.length !== populationSize) {
      permutation = this.permutation = Int32Array.from({ length: populationSize }, (_, i) => i);
    }
    for (let i = 0; i < sampleSize; i++) {
      const j = i + Math.floor(this.random() * (populationSize - i));
      const chosen = permutation[j] as number;
      permutation[j] = permutation[i] as number;
      permutation[i] = chosen;
    }
    return permutation.subarray(0, sampleSize);
  }
}
