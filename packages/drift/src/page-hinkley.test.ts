import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { DriftError } from './errors.js';
import { PageHinkley, type PageHinkleyMode, type PageHinkleyOptions } from './page-hinkley.js';
import { mulberry32 } from './random.js';
import { detectedIndices } from './testing/detected-indices.js';

/** Written by test/fixtures/drift/river/generate_river_goldens.py; never edit by hand. */
interface RiverGoldens {
  river: string;
  streams: Record<string, number[]>;
  cases: { name: string; stream: string; options: PageHinkleyOptions; detections: number[] }[];
}

const goldens = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/drift/river/page-hinkley.json', import.meta.url),
    'utf8',
  ),
) as RiverGoldens;

function streamOf(name: string): number[] {
  const stream = goldens.streams[name];
  assert.ok(stream, `fixture has no stream ${name}`);
  return stream;
}

function isInvalid(code: DriftError['code']): (error: unknown) => boolean {
  return (error) => error instanceof DriftError && error.code === code;
}

describe('PageHinkley', () => {
  describe(`agrees with River ${goldens.river} (drift.PageHinkley)`, () => {
    for (const golden of goldens.cases) {
      it(golden.name, () => {
        const detector = new PageHinkley(golden.options);
        assert.deepEqual(detectedIndices(detector, streamOf(golden.stream)), golden.detections);
        assert.deepEqual(detector.detections, golden.detections);
      });
    }
  });

  it('covers every mode and a multi-detection stream in the goldens', () => {
    const modes = new Set(goldens.cases.map((golden) => golden.options.mode ?? 'both'));
    assert.deepEqual([...modes].sort(), ['both', 'down', 'up']);
    assert.ok(goldens.cases.some((golden) => golden.detections.length > 10));
  });

  it('never fires on a constant stream', () => {
    const detector = new PageHinkley({ threshold: 0.001, delta: 0, minInstances: 1 });
    assert.deepEqual(detectedIndices(detector, Array<number>(10_000).fill(-7.5)), []);
    assert.equal(detector.count, 10_000);
  });

  it('raises driftDetected for the detecting element only, then starts over', () => {
    const detector = new PageHinkley({ threshold: 5, minInstances: 5 });
    const stream = [...Array<number>(50).fill(0), ...Array<number>(50).fill(10)];
    const flags = stream.map((value) => detector.update(value));
    const first = flags.indexOf(true);
    assert.ok(first >= 50, `detected at ${first}`);
    assert.equal(flags[first + 1], false);
    // The run restarts after a detection, so the next one needs minInstances elements again.
    const second = flags.indexOf(true, first + 1);
    assert.ok(second === -1 || second - first >= 5);
    assert.equal(detector.driftDetected, flags.at(-1));
  });

  it('only sees decreases in mode down and increases in mode up', () => {
    const random = mulberry32(1);
    const rising = Array.from({ length: 2000 }, (_, i) => random() + (i < 1000 ? 0 : 2));
    assert.deepEqual(detectedIndices(new PageHinkley({ mode: 'down' }), rising), []);
    assert.equal(detectedIndices(new PageHinkley({ mode: 'up' }), rising).length, 1);
    const falling = rising.map((value) => -value);
    assert.deepEqual(detectedIndices(new PageHinkley({ mode: 'up' }), falling), []);
    assert.equal(detectedIndices(new PageHinkley({ mode: 'down' }), falling).length, 1);
  });

  it('validates options at construction', () => {
    const invalid: PageHinkleyOptions[] = [
      { minInstances: -1 },
      { minInstances: 2.5 },
      { delta: -0.1 },
      { delta: NaN },
      { threshold: 0 },
      { threshold: Infinity },
      { alpha: 0 },
      { alpha: 1.01 },
      { alpha: NaN },
      { mode: 'sideways' as PageHinkleyMode },
    ];
    for (const options of invalid) {
      assert.throws(
        () => new PageHinkley(options),
        isInvalid('DW_INVALID_OPTION'),
        JSON.stringify(options),
      );
    }
    assert.doesNotThrow(() => new PageHinkley({ alpha: 1, delta: 0, minInstances: 0 }));
  });

  it('rejects non-finite values without changing state', () => {
    const detector = new PageHinkley();
    detector.update(1);
    for (const value of [NaN, Infinity, -Infinity, '3' as unknown as number]) {
      assert.throws(() => detector.update(value), isInvalid('DW_INVALID_INPUT'));
    }
    assert.equal(detector.count, 1);
  });
});
