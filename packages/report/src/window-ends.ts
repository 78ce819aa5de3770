/**
 * Where a series of sliding windows over `count` items is evaluated: the index of each window's
 * last item. The first window ends once it holds a fifth of `window` items (it grows until full
 * from there), so a version's line starts soon after it takes over instead of a whole window
 * later, and a series shorter than that still gets one point, over all of it. When more windows
 * end than `maxPoints`, they are taken at an even stride, the last window always included, so a
 * series never has more than `maxPoints` points however many items it covers: that keeps a
 * report's size independent of its traffic.
 *
 * @example
 * ```ts
 * windowEnds(10, 10, 100); // => [1, 2, 3, 4, 5, 6, 7, 8, 9]
 * windowEnds(10, 10, 4); // => [1, 4, 7, 9]
 * windowEnds(1, 10, 4); // => [0]
 * windowEnds(0, 10, 4); // => []
 * ```
 */
export function windowEnds(count: number, window: number, maxPoints: number): number[] {
  if (count === 0) return [];
  const first = Math.min(Math.ceil(window / 5), count) - 1;
  const candidates = count - first;
  const stride = candidates <= maxPoints ? 1 : Math.ceil((candidates - 1) / (maxPoints - 1));
  const ends: number[] = [];
  for (let end = first; end < count; end += stride) ends.push(end);
  if (ends[ends.length - 1] !== count - 1) ends.push(count - 1);
  return ends;
}
