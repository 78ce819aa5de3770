import { DriftError } from './errors.js';
import { ksTwoSample } from './ks-two-sample.js';
import { mulberry32, type Random } from './random.js';
import {
  optionFinite,
  optionInOpenInterval,
  optionNonNegativeInteger,
  optionPositiveInteger,
  requireFinite,
} from './validate.js';

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
 * @example
 * ```ts
 * const random = mulberry32(5);
 * const detector = new Kswin({ alpha: 0.0001, seed: 1 });
 * for (let i = 0; i < 1000; i++) detector.update(random() + (i < 500 ? 0 : 0.5));
 * detector.detections; // => [514]
 * detector.count; // => 1000
 * ```
 *
 * @see C. Raab, M. Heusinger, F.-M. Schleif (2020), "Reactive Soft Prototype Computing for
 * Concept Drift Streams", Neurocomputing 416, 340–351.
 */
export class Kswin {
  readonly alpha: number;
  readonly windowSize: number;
  readonly statSize: number;

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
    this.alpha = optionInOpenInterval(alpha, 'alpha', 0, 1);
    this.statSize = optionPositiveInteger(statSize, 'statSize');
    this.windowSize = optionPositiveInteger(windowSize, 'windowSize');
    if (windowSize < 2 * statSize) {
      throw new DriftError(
        'DW_INVALID_OPTION',
        `option windowSize must be at least 2 * statSize (${2 * statSize}) to draw the reference sample, got ${windowSize}`,
      );
    }
    optionNonNegativeInteger(seed, 'seed');
    this.#sampler = sampler ?? uniformSampler(random ?? mulberry32(seed));
    this.#window = new Float64Array(windowSize);
    this.#reference = new Float64Array(statSize);
    this.#recent = new Float64Array(statSize);
    for (const value of initialWindow ?? []) {
      this.#push(optionFinite(value, 'initialWindow element'));
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
        'DW_INVALID_OPTION',
        `sampler returned ${positions.length} positions, expected ${this.statSize}`,
      );
    }
    for (let i = 0; i < this.statSize; i++) {
      const position = positions[i] as number;
      if (!Number.isInteger(position) || position < 0 || position >= populationSize) {
        throw new DriftError(
          'DW_INVALID_OPTION',
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

/**
 * Partial Fisher–Yates shuffle. The scratch permutation is not reset between calls: shuffling any
 * fixed arrangement with fresh randomness still yields a uniform subset, so each draw costs
 * O(sampleSize) rather than O(populationSize).
 */
function uniformSampler(random: Random): WindowSampler {
  let permutation = new Int32Array(0);
  return (populationSize, sampleSize) => {
    if (permutation.length !== populationSize) {
      permutation = Int32Array.from({ length: populationSize }, (_, i) => i);
    }
    for (let i = 0; i < sampleSize; i++) {
      const j = i + Math.floor(random() * (populationSize - i));
      const chosen = permutation[j] as number;
      permutation[j] = permutation[i] as number;
      permutation[i] = chosen;
    }
    return permutation.subarray(0, sampleSize);
  };
}
