/**
 * An event's vector feature, `embedding`, is one feature per position everywhere past inference:
 * `embedding[0]` … `embedding[length − 1]`. So a model that takes the vector lists those names
 * among its `featureNames` (in a CSV they are its columns), the reference clusters and projects
 * them like any columns, and predictions, labeled records and the trainer's rows carry them as
 * features, with no second path for vectors through every service.
 */
const embeddingColumn = /^embedding\[(0|[1-9][0-9]*)\]$/;

/** The feature names of an embedding of `length` values, in order. */
export function embeddingColumns(length: number): string[] {
  return Array.from({ length }, (_, i) => `embedding[${i}]`);
}

/** Whether `name` is one position of the embedding, `embedding[i]`. */
export function isEmbeddingColumn(name: string): boolean {
  return embeddingColumn.test(name);
}

/** How many embedding positions `names` lists (whether or not they are 0 … n − 1; see below). */
export function embeddingLengthOf(names: readonly string[]): number {
  return names.filter(isEmbeddingColumn).length;
}

/**
 * Why the embedding positions among `names` cannot stand for one vector — a position missing or
 * repeated, so no column says which value it is — or null when they are exactly `embedding[0]` …
 * `embedding[n − 1]` (in any order among the other names), or there are none.
 */
export function embeddingColumnsProblem(names: readonly string[]): string | null {
  const positions = names
    .map((name) => embeddingColumn.exec(name)?.[1])
    .filter((position): position is string => position !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  for (const [i, position] of positions.entries()) {
    if (position !== i) {
      return `embedding columns must be embedding[0] … embedding[${positions.length - 1}], each once; found embedding[${position}] where embedding[${i}] belongs`;
    }
  }
  return null;
}

/**
 * `features` with `embedding` spread into them as `embedding[i]`; `features` itself when there is
 * no embedding. The event schema already refused an event naming `embedding[i]` among its features
 * beside an embedding, so nothing is overwritten.
 *
 * @example
 * ```ts
 * withEmbeddingColumns({ age: 41 }, [0.5, -1]); // => {"age":41,"embedding[0]":0.5,"embedding[1]":-1}
 * withEmbeddingColumns({ age: 41 }, null); // => {"age":41}
 * ```
 */
export function withEmbeddingColumns(
  features: Readonly<Record<string, number>>,
  embedding: readonly number[] | null | undefined,
): Readonly<Record<string, number>> {
  if (!embedding || embedding.length === 0) return features;
  const spread: Record<string, number> = { ...features };
  for (const [i, value] of embedding.entries()) spread[`embedding[${i}]`] = value;
  return spread;
}
