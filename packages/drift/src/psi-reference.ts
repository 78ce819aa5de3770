import { binIndex, dedupeEdges, quantileEdges, uniformEdges } from './binning.js';
import { DriftError } from './errors.js';
import { psi, requireProportions, type PsiOptions } from './psi.js';
import { requireFinite } from './input-checks.js';
import { option } from './errors.js';

export type PsiBinning = 'quantile' | 'uniform';

const binnings: readonly PsiBinning[] = ['quantile', 'uniform'];

/** The plain-JSON form of a {@link PsiReference}, as carried in a model-version message. */
export type PsiReferenceJson =
  | { kind: 'numeric'; edges: number[]; proportions: number[] }
  | { kind: 'categorical'; categories: string[]; proportions: number[] };

export interface PsiFitOptions {
  /** Number of bins before tied quantile edges are merged (default 10). */
  bins?: number;
  /** `'quantile'` (default): equal reference mass per bin; `'uniform'`: equal width. */
  binning?: PsiBinning;
}

/**
 * The reference (training) side of a PSI comparison: bins fixed once from reference data, and the
 * share of the reference in each. A current sample or window is then binned the same way and
 * compared with {@link psi}.
 *
 * Numeric references (`fit`):
 * - `edges` are numpy-style histogram edges. `'quantile'` takes the `bins + 1` quantiles of the
 *   reference (linear interpolation, numpy's default) and drops repeated edges, so a reference with
 *   ties gets fewer bins rather than zero-width ones. `'uniform'` takes equal-width bins over
 *   `[min, max]`.
 * - The first and last bins are open-ended: values below `edges[0]` count in the first bin and
 *   values above the last edge in the last bin, so a shift beyond the reference range is still seen.
 * - A reference with a single distinct value `v` has nothing to take quantiles of; it gets `bins`
 *   equal-width bins over `[v − 0.5, v + 0.5]` (numpy's convention for an empty range).
 *
 * Categorical references (`fitCategorical` from a sample, `fromValueCounts` from its value
 * counts): one bin per category seen in the reference (sorted). Values the reference never saw
 * share one extra "unseen" bin whose reference share is 0; it takes part in the comparison only
 * when it is non-empty, so one new category compares exactly as Evidently compares it (several new
 * categories are pooled, which keeps memory bounded).
 *
 * Options of `fit`: `bins` (default 10), `binning` (default `'quantile'`).
 *
 * @example
 * ```ts
 * const reference = PsiReference.fit([1, 2, 3, 4, 5, 6, 7, 8, 9], { bins: 4 });
 * reference.toJSON(); // => {"kind":"numeric","edges":[1,3,5,7,9],"proportions":[0.2222222222222222,0.2222222222222222,0.2222222222222222,0.3333333333333333]}
 * reference.binOf(-100); // => 0
 * reference.binOf(5); // => 2
 * reference.binOf(100); // => 3
 * reference.psi([6, 7, 8, 9, 10, 11]); // => 3.897592217455985
 * const colours = PsiReference.fitCategorical(['red', 'blue', 'red', 'green']);
 * colours.toJSON(); // => {"kind":"categorical","categories":["blue","green","red"],"proportions":[0.25,0.25,0.5]}
 * colours.psi(['red', 'red', 'blue', 'purple']); // => 3.910458196225975
 * PsiReference.fromValueCounts({ red: 2, blue: 1, green: 1 }).toJSON(); // => {"kind":"categorical","categories":["blue","green","red"],"proportions":[0.25,0.25,0.5]}
 * PsiReference.fromJSON(JSON.parse(JSON.stringify(colours))).psi(['red']); // => 4.257031786505947
 * ```
 *
 * @see Yurdakul, B. (2018). Statistical properties of population stability index.
 * @see numpy `quantile` (method 'linear') and `histogram` for the edge conventions.
 */
export class PsiReference {
  readonly kind: 'numeric' | 'categorical';
  /** Reference share of each bin (categorical: of each category; the unseen bin is not listed). */
  readonly proportions: readonly number[];
  /** Numeric bin edges (`proportions.length + 1` of them), or `undefined` when categorical. */
  readonly edges: readonly number[] | undefined;
  /** Categories in bin order, or `undefined` when numeric. */
  readonly categories: readonly string[] | undefined;
  readonly #edges: Float64Array;
  readonly #categoryBins: ReadonlyMap<string, number>;

