import { binIndex, sturgesEdges } from './binning.js';
import { DriftError } from './errors.js';
import { psi } from './psi.js';
import { requireFinite } from './input-checks.js';

export type PsiFeatureType = 'numerical' | 'categorical';

const featureTypes: readonly PsiFeatureType[] = ['numerical', 'categorical'];

export interface PsiEvidentlyOptions {
  /**
   * How Evidently would type the column. Default: `'categorical'` for strings, `'numerical'` for
   * numbers. Numbers may be declared categorical, as in Evidently's column mapping.
   */
  featureType?: PsiFeatureType;
}

/** Evidently sends a numerical column to histogram bins only above this many distinct values. */
const MAX_DISTINCT_FOR_VALUE_BINS = 20;

/**
 * PSI of two samples binned the way Evidently's `psi` stat test bins them, so that on the same two
 * samples this equals Evidently's drift score. Its binning (`get_binned_data`):
 * - a numerical column whose reference has more than 20 distinct values is cut into numpy's
 *   `histogram_bin_edges(reference ∪ current, bins='sturges')`: `ceil(log2(n) + 1)` equal-width bins
 *   over the range of the concatenated samples (`n` = both sizes added). Evidently's `n_bins`
 *   argument (default 30) is accepted but never used.
 * - otherwise (categorical, or few distinct values) each distinct value of either sample is a bin.
 * Each side's proportions are then floored as {@link psi} describes.
 *
 * Evidently drops NaN and ±Infinity before testing; this function rejects them instead.
 *
 * Options: `featureType` (default: by the element type).
 *
 * @example
 * ```ts
 * psiEvidently(['a', 'a', 'b'], ['a', 'b', 'b']); // => 0.46209812037329684
 * psiEvidently([1, 1, 2, 3], [1, 2, 2, 4]); // => 4.257031786505947
 * ```
 *
 * @see Evidently `evidently/legacy/calculations/stattests/psi.py` and `.../stattests/utils.py`
 * (`get_binned_data`); numpy `histogram_bin_edges`.
 */
export function psiEvidently(
  reference: ArrayLike<number> | readonly string[],
  current: ArrayLike<number> | readonly string[],
  options: PsiEvidentlyOptions = {},
): number {
  const referenceType = elementType(reference, 'reference');
  if (elementType(current, 'current') !== referenceType) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      'reference and current must both hold numbers or both hold strings',
    );
  }
  const featureType =
    options.featureType ?? (referenceType === 'string' ? 'categorical' : 'numerical');
  if (!featureTypes.includes(featureType)) {
    throw new DriftError(
      'DW_DRIFT_INVALID_OPTION',
      `option featureType must be 'numerical' or 'categorical', got ${featureType}`,
    );
  }
  if (featureType === 'numerical') {
    if (referenceType === 'string') {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        'a numerical featureType needs numeric samples',
      );
    }
    const numericReference = Array.from(reference as ArrayLike<number>);
    const numericCurrent = Array.from(current as ArrayLike<number>);
    if (new Set(numericReference).size > MAX_DISTINCT_FOR_VALUE_BINS) {
      const edges = sturgesEdges([...numericReference, ...numericCurrent]);
      return psi(histogram(numericReference, edges), histogram(numericCurrent, edges));
    }
  }
  const bins = new Map<number | string, number>();
  for (const side of [reference, current]) {
    for (let i = 0; i < side.length; i++) {
      const value = side[i] ?? NaN;
      if (!bins.has(value)) bins.set(value, bins.size);
    }
  }
  return psi(valueProportions(reference, bins), valueProportions(current, bins));
}

function elementType(sample: ArrayLike<number | string>, what: string): 'number' | 'string' {
  if (sample.length === 0)
    throw new DriftError('DW_DRIFT_INVALID_INPUT', `${what} must not be empty`);
  const type = typeof sample[0] === 'string' ? 'string' : 'number';
  for (let i = 0; i < sample.length; i++) {
    const value = sample[i];
    if (type === 'number') requireFinite(value as number, `${what}[${i}]`);
    else if (typeof value !== 'string') {
      throw new DriftError(
        'DW_DRIFT_INVALID_INPUT',
        `${what}[${i}] must be a string like ${what}[0]`,
      );
    }
  }
  return type;
}

/** numpy `histogram(sample, edges)[0] / len(sample)`; every value lies within the edges here. */
function histogram(sample: ArrayLike<number>, edges: readonly number[]): Float64Array {
  const proportions = new Float64Array(edges.length - 1);
  for (let i = 0; i < sample.length; i++) {
    const bin = binIndex(edges, sample[i] ?? NaN);
    proportions[bin] = (proportions[bin] ?? 0) + 1;
  }
  return proportions.map((count) => count / sample.length);
}

function valueProportions(
  sample: ArrayLike<number | string>,
  bins: ReadonlyMap<number | string, number>,
): Float64Array {
  const proportions = new Float64Array(bins.size);
  for (let i = 0; i < sample.length; i++) {
    const bin = bins.get(sample[i] ?? NaN) ?? 0;
    proportions[bin] = (proportions[bin] ?? 0) + 1;
  }
  return proportions.map((count) => count / sample.length);
}
