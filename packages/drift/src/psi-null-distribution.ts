import { option } from './errors.js';
import type { PsiOptions } from './psi.js';
import type { PsiReference } from './psi-reference.js';
import { categoricalSampler, type Random } from './random.js';

export interface PsiNullDistributionOptions extends PsiOptions {
  /** Values per window, as the detector's tumbling window holds them. */
  window: number;
  /** Windows to simulate. */
  windows: number;
  /**
   * Rows the reference's bins were fitted on, when few enough to matter: the true shares then
   * differ from the reference's by sampling error, and each window is drawn from shares drawn
   * around the reference's (Dirichlet(rows × share)). Absent: the reference's shares are exact.
   */
  referenceRows?: number;
  random: Random;
}

/**
 * PSI of `windows` windows of `window` values drawn from the reference itself: what PSI reads
 * when nothing changed. PSI depends only on how many values fall in each bin, so each window is
 * a multinomial draw of `window` values over the reference's bin shares (a categorical
 * reference's unseen bin gets none); no raw training values are needed. With `referenceRows`,
 * the shares each window is drawn from are themselves drawn around the reference's, as the
 * training rows left them uncertain: bins from 1,000 rows read a PSI about twice as high on an
 * unchanged stream of 1,000-value windows as bins from a million do. The values are in
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
  const rows =
    options.referenceRows === undefined
      ? undefined
      : option.positiveInteger(options.referenceRows, 'referenceRows');
  const { random } = options;
  const psiOptions = options.epsilon === undefined ? {} : { epsilon: options.epsilon };
  const shares = reference.proportions;
  const referenceDraw = categoricalSampler(shares);
  const counts = new Int32Array(reference.binCount);
  const values = new Float64Array(windows);
  for (let w = 0; w < windows; w++) {
    // Gamma draws are a Dirichlet draw once divided by their total, which the sampler does.
    const draw =
      rows === undefined
        ? referenceDraw
        : categoricalSampler(
            Array.from(shares, (share) => (share > 0 ? gammaVariate(rows * share, random) : 0)),
          );
    counts.fill(0);
    for (let i = 0; i < window; i++) {
      const bin = draw(random);
      counts[bin] = (counts[bin] ?? 0) + 1;
    }
    values[w] = reference.psiOfCounts(counts, psiOptions);
  }
  return values;
}

/**
 * A Gamma(shape, 1) draw by Marsaglia and Tsang's squeeze method ("A simple method for generating
 * gamma variables", 2000), boosted by U^(1/shape) below shape 1 as they describe.
 */
function gammaVariate(shape: number, random: Random): number {
  if (shape < 1) return gammaVariate(shape + 1, random) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
