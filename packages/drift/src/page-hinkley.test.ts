import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { DriftError } from './errors.js';
import {
  PageHinkley,
  type PageHinkleyMode,
  type PageHinkleyOptions,
  type PageHinkleyState,
} from './page-hinkley.js';
import { mulberry32 } from './random.js';
import { detectedIndices } from './testing/detected-indices.js';
import {
  assertRejectsStates,
  assertResumesExactly,
  splitPoints,
} from './testing/resume-exactly.js';

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
        isInvalid('DW_DRIFT_INVALID_OPTION'),
        JSON.stringify(options),
      );
    }
    assert.doesNotThrow(() => new PageHinkley({ alpha: 1, delta: 0, minInstances: 0 }));
  });

  it('rejects non-finite values without changing state', () => {
    const detector = new PageHinkley();
    detector.update(1);
    for (const value of [NaN, Infinity, -Infinity, '3' as unknown as number]) {
      assert.throws(() => detector.update(value), isInvalid('DW_DRIFT_INVALID_INPUT'));
    }
    assert.equal(detector.count, 1);
  });
});

describe('PageHinkley snapshots', () => {
  const cases = [
    'abrupt-up/defaults',
    'abrupt-down/sensitive',
    'repeated-shifts/no-forgetting',
    'repeated-shifts/down',
    'gradual-ramp/late-start',
    'stationary-large-scale/defaults',
    'constant/forgetful',
    'binary-errors/forgetful',
  ];
  for (const name of cases) {
    const golden = goldens.cases.find((candidate) => candidate.name === name);
    assert.ok(golden, `no golden case ${name}`);
    it(`resumes exactly on ${name}, split anywhere`, () => {
      const { minInstances = 30 } = golden.options;
      assertResumesExactly({
        create: () => new PageHinkley(golden.options),
        revive: (state) => PageHinkley.fromJSON(state),
        update: (detector, value: number) => detector.update(value),
        observe: (detector) => [detector.driftDetected, detector.count, detector.detections.length],
        stream: streamOf(golden.stream),
        splits: splitPoints(streamOf(golden.stream).length, [
          ...golden.detections.slice(0, 12),
          minInstances,
        ]),
      });
    });
  }

  it('spells out the infinite extremes of a fresh run', () => {
    const detector = new PageHinkley({ minInstances: 3, threshold: 2 });
    detectedIndices(detector, [0, 0, 0, 0, 3]);
    assert.equal(detector.driftDetected, true);
    const state = detector.toJSON();
    assert.equal(state.delta, 0.005);
    const fresh = new PageHinkley().toJSON();
    assert.equal(fresh.minSumUp, 'Infinity');
    assert.equal(fresh.maxSumDown, '-Infinity');
    assert.deepEqual(
      PageHinkley.fromJSON(JSON.parse(JSON.stringify(fresh)) as PageHinkleyState).toJSON(),
      fresh,
    );
  });

  it('refuses malformed states with DW_DRIFT_INVALID_STATE', () => {
    const detector = new PageHinkley({ minInstances: 3, threshold: 2 });
    detectedIndices(detector, [0, 0, 0, 0, 3, 3, 3]);
    const state = detector.toJSON();
    assertRejectsStates('PageHinkley', (state) => PageHinkley.fromJSON(state as PageHinkleyState), {
      'not an object': 'state',
      'mode unknown': { ...state, mode: 'sideways' },
      'mode missing': { ...state, mode: undefined },
      'threshold 0': { ...state, threshold: 0 },
      'alpha above 1': { ...state, alpha: 1.5 },
      'runLength above count': { ...state, runLength: state.count + 1 },
      'count fractional': { ...state, count: 6.5 },
      'mean null (a NaN through JSON.stringify)': { ...state, mean: null },
      'minSumUp an unknown string': { ...state, minSumUp: 'inf' },
      'detections beyond count': { ...state, detections: [state.count] },
      'detections repeated': { ...state, detections: [4, 4] },
      'driftDetected without a detection there': { ...state, driftDetected: true },
    });
  });
});
