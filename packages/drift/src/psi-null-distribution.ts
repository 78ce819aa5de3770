import { option } from './errors.js';
import type { PsiOptions } from './psi.js';
import type { PsiReference } from './psi-reference.js';
import type { Random } from './random.js';

export interface PsiNullDistributionOptions extends PsiOptions {
  /** Values per window, as the detector's tumbling window holds them. */
  window: number;
  /** Windows to simulate. */
  windows: number;
  random: Random;
}

/**
 * PSI of `windows` windows of `window` values drawn from the reference itself: what PSI reads
 * when nothing changed. PSI depends only on how many values fall in each bin, so each window is
 * a multinomial draw of `window` values over the reference's bin shares (a categorical
 * reference's unseen bin gets none); no raw training values are needed. The values are in
 * simulation order, for {@link windowThresholdForRunLength} to sort.
 *
 * @example
 * ```ts
 * const reference = PsiReference.fromJSON({ kind: 'numeric', edges: [0, 1, 2], proportions: [0.5, 0.5] });
 * const values = psiNullDistribution(reference, { window: 100, windows: 5, random: mulberry32(3) });
 * values.length; // => 5
 * values.every((value) => value >= 0 && value < 0.2); // => true
 * ```
 */
export function psiNullDistribution(
  reference: PsiReference,
  options: PsiNullDistributionOptions,
): Float64Array {
  const window = option.positiveInteger(options.window, 'window');
  const windows = option.positiveInteger(options.windows, 'windows');
  const { random } = options;
  const psiOptions = options.epsilon === undefined ? {} : { epsilon: options.epsilon };
  const cumulative: number[] = [];
  let total = 0;
  for (const share of reference.proportions) cumulative.push((total += share));
  const last = reference.proportions.length - 1;
  const counts = new Int32Array(reference.binCount);
  const values = new Float64Array(windows);
  for (let w = 0; w < windows; w++) {
    counts.fill(0);
    for (let i = 0; i < window; i++) {
      // Shares may not sum to exactly 1: a draw past the last cumulative share is the last bin.
      const u = random() * total;
      let bin = 0;
      while (bin < last && u >= (cumulative[bin] ?? Infinity)) bin++;
      counts[bin] = (counts[bin] ?? 0) + 1;
    }
    values[w] = reference.psiOfCounts(counts, psiOptions);
  }
  return values;
}
