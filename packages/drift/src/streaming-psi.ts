import { DriftError } from './errors.js';
import type { PsiOptions } from './psi.js';
import type { PsiReference } from './psi-reference.js';
import { optionInOpenInterval, optionPositiveInteger } from './validate.js';

export type PsiWindowKind = 'sliding' | 'tumbling';

const windowKinds: readonly PsiWindowKind[] = ['sliding', 'tumbling'];

export interface StreamingPsiOptions extends PsiOptions {
  /** Number of values per window (required). */
  window: number;
  /** `'sliding'` (default): the last `window` values; `'tumbling'`: consecutive disjoint windows. */
  kind?: PsiWindowKind;
}

/**
 * PSI of a stream against a fixed {@link PsiReference}, over a window of the stream.
 *
 * `update(value)` bins the value (a binary search of the edges, O(log bins)) and adjusts one count
 * per bin; nothing else is stored but, for a sliding window, the ring of the window's bin indices.
 * It returns `true` when a new full window is ready, and `value` then holds its PSI (computed on
 * first read, O(bins)):
 * - sliding: every update once `window` values have been seen; the window is the last `window`.
 * - tumbling: every `window`-th update; `value` keeps that window's PSI while the next one fills.
 *
 * `value` and `proportions` describe that full window and are `undefined` before the first one;
 * `count` is how many values the window being filled holds. `value` always equals
 * `reference.psi(windowValues, options)`.
 *
 * Options: `window` (required), `kind` (default `'sliding'`), `epsilon` (default: Evidently's
 * empty-bin rule, see {@link psi}).
 *
 * @example
 * ```ts
 * const reference = PsiReference.fit([1, 2, 3, 4, 5, 6, 7, 8], { bins: 2 });
 * const sliding = new StreamingPsi(reference, { window: 4 });
 * [1, 2, 7, 8].map((x) => sliding.update(x)); // => [false, false, false, true]
 * sliding.value; // => 0
 * sliding.update(8); // => true
 * sliding.proportions; // => [0.25, 0.75]
 * sliding.value; // => 0.27465307216702745
 * const tumbling = new StreamingPsi(reference, { window: 2, kind: 'tumbling' });
 * [1, 2, 8, 1].map((x) => tumbling.update(x)); // => [false, true, false, true]
 * tumbling.value; // => 0
 * tumbling.count; // => 0
 * ```
 *
 * @see Yurdakul, B. (2018). Statistical properties of population stability index.
 */
export class StreamingPsi {
  readonly reference: PsiReference;
  readonly window: number;
  readonly kind: PsiWindowKind;
  readonly #options: PsiOptions;
  /** Counts of the window being filled (sliding: the window itself). */
  readonly #counts: Int32Array;
  /** Tumbling only: counts of the last full window. */
  readonly #completedCounts: Int32Array;
  /** Sliding only: bin index of each value in the window, oldest at `#ringStart` once full. */
  readonly #ring: Uint16Array | Uint32Array;
  #ringStart = 0;
  #count = 0;
  #hasFullWindow = false;
  #value: number | undefined;

  constructor(reference: PsiReference, options: StreamingPsiOptions) {
    this.reference = reference;
    this.window = optionPositiveInteger(options.window, 'window');
    this.kind = options.kind ?? 'sliding';
    if (!windowKinds.includes(this.kind)) {
      throw new DriftError(
        'DW_INVALID_OPTION',
        `option kind must be 'sliding' or 'tumbling', got ${this.kind}`,
      );
    }
    this.#options =
      options.epsilon === undefined
        ? {}
        : { epsilon: optionInOpenInterval(options.epsilon, 'epsilon', 0, 1) };
    this.#counts = new Int32Array(reference.binCount);
    this.#completedCounts = new Int32Array(this.kind === 'tumbling' ? reference.binCount : 0);
    const ringLength = this.kind === 'sliding' ? this.window : 0;
    this.#ring =
      reference.binCount <= 0xffff ? new Uint16Array(ringLength) : new Uint32Array(ringLength);
  }

  /** Takes one value; `true` when it completes a full window whose PSI `value` now holds. */
  update(value: number | string): boolean {
    const bin = this.reference.binOf(value);
    const counts = this.#counts;
    if (this.kind === 'tumbling') {
      counts[bin] = (counts[bin] ?? 0) + 1;
      if (++this.#count < this.window) return false;
      this.#completedCounts.set(counts);
      counts.fill(0);
      this.#count = 0;
    } else {
      const ring = this.#ring;
      if (this.#count === this.window) {
        const leaving = ring[this.#ringStart] ?? 0;
        counts[leaving] = (counts[leaving] ?? 0) - 1;
        ring[this.#ringStart] = bin;
        if (++this.#ringStart === this.window) this.#ringStart = 0;
      } else {
        ring[this.#count++] = bin;
      }
      counts[bin] = (counts[bin] ?? 0) + 1;
      if (this.#count < this.window) return false;
    }
    this.#hasFullWindow = true;
    this.#value = undefined;
    return true;
  }

  /** PSI of the latest full window, or `undefined` before the first one. */
  get value(): number | undefined {
    if (!this.#hasFullWindow) return undefined;
    this.#value ??= this.reference.psiOfCounts(this.#fullWindowCounts(), this.#options);
    return this.#value;
  }

  /** Share of the latest full window in each bin (see `PsiReference.binCount`), or `undefined`. */
  get proportions(): number[] | undefined {
    if (!this.#hasFullWindow) return undefined;
    return Array.from(this.#fullWindowCounts(), (count) => count / this.window);
  }

  /** How many values the window being filled holds (a full sliding window stays at `window`). */
  get count(): number {
    return this.#count;
  }

  #fullWindowCounts(): Int32Array {
    return this.kind === 'tumbling' ? this.#completedCounts : this.#counts;
  }
}
