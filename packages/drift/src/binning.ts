/**
 * Bin edges and bin lookup shared by the PSI family. Edges follow numpy's conventions so that
 * results can be checked against numpy-based libraries: `edges[0]` and `edges[k]` are the lowest
 * and highest edge, bin `i` is `[edges[i], edges[i + 1])`, and the last bin also holds `edges[k]`.
 */

/**
 * Edges at the `bins + 1` evenly spaced quantiles of `sorted` (ascending, non-empty), by linear
 * interpolation between order statistics (Hyndman & Fan type 7, numpy's default method).
 * Repeated edges, which ties in the data produce, are kept here; {@link dedupeEdges} drops them.
 */
export function quantileEdges(sorted: ArrayLike<number>, bins: number): number[] {
  const last = sorted.length - 1;
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const position = (last * i) / bins;
    const below = Math.floor(position);
    const fraction = position - below;
    const low = sorted[below] ?? NaN;
    const high = sorted[Math.min(below + 1, last)] ?? NaN;
    // Interpolating from the nearer end keeps the result inside [low, high] despite rounding.
    edges.push(
      fraction < 0.5 ? low + (high - low) * fraction : high - (high - low) * (1 - fraction),
    );
  }
  return edges;
}

/**
 * `bins + 1` evenly spaced edges from `low` to `high`, computed as numpy's `linspace` does
 * (`low + i * step`, last edge exactly `high`) so that the edges agree bit for bit.
 */
export function uniformEdges(low: number, high: number, bins: number): number[] {
  const step = (high - low) / bins;
  const edges: number[] = [];
  for (let i = 0; i < bins; i++) edges.push(i * step + low);
  edges.push(high);
  return edges;
}

/**
 * numpy's `histogram_bin_edges(values, bins='sturges')`: `ceil(range / (range / (log2(n) + 1)))`
 * equal-width bins over `[min, max]`, widened to `[v - 0.5, v + 0.5]` when every value is `v`.
 */
export function sturgesEdges(values: ArrayLike<number>): number[] {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? NaN;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  const range = high - low;
  if (range === 0) return uniformEdges(low - 0.5, high + 0.5, 1);
  const width = range / (Math.log2(values.length) + 1);
  return uniformEdges(low, high, Math.ceil(range / width));
}

/** Drops repeated edges (ties in quantile edges), keeping the first of each run. */
export function dedupeEdges(edges: readonly number[]): number[] {
  return edges.filter((edge, i) => i === 0 || edge > (edges[i - 1] ?? -Infinity));
}

/**
 * Index of the bin holding `value` for the given edges, with the first and last bins open-ended:
 * `value < edges[1]` is bin 0 and `value >= edges[k - 1]` is bin `k - 1`. Binary search over the
 * interior edges, so O(log bins).
 */
export function binIndex(edges: ArrayLike<number>, value: number): number {
  // Count the interior edges <= value: the first bin starts at -Infinity, the last ends at +Infinity.
  let low = 1;
  let high = edges.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((edges[middle] ?? NaN) <= value) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