  private constructor(json: PsiReferenceJson) {
    this.kind = json.kind;
    this.proportions = Object.freeze([...json.proportions]);
    if (json.kind === 'numeric') {
      this.edges = Object.freeze([...json.edges]);
      this.categories = undefined;
      this.#edges = Float64Array.from(json.edges);
      this.#categoryBins = new Map();
    } else {
      this.edges = undefined;
      this.categories = Object.freeze([...json.categories]);
      this.#edges = new Float64Array(0);
      this.#categoryBins = new Map(json.categories.map((category, bin) => [category, bin]));
    }
  }

  /** Fits a numeric reference: see the class comment for the binning rules. */
  static fit(sample: ArrayLike<number>, options: PsiFitOptions = {}): PsiReference {
    const bins = option.positiveInteger(options.bins ?? 10, 'bins');
    const binning = options.binning ?? 'quantile';
    if (!binnings.includes(binning)) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option binning must be 'quantile' or 'uniform', got ${binning}`,
      );
    }
    if (sample.length === 0) {
      throw new DriftError('DW_DRIFT_INVALID_INPUT', 'reference sample must not be empty');
    }
    const sorted = Float64Array.from(sample, (value, i) => requireFinite(value, `sample[${i}]`));
    sorted.sort();
    const low = sorted[0] ?? NaN;
    const high = sorted[sorted.length - 1] ?? NaN;
    const edges = dedupeEdges(
      low === high
        ? uniformEdges(low - 0.5, high + 0.5, bins)
        : binning === 'quantile'
          ? quantileEdges(sorted, bins)
          : uniformEdges(low, high, bins),
    );
    if (edges.length < 2) {
      throw new DriftError(
        'DW_DRIFT_INVALID_INPUT',
        `reference sample has no spread to bin: every value is ${low}`,
      );
    }
    const counts = new Array<number>(edges.length - 1).fill(0);
    for (const value of sorted) {
      const bin = binIndex(edges, value);
      counts[bin] = (counts[bin] ?? 0) + 1;
    }
    return new PsiReference({
      kind: 'numeric',
      edges,
      proportions: counts.map((count) => count / sorted.length),
    });
  }

  /** Fits a categorical reference from the value counts of `values`. */
  static fitCategorical(values: readonly string[]): PsiReference {
    if (values.length === 0) {
      throw new DriftError('DW_DRIFT_INVALID_INPUT', 'reference sample must not be empty');
    }
    const counts = new Map<string, number>();
    values.forEach((value, i) => {
      requireCategory(value, `values[${i}]`);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    });
    return PsiReference.fromValueCounts(counts);
  }

  /**
   * Fits a categorical reference from value counts already taken (a training job's
   * `value_counts()`, say): a `Map` or a plain object from category to count. Categories counted
   * 0 are left out, as they would be from a sample.
   */
  static fromValueCounts(
    counts: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
  ): PsiReference {
    const entries: [string, number][] =
      counts instanceof Map
        ? Array.from(counts as ReadonlyMap<string, number>)
        : Object.entries(counts as Readonly<Record<string, number>>);
    let total = 0;
    for (const [category, count] of entries) {
      requireCategory(category, 'category');
      if (!Number.isSafeInteger(count) || count < 0) {
        throw new DriftError(
          'DW_DRIFT_INVALID_INPUT',
          `count of ${JSON.stringify(category)} must be a non-negative integer, got ${String(count)}`,
        );
      }
      total += count;
    }
    if (total === 0)
      throw new DriftError('DW_DRIFT_INVALID_INPUT', 'value counts must not all be zero');
    const seen = entries
      .filter(([, count]) => count > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return new PsiReference({
      kind: 'categorical',
      categories: seen.map(([category]) => category),
      proportions: seen.map(([, count]) => count / total),
    });
  }

  /** Rebuilds a reference from {@link toJSON}'s output, validating it (it arrives over the wire). */
  static fromJSON(json: unknown): PsiReference {
    return new PsiReference(parseReferenceJson(json));
  }

  toJSON(): PsiReferenceJson {
    return this.kind === 'numeric'
      ? { kind: 'numeric', edges: [...(this.edges ?? [])], proportions: [...this.proportions] }
      : {
          kind: 'categorical',
          categories: [...(this.categories ?? [])],
          proportions: [...this.proportions],
        };
  }

  /** Number of counting slots: the bins, plus the unseen bin of a categorical reference. */
  get binCount(): number {
    return this.kind === 'numeric' ? this.proportions.length : this.proportions.length + 1;
  }

  /**
   * The slot a value counts in: O(log bins) for numeric references (binary search of the edges),
   * a hash lookup for categorical ones, where `proportions.length` is the unseen bin.
   */
  binOf(value: number | string): number {
    if (this.kind === 'numeric') {
      if (typeof value !== 'number') {
        throw new DriftError(
          'DW_DRIFT_INVALID_INPUT',
          `value must be a number for a numeric reference, got ${typeof value}`,
        );
      }
      return binIndex(this.#edges, requireFinite(value, 'value'));
    }
    return this.#categoryBins.get(requireCategory(value, 'value')) ?? this.proportions.length;
  }

  /** Counts of `sample` in each slot (see {@link binCount}). */
  countsOf(sample: ArrayLike<number | string>): number[] {
    const counts = new Array<number>(this.binCount).fill(0);
    for (let i = 0; i < sample.length; i++) {
      const bin = this.binOf(sample[i] ?? NaN);
      counts[bin] = (counts[bin] ?? 0) + 1;
    }
    return counts;
  }

  /** PSI of a whole current sample against this reference. */
  psi(sample: ArrayLike<number | string>, options: PsiOptions = {}): number {
    return this.psiOfCounts(this.countsOf(sample), options);
  }

  /**
   * PSI of a current distribution given as counts per slot, e.g. counts merged from several
   * consumers. A categorical reference's unseen bin is compared only when its count is non-zero.
   */
  psiOfCounts(counts: ArrayLike<number>, options: PsiOptions = {}): number {
    if (counts.length !== this.binCount) {
      throw new DriftError(
        'DW_DRIFT_INVALID_INPUT',
        `counts must have ${this.binCount} entries, got ${counts.length}`,
      );
    }
    let total = 0;
    for (let i = 0; i < counts.length; i++) {
      const count = counts[i] ?? NaN;
      if (!Number.isSafeInteger(count) || count < 0) {
        throw new DriftError(
          'DW_DRIFT_INVALID_INPUT',
          `counts[${i}] must be a non-negative integer, got ${count}`,
        );
      }
      total += count;
    }
    if (total === 0) throw new DriftError('DW_DRIFT_INVALID_INPUT', 'counts must not all be zero');
    const compared =
      this.kind === 'categorical' && counts[this.proportions.length] === 0
        ? this.proportions.length
        : this.binCount;
    const expected = new Float64Array(compared);
    const actual = new Float64Array(compared);
    for (let i = 0; i < compared; i++) {
      expected[i] = this.proportions[i] ?? 0;
      actual[i] = (counts[i] ?? 0) / total;
    }
    return psi(expected, actual, options);
  }
}

function requireCategory(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new DriftError('DW_DRIFT_INVALID_INPUT', `${what} must be a string, got ${typeof value}`);
  }
  return value;
}

function parseReferenceJson(json: unknown): PsiReferenceJson {
  const invalid = (reason: string): DriftError =>
    new DriftError('DW_DRIFT_INVALID_INPUT', `invalid PSI reference JSON: ${reason}`);
  if (typeof json !== 'object' || json === null) throw invalid('not an object');
  const { kind, proportions, edges, categories } = json as Record<string, unknown>;
  if (!Array.isArray(proportions) || !proportions.every((p) => typeof p === 'number')) {
    throw invalid('proportions must be an array of numbers');
  }
  requireProportions(proportions, 'proportions');
  if (kind === 'numeric') {
    if (!Array.isArray(edges) || edges.length !== proportions.length + 1) {
      throw invalid(`edges must be an array of ${proportions.length + 1} numbers`);
    }
    const increasing = edges.every(
      (edge, i) =>
        typeof edge === 'number' &&
        Number.isFinite(edge) &&
        (i === 0 || edge > (edges[i - 1] as number)),
    );
    if (!increasing) throw invalid('edges must be finite and strictly increasing');
    return { kind, edges: edges as number[], proportions };
  }
  if (kind === 'categorical') {
    if (
      !Array.isArray(categories) ||
      categories.length !== proportions.length ||
      !categories.every((category) => typeof category === 'string')
    ) {
      throw invalid(`categories must be an array of ${proportions.length} strings`);
    }
    if (new Set(categories).size !== categories.length) throw invalid('categories repeat');
    return { kind, categories, proportions };
  }
  throw invalid(`kind must be 'numeric' or 'categorical', got ${String(kind)}`);
}
