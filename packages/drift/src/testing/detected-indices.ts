/** Anything with River's detector shape: `update(x)` returns whether a change was detected at x. */
export interface DriftDetector<T> {
  update(value: T): boolean;
}

/**
 * Feeds a stream to a detector and returns the 0-based indices where it signalled drift.
 *
 * @example
 * ```ts
 * const detector = new PageHinkley({ minInstances: 3, threshold: 2 });
 * detectedIndices(detector, [0, 0, 0, 0, 3, 3, 3, 3]); // => [4]
 * ```
 */
export function detectedIndices<T>(detector: DriftDetector<T>, stream: Iterable<T>): number[] {
  const indices: number[] = [];
  let index = 0;
  for (const value of stream) {
    if (detector.update(value)) indices.push(index);
    index++;
  }
  return indices;
}
