import { DriftError } from './errors.js';
import type { PsiOptions } from './psi.js';
import { PsiReference, type PsiReferenceJson } from './psi-reference.js';
import { StateReader } from './state-reader.js';
import { option } from './errors.js';

export type PsiWindowKind = 'sliding' | 'tumbling';

const windowKinds: readonly PsiWindowKind[] = ['sliding', 'tumbling'];

export interface StreamingPsiOptions extends PsiOptions {
  /** Number of values per window (required). */
  window: number;
  /** `'sliding'` (default): the last `window` values; `'tumbling'`: consecutive disjoint windows. */
  kind?: PsiWindowKind;
}

/**
 * The plain-JSON snapshot of a {@link StreamingPsi} (`toJSON`, `StreamingPsi.fromJSON`): the
 * options, the reference (as `PsiReference.toJSON` writes it) and the window's bins.
 */
export type StreamingPsiState =
  | {
      kind: 'sliding';
      window: number;
      /** The `epsilon` option, `null` for Evidently's empty-bin rule. */
      epsilon: number | null;
      reference: PsiReferenceJson;
      /** The bin (`reference.binOf`) of each value in the window, oldest first. */
      bins: number[];
    }
  | {
      kind: 'tumbling';
      window: number;
      epsilon: number | null;
      reference: PsiReferenceJson;
      /** Counts per bin of the window being filled. */
      counts: number[];
      /** Counts per bin of the last full window; `null` before the first. */
      completedCounts: number[] | null;
    };

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
 * `toJSON()` snapshots it as plain JSON ({@link StreamingPsiState}), reference included;
 * `StreamingPsi.fromJSON` revives it to continue exactly as if it had never stopped.
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
 * const revived = StreamingPsi.fromJSON(JSON.parse(JSON.stringify(sliding)));
 * revived.toJSON(); // => {"kind":"sliding","window":4,"epsilon":null,"bins":[0,1,1,1]}
 * revived.update(1); // => true
 * revived.value; // => 0.27465307216702745
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
    this.window = option.positiveInteger(options.window, 'window');
    this.kind = options.kind ?? 'sliding';
    if (!windowKinds.includes(this.kind)) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option kind must be 'sliding' or 'tumbling', got ${this.kind}`,
      );
    }
    this.#options =
      options.epsilon === undefined
        ? {}
        : { epsilon: option.inOpenInterval(options.epsilon, 'epsilon', 0, 1) };
    this.#counts = new Int32Array(reference.binCount);
    this.#completedCounts = new Int32Array(this.kind === 'tumbling' ? reference.binCount : 0);
    const ringLength = this.kind === 'sliding' ? this.window : 0;
    this.#ring =
      reference.binCount <= 0xffff ? new Uint16Array(ringLength) : new Uint32Array(ringLength);
  }

  /** Revives a StreamingPsi from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`). */
  static fromJSON(state: StreamingPsiState): StreamingPsi {
    const reader = new StateReader('StreamingPsi', state);
    let reference: PsiReference;
    try {
      reference = PsiReference.fromJSON(reader.raw('reference'));
    } catch (error) {
      throw reader.invalid(`reference: ${(error as Error).message}`, error);
    }
    const epsilon = reader.raw('epsilon') === null ? undefined : reader.finite('epsilon');
    const streaming = reader.build(
      () =>
        new StreamingPsi(reference, {
          window: reader.finite('window'),
          kind: reader.oneOf('kind', windowKinds),
          ...(epsilon === undefined ? {} : { epsilon }),
        }),
    );
    const { window } = streaming;
    const bins = reference.binCount;
    if (streaming.kind === 'sliding') {
      const ring = reader.integers('bins', 0, bins - 1);
      reader.require(
        ring.length <= window,
        `bins must hold at most window (${window}) values, got ${ring.length}`,
      );
      for (const bin of ring) {
        streaming.#ring[streaming.#count++] = bin;
        streaming.#counts[bin] = (streaming.#counts[bin] ?? 0) + 1;
      }
      streaming.#hasFullWindow = streaming.#count === window;
      return streaming;
    }
    const counts = reader.integers('counts');
    const filling = counts.reduce((sum, count) => sum + count, 0);
    reader.require(
      counts.length === bins && filling < window,
      `counts must be ${bins} counts summing to less than window (${window})`,
    );
    streaming.#counts.set(counts);
    streaming.#count = filling;
    if (reader.raw('completedCounts') !== null) {
      const completed = reader.integers('completedCounts');
      reader.require(
        completed.length === bins && completed.reduce((sum, count) => sum + count, 0) === window,
        `completedCounts must be null or ${bins} counts summing to window (${window})`,
      );
      streaming.#completedCounts.set(completed);
      streaming.#hasFullWindow = true;
    }
    return streaming;
  }

  /** The whole state as plain JSON (see {@link StreamingPsiState}), for `StreamingPsi.fromJSON`. */
  toJSON(): StreamingPsiState {
    const common = {
      window: this.window,
      epsilon: this.#options.epsilon ?? null,
      reference: this.reference.toJSON(),
    };
    if (this.kind === 'tumbling') {
      return {
        kind: 'tumbling',
        ...common,
        counts: Array.from(this.#counts),
        completedCounts: this.#hasFullWindow ? Array.from(this.#completedCounts) : null,
      };
    }
    const bins: number[] = [];
    for (let i = 0; i < this.#count; i++) {
      bins.push(this.#ring[(this.#ringStart + i) % this.window] as number);
    }
    return { kind: 'sliding', ...common, bins };
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
