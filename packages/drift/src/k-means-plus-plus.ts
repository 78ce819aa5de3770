import { DriftError } from './errors.js';
import type { Random } from './random.js';
import { squaredDistance } from './squared-distance.js';

/**
 * `k` initial centres chosen from `rows` by greedy k-means++, the variant scikit-learn's
 * `kmeans_plusplus` runs: the first centre is a uniformly drawn row; each next one is the best of
 * `2 + ⌊ln k⌋` candidates, each drawn with probability proportional to its squared distance to
 * the nearest centre so far (D² weighting), where best means leaving the smallest sum of squared
 * distances to the nearest centre. Every draw comes from `random`, so a seed fixes the centres.
 *
 * Rows must already be validated (finite, one width) and at least `k`. Throws
 * `DW_DRIFT_INVALID_INPUT` when the rows hold fewer than `k` distinct points: once every row sits
 * on a centre there is nothing left to draw.
 *
 * @see D. Arthur, S. Vassilvitskii (2007), "k-means++: The Advantages of Careful Seeding", SODA.
 * @see scikit-learn `sklearn/cluster/_kmeans.py` (`_kmeans_plusplus`).
 */
export function kMeansPlusPlus(
  rows: readonly ArrayLike<number>[],
  k: number,
  random: Random,
): Float64Array[] {
  const n = rows.length;
  const candidatesPerStep = 2 + Math.floor(Math.log(k));
  const first = rows[Math.min(n - 1, Math.floor(random() * n))] as ArrayLike<number>;
  const centres = [Float64Array.from(first)];
  let closest: Float64Array = Float64Array.from(rows, (row) => squaredDistance(row, first));
  const cumulative = new Float64Array(n);
  while (centres.length < k) {
    let running = 0;
    for (let i = 0; i < n; i++) cumulative[i] = running += closest[i] as number;
    if (!(running > 0)) {
      throw new DriftError(
        'DW_DRIFT_INVALID_INPUT',
        `rows hold only ${centres.length} distinct points, fewer than k = ${k}`,
      );
    }
    let best: { index: number; closest: Float64Array; potential: number } | undefined;
    for (let trial = 0; trial < candidatesPerStep; trial++) {
      const index = firstAbove(cumulative, random() * running);
      const candidate = rows[index] as ArrayLike<number>;
      const candidateClosest = new Float64Array(n);
      let potential = 0;
      for (let i = 0; i < n; i++) {
        const distance = Math.min(
          closest[i] as number,
          squaredDistance(rows[i] as ArrayLike<number>, candidate),
        );
        candidateClosest[i] = distance;
        potential += distance;
      }
      if (best === undefined || potential < best.potential) {
        best = { index, closest: candidateClosest, potential };
      }
    }
    const chosen = best as { index: number; closest: Float64Array };
    centres.push(Float64Array.from(rows[chosen.index] as ArrayLike<number>));
    closest = chosen.closest;
  }
  return centres;
}

/**
 * The first index whose running sum exceeds `target` (< the total), by bisection. Strictly
 * exceeds, so a row already on a centre (weight 0) is never drawn.
 */
function firstAbove(cumulative: Float64Array, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((cumulative[middle] as number) > target) high = middle;
    else low = middle + 1;
  }
  return low;
}
