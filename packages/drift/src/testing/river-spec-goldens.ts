/**
 * River goldens whose streams are stored as specs (fhddm.json, fhddms.json, hddm-a.json, written
 * by test/fixtures/drift/river/generate_river_goldens.py): each stream is regenerated here with
 * golden-streams.ts and must match the checksum of the stream River saw before any case uses it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { generateStream, streamChecksum, type StreamSpec } from './golden-streams.js';

/** A golden file: River's version, the streams by name, and the cases run over them. */
export interface RiverSpecGoldens<Case> {
  river: string;
  streams: Record<string, { spec: StreamSpec; checksum: string }>;
  cases: Case[];
}

/** Reads test/fixtures/drift/river/`file` and returns it with a checked stream lookup. */
export function loadRiverSpecGoldens<Case>(
  file: string,
): RiverSpecGoldens<Case> & { streamOf(name: string): (0 | 1)[] } {
  const goldens = JSON.parse(
    readFileSync(new URL(`../../../../test/fixtures/drift/river/${file}`, import.meta.url), 'utf8'),
  ) as RiverSpecGoldens<Case>;
  const cache = new Map<string, (0 | 1)[]>();
  return {
    ...goldens,
    streamOf(name) {
      let stream = cache.get(name);
      if (stream === undefined) {
        const stored = goldens.streams[name];
        assert.ok(stored, `${file} has no stream ${name}`);
        const values = generateStream(stored.spec);
        assert.equal(streamChecksum(values), stored.checksum, `stream ${name} is not River's`);
        stream = Array.from(values, (value) => (value === 1 ? 1 : 0));
        cache.set(name, stream);
      }
      return stream;
    },
  };
}

/** [3, 4, 5, 9] of flags true → [[3, 5], [9, 9]], as the goldens store warning zones. */
export function trueRanges(flags: readonly boolean[]): [number, number][] {
  const ranges: [number, number][] = [];
  flags.forEach((flag, index) => {
    if (!flag) return;
    const last = ranges.at(-1);
    if (last && last[1] === index - 1) last[1] = index;
    else ranges.push([index, index]);
  });
  return ranges;
}

/** Asserts |actual − expected| ≤ 1e-12 (the goldens' tolerance for River's doubles). */
export function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 1e-12,
    `${what}: ${actual}, River ${expected} (differ by ${Math.abs(actual - expected)})`,
  );
}
