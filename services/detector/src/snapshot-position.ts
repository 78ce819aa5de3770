import type { IHeaders } from '@driftwatch/bus';

/**
 * The header on each changelog record that says which input record its snapshot includes
 * (`<partition>@<offset>`, as in the snapshot). The detector follows its own changelog, and
 * nearly every record there is one it wrote and already holds: with the position in a header it
 * tells that from the header alone, instead of parsing tens of kilobytes of state to learn it.
 */
export const snapshotPositionHeader = 'dw-snapshot-position';

export function formatSnapshotPosition(snapshot: { partition: number; offset: string }): string {
  return `${String(snapshot.partition)}@${snapshot.offset}`;
}

/** The position a record's header gives, or undefined when it has none (an older release's). */
export function snapshotPositionOf(
  headers: IHeaders | undefined,
): { partition: number; offset: string } | undefined {
  const value = headers?.[snapshotPositionHeader];
  const text = Array.isArray(value) ? value[0]?.toString() : value?.toString();
  const match = text === undefined ? null : /^(-?\d+)@(\d+)$/.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  return { partition: Number(match[1]), offset: match[2] };
}
