/** How the ids a topic holds compare with the ids that should each be there exactly once. */
export interface DeliveryCount {
  expected: number;
  delivered: number;
  /** Expected ids that never arrived. */
  lost: string[];
  /** Copies beyond the first, over all ids (expected or not). */
  duplicated: number;
  /** Ids that arrived but were never expected (a label joined that was never sent, say). */
  unexpected: string[];
  /** A few ids that arrived more than once, with their counts: where to start looking. */
  duplicateExamples: { id: string; copies: number; at?: string[] }[];
}

/**
 * Counts `delivered` ids against `expected` ones: each expected id must arrive exactly once.
 *
 * @example
 * ```ts
 * countDeliveries(['a', 'b', 'c'], ['a', 'a', 'c', 'x']);
 * // { expected: 3, delivered: 4, lost: ['b'], duplicated: 1, unexpected: ['x'], duplicateExamples: [{ id: 'a', copies: 2 }] }
 * ```
 */
export function countDeliveries(
  expected: Iterable<string>,
  delivered: Iterable<string>,
  /** Where each delivered id sits (`partition@offset`), in the same order: named in examples. */
  positions: readonly string[] = [],
): DeliveryCount {
  const wanted = new Set(expected);
  const copies = new Map<string, number>();
  const at = new Map<string, string[]>();
  let total = 0;
  for (const id of delivered) {
    copies.set(id, (copies.get(id) ?? 0) + 1);
    const position = positions[total];
    if (position !== undefined) at.set(id, [...(at.get(id) ?? []), position]);
    total++;
  }
  const duplicates = [...copies].filter(([, n]) => n > 1);
  return {
    expected: wanted.size,
    delivered: total,
    lost: [...wanted].filter((id) => !copies.has(id)),
    duplicated: duplicates.reduce((sum, [, n]) => sum + n - 1, 0),
    unexpected: [...copies.keys()].filter((id) => !wanted.has(id)),
    duplicateExamples: duplicates
      .slice(0, 5)
      .map(([id, n]) => (at.has(id) ? { id, copies: n, at: at.get(id) ?? [] } : { id, copies: n })),
  };
}
