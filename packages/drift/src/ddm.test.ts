import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Ddm, type DdmOptions, type DdmState } from './ddm.js';
import { DriftError } from './errors.js';
import { detectedIndices } from './testing/detected-indices.js';
import {
  assertRejectsStates,
  assertResumesExactly,
  splitPoints,
} from './testing/resume-exactly.js';

/** Written by test/fixtures/drift/river/generate_river_goldens.py; never edit by hand. */
interface RiverGoldens {
  river: string;
  /** 0/1 streams as strings of digits. */
  streams: Record<string, string>;
  cases: {
    name: string;
    stream: string;
    options: DdmOptions;
    detections: number[];
    /** Inclusive [first, last] runs of indices where River's `warning_detected` was true. */
    warningRanges: [number, number][];
  }[];
}

const goldens = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/drift/river/ddm.json', import.meta.url), 'utf8'),
) as RiverGoldens;

function streamOf(name: string): number[] {
  const digits = goldens.streams[name];
  assert.ok(digits !== undefined, `fixture has no stream ${name}`);
  return Array.from(digits, (digit) => Number(digit));
}

function warningRanges(flags: readonly boolean[]): [number, number][] {
  const ranges: [number, number][] = [];
  flags.forEach((flag, index) => {
    if (!flag) return;
    const last = ranges.at(-1);
    if (last && last[1] === index - 1) last[1] = index;
    else ranges.push([index, index]);
  });
  return ranges;
}

function isInvalid(code: DriftError['code']): (error: unknown) => boolean {
  return (error) => error instanceof DriftError && error.code === code;
}

describe('Ddm', () => {
  describe(`agrees with River ${goldens.river} (drift.binary.DDM)`, () => {
    for (const golden of goldens.cases) {
      it(golden.name, () => {
        const detector = new Ddm(golden.options);
        const warnings: boolean[] = [];
        const detections = detectedIndices(
          {
            update: (error: number) => {
              const drift = detector.update(error);
              warnings.push(detector.warningDetected);
              return drift;
            },
          },
          streamOf(golden.stream),
        );
        assert.deepEqual(detections, golden.detections);
        assert.deepEqual(warningRanges(warnings), golden.warningRanges);
      });
    }
  });

  it('accepts booleans as well as 0 and 1', () => {
    const bits = streamOf('abrupt-increase');
    const fromBooleans = detectedIndices(
      new Ddm(),
      bits.map((bit) => bit === 1),
    );
    assert.deepEqual(fromBooleans, detectedIndices(new Ddm(), bits));
  });

  it('never fires on constant streams', () => {
    for (const bit of [0, 1]) {
      const detector = new Ddm({ warmStart: 0 });
      assert.deepEqual(detectedIndices(detector, Array<number>(5000).fill(bit)), []);
      assert.equal(detector.warningDetected, false);
      assert.equal(detector.errorRate, bit);
    }
  });

  it('treats the first error after an error-free warm start as drift, as River does', () => {
    const stream = [...Array<number>(40).fill(0), 1];
    assert.deepEqual(detectedIndices(new Ddm(), stream), [40]);
    assert.deepEqual(detectedIndices(new Ddm({ warmStart: 41 }), stream), []);
  });

  it('starts over after a detection', () => {
    const detector = new Ddm({ warmStart: 5 });
    const stream = [...Array<number>(10).fill(0), 1, 1, 1];
    assert.deepEqual(detectedIndices(detector, stream), [10]);
    assert.equal(detector.driftDetected, false);
    assert.equal(detector.errorRate, 1);
    assert.equal(detector.count, 13);
  });

  it('validates options at construction', () => {
    const invalid: DdmOptions[] = [
      { warmStart: -1 },
      { warmStart: 1.5 },
      { warningThreshold: 0 },
      { warningThreshold: NaN },
      { driftThreshold: -3 },
      { driftThreshold: Infinity },
      { warningThreshold: 3, driftThreshold: 2 },
    ];
    for (const options of invalid) {
      assert.throws(
        () => new Ddm(options),
        isInvalid('DW_DRIFT_INVALID_OPTION'),
        JSON.stringify(options),
      );
    }
    assert.doesNotThrow(() => new Ddm({ warmStart: 0, warningThreshold: 2, driftThreshold: 2 }));
  });

  it('rejects anything but 0, 1, false and true', () => {
    const detector = new Ddm();
    for (const value of [0.5, 2, -1, NaN, Infinity, '1' as unknown as number]) {
      assert.throws(() => detector.update(value), isInvalid('DW_DRIFT_INVALID_INPUT'));
    }
    assert.equal(detector.count, 0);
  });
});

describe('Ddm snapshots', () => {
  const cases = [
    'abrupt-increase/defaults',
    'abrupt-increase/long-warm-start',
    'staircase/tight',
    'gradual-increase/tight',
    'stationary/no-warm-start',
    'stationary-rare-errors/tight',
    'all-errors/no-warm-start',
    'first-error-after-clean-start/defaults',
  ];
  for (const name of cases) {
    const golden = goldens.cases.find((candidate) => candidate.name === name);
    assert.ok(golden, `no golden case ${name}`);
    it(`resumes exactly on ${name}, split anywhere`, () => {
      const stream = streamOf(golden.stream);
      const warnings = golden.warningRanges.flat().slice(0, 8);
      const { warmStart = 30 } = golden.options;
      assertResumesExactly({
        create: () => new Ddm(golden.options),
        revive: (state) => Ddm.fromJSON(state),
        update: (detector, error: number) => detector.update(error),
        observe: (detector) => [
          detector.driftDetected,
          detector.warningDetected,
          detector.count,
          detector.errorRate,
          detector.detections.length,
        ],
        stream,
        splits: splitPoints(stream.length, [...golden.detections, ...warnings, warmStart]),
      });
    });
  }

  it('spells out an infinite minimum during the warm start', () => {
    const detector = new Ddm();
    detector.update(1);
    const state = detector.toJSON();
    assert.equal(state.minSum, 'Infinity');
    assert.deepEqual(Ddm.fromJSON(JSON.parse(JSON.stringify(state)) as DdmState).toJSON(), state);
  });

  it('refuses malformed states with DW_DRIFT_INVALID_STATE', () => {
    const detector = new Ddm({ warmStart: 5 });
    detectedIndices(detector, [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    const state = detector.toJSON();
    assertRejectsStates('Ddm', (state) => Ddm.fromJSON(state as DdmState), {
      'not an object': 7,
      'warningThreshold above driftThreshold': { ...state, warningThreshold: 4 },
      'warmStart missing': { ...state, warmStart: undefined },
      'runLength above count': { ...state, runLength: state.count + 1 },
      'errorRate a string': { ...state, errorRate: '0.5' },
      'minSum null': { ...state, minSum: null },
      'warningDetected not a boolean': { ...state, warningDetected: 'no' },
      'warning and drift at once': {
        ...state,
        driftDetected: true,
        warningDetected: true,
        detections: [state.count - 1],
      },
      'detections not an array': { ...state, detections: 3 },
    });
  });
});
