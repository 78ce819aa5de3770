/**
 * Where `Adwin` (exact against MOA) differs from River's `drift.ADWIN`, pinned on the MOA golden
 * streams: River's answers are in test/fixtures/drift/river/adwin.json, written by the script
 * beside it. See "Where we differ from River" in this package's README.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Adwin, type AdwinOptions } from './adwin.js';
import { detectedIndices } from './testing/detected-indices.js';
import { generateStream, streamChecksum, type StreamSpec } from './testing/golden-streams.js';

interface RiverCase {
  name: string;
  options: Required<AdwinOptions>;
  streamSpec: StreamSpec;
  checksum: string;
  detections: number[];
  finalWidth: number;
  finalTotal: number;
}

interface MoaCase {
  name: string;
  detections: number[];
}

function fixture(path: string): unknown {
  return JSON.parse(
    readFileSync(new URL(`../../../test/fixtures/drift/${path}`, import.meta.url), 'utf8'),
  );
}

const river = fixture('river/adwin.json') as { river: string; cases: RiverCase[] };
const moa = new Map(
  (fixture('moa/adwin-golden.json') as { cases: MoaCase[] }).cases.map((c) => [c.name, c]),
);

/** River's behaviour built from ours: a new `Adwin` for the update after each detection. */
function restartingAfterEachDetection(
  options: AdwinOptions,
  stream: Float64Array,
): { detections: number[]; last: Adwin } {
  let adwin = new Adwin(options);
  const detections: number[] = [];
  for (let index = 0; index < stream.length; index++) {
    if (adwin.driftDetected) adwin = new Adwin(options);
    if (adwin.update(stream[index] ?? NaN)) detections.push(index);
  }
  return { detections, last: adwin };
}

describe(`Adwin against River ${river.river}'s ADWIN`, () => {
  it('covers every MOA golden case', () => {
    assert.deepEqual(
      river.cases.map((c) => c.name),
      [...moa.keys()],
    );
  });

  for (const expected of river.cases) {
    it(`${expected.name}: River = Adwin restarted after each detection`, () => {
      const stream = generateStream(expected.streamSpec);
      assert.equal(streamChecksum(stream), expected.checksum);

      const restarted = restartingAfterEachDetection(expected.options, stream);
      assert.deepEqual(restarted.detections, expected.detections);
      assert.equal(restarted.last.width, expected.finalWidth);
      const tolerance = 1e-12 * Math.max(1, Math.abs(expected.finalTotal));
      assert.ok(Math.abs(restarted.last.total - expected.finalTotal) <= tolerance);

      // Up to its first detection River is MOA: its scan skips no bucket (river #1539).
      const moaDetections = moa.get(expected.name)?.detections ?? [];
      assert.equal(expected.detections[0], moaDetections[0]);
    });
  }

  it("keeps the window after a change, where River starts from nothing (the README's example)", () => {
    const expected = river.cases.find((c) => c.name === 'abrupt-gaussian-shift-0.5');
    assert.ok(expected);
    const stream = generateStream(expected.streamSpec);
    assert.deepEqual(expected.detections, [10111]);
    const adwin = new Adwin(expected.options);
    assert.deepEqual(detectedIndices(adwin, stream), [10111, 10143, 10239, 10303]);
    assert.deepEqual(adwin.detections, moa.get(expected.name)?.detections);
  });
});
