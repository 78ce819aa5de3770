/**
 * The `p`-quantile of `sorted` (ascending, non-empty) by linear interpolation between order
 * statistics: Hyndman & Fan type 7, numpy's default `quantile(method='linear')` and R's default.
 * simple-statistics' `quantileSorted` is a different definition (it picks an order statistic, or
 * the mean of two, by `n · p`), which is why it is not used here.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const last = sorted.length - 1;
  const position = last * p;
  const below = Math.floor(position);
  const fraction = position - below;
  const low = sorted[below] ?? NaN;
  const high = sorted[Math.min(below + 1, last)] ?? NaN;
  // numpy's `_lerp`: interpolate from the nearer end, which keeps the result inside [low, high].
  return fraction < 0.5 ? low + (high - low) * fraction : high - (high - low) * (1 - fraction);
}
