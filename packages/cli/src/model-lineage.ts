import type { ModelVersion } from '@driftwatch/topics';

/**
 * A model's versions as a tree of lineage, parent above child, siblings oldest first, one line per
 * version with `describe(version)` after its number. A version whose parent is unknown (the
 * bootstrap model, or a parent missing from the topic) starts a tree of its own.
 *
 * @example
 * ```ts
 * const versions = [
 *   { version: 1, parentVersion: null },
 *   { version: 2, parentVersion: 1 },
 *   { version: 3, parentVersion: 1 },
 *   { version: 4, parentVersion: 3 },
 * ];
 * const lines = lineageLines(versions, (v) => (v === 2 ? 'rejected' : 'promoted'));
 * lines; // => ["v1 promoted", "├── v2 rejected", "└── v3 promoted", "    └── v4 promoted"]
 * ```
 */
export function lineageLines(
  versions: readonly Pick<ModelVersion, 'version' | 'parentVersion'>[],
  describe: (version: number) => string,
): string[] {
  const known = new Set(versions.map((v) => v.version));
  const children = new Map<number, number[]>();
  const roots: number[] = [];
  for (const { version, parentVersion } of versions) {
    if (parentVersion === null || !known.has(parentVersion) || parentVersion === version) {
      roots.push(version);
      continue;
    }
    const siblings = children.get(parentVersion) ?? [];
    siblings.push(version);
    children.set(parentVersion, siblings);
  }
  const byNumber = (a: number, b: number): number => a - b;
  const lines: string[] = [];
  const drawn = new Set<number>();
  const draw = (version: number, prefix: string, branch: string): void => {
    // A cycle in parentVersion is corrupt data; draw each version once regardless.
    if (drawn.has(version)) return;
    drawn.add(version);
    lines.push(`${prefix}${branch}v${version} ${describe(version)}`.trimEnd());
    const below = (children.get(version) ?? []).sort(byNumber);
    const childPrefix = prefix + (branch === '├── ' ? '│   ' : branch === '' ? '' : '    ');
    below.forEach((child, i) => {
      draw(child, childPrefix, i === below.length - 1 ? '└── ' : '├── ');
    });
  };
  for (const root of roots.sort(byNumber)) draw(root, '', '');
  // Versions only reachable through a cycle: shown, flat, rather than lost.
  for (const { version } of versions) draw(version, '', '');
  return lines;
}
