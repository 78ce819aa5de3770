/** The kinds of state the detector keeps per model, each its own store and changelog keys. */
export type StateStream = 'concept' | 'data' | 'policy';

/** Which state a changelog record holds: a stream and a model. */
export interface StateKey {
  readonly stream: StateStream;
  readonly model: string;
}

/** The changelog's record key: `<stream>/<model>` (model names hold no `/`). */
export function formatStateKey(key: StateKey): string {
  return `${key.stream}/${key.model}`;
}

/** The key of a changelog record, or undefined for one this release does not write. */
export function parseStateKey(text: string): StateKey | undefined {
  const slash = text.indexOf('/');
  const stream = text.slice(0, slash);
  const model = text.slice(slash + 1);
  if (slash < 0 || model.length === 0) return undefined;
  if (stream !== 'concept' && stream !== 'data' && stream !== 'policy') return undefined;
  return { stream, model };
}
