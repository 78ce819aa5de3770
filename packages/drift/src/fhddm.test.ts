import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Fhddm, type FhddmOptions, type FhddmState } from './fhddm.js';
import { mulberry32 } from './random.js';
import { assertDriftError } from './testing/assert-drift-error.js';
import { detectedIndices } from './testing/detected-indices.js';
import {
  assertRejectsStates,
  assertResumesExactly,
  splitPoints,
} from './testing/resume-exactly.js';
import { assertClose, loadRiverSpecGoldens } from './testing/river-spec-goldens.js';

/** River's FHDDM after the update at `index`. */
interface RiverFhddmState {
  index: number;
  /** River's deque as digits: it drops the oldest outcome after testing a full window. */
  window: string;
  ones: number;
  maxAccuracy: number;
  driftDetected: boolean;
}

const goldens = loadRiverSpecGoldens<{
  name: string;
  stream: string;
  options: FhddmOptions;
  detections: number[];
  states: RiverFhddmState[];
}>('fhddm.json');

/** Asserts our state after an update is River's: River holds our window less its oldest if full. */
function assertRiverState(detector: Fhddm, river: RiverFhddmState): void {
  const where = `after element ${river.index}`;
  const { window } = detector.toJSON();
  const riverWindow = window.length === detector.windowSize ? window.slice(1) : window;
  assert.equal(riverWindow.join(''), river.window, `${where}: window`);
  assert.equal(
    riverWindow.reduce<number>((sum, bit) => sum + bit, 0),
    river.ones,
    `${where}: ones`,
  );
  assertClose(detector.maxAccuracy, river.maxAccuracy, `${where}: maxAccuracy`);
  assert.equal(detector.driftDetected, river.driftDetected, `${where}: driftDetected`);
}

/** A classifier right with probability `before`, then `after` from outcome `change` on. */
function accuracyStream(
  seed: number,
  length: number,
  change: number,
  before: number,
  after = before,
) {
  const random = mulberry32(seed);
  return Array.from({ length }, (_, i) => (random() < (i < change ? before : after) ? 1 : 0));
}

describe('Fhddm', () => {
  describe(`agrees with River ${goldens.river} (drift.binary.FHDDM), fed 1 = correct`, () => {
    for (const golden of goldens.cases) {
      it(golden.name, () => {
        const detector = new Fhddm(golden.options);
        const states = new Map(golden.states.map((state) => [state.index, state]));
        const detections: number[] = [];
        goldens.streamOf(golden.stream).forEach((outcome, index) => {
          if (detector.update(outcome)) detections.push(index);
          const river = states.get(index);
          if (river) assertRiverState(detector, river);
        });
        assert.deepEqual(detections, golden.detections);
        assert.deepEqual(detector.detections, golden.detections);
      });
    }
  });

  it('covers no detection, one, and many in the goldens', () => {
    const counts = goldens.cases.map((golden) => golden.detections.length);
    assert.ok(counts.includes(0) && counts.includes(1) && Math.max(...counts) > 10);
  });

  it('detects an abrupt fall in accuracy (0.95 → 0.5) within 100 outcomes, for 20 seeds', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const stream = accuracyStream(seed, 3000, 2000, 0.95, 0.5);
      const detections = detectedIndices(new Fhddm(), stream);
      assert.ok(detections.length > 0, `seed ${seed}: no detection`);
      const first = detections[0] as number;
      assert.ok(first >= 2000 && first < 2100, `seed ${seed}: first detection at ${first}`);
    }
  });

  it('raises rare false alarms on a stationary stream (accuracy 0.8, seed 11)', () => {
    // p_max is the best of every window of the run, so over a long run it creeps above the mean
    // and false alarms become possible: about one per 30,000 outcomes here.
    const detections = detectedIndices(new Fhddm(), accuracyStream(11, 100_000, 0, 0.8));
    assert.ok(detections.length <= 5, `${detections.length} false alarms in 100,000`);
    assert.ok((detections[0] ?? Infinity) > 20_000, `first false alarm at ${detections[0]}`);
  });

  it('never fires on a rise in accuracy, nor on constant streams', () => {
    assert.deepEqual(detectedIndices(new Fhddm(), accuracyStream(3, 4000, 2000, 0.5, 0.95)), []);
    for (const outcome of [0, 1]) {
      const detector = new Fhddm({ windowSize: 10 });
      assert.deepEqual(detectedIndices(detector, Array<number>(1000).fill(outcome)), []);
      assert.equal(detector.maxAccuracy, outcome);
      assert.equal(detector.accuracy, outcome);
    }
  });

  it('tests nothing until the window is full, then starts over after a detection', () => {
    const detector = new Fhddm({ windowSize: 10, delta: 0.01 });
    // ε = √(ln 100 / 20) ≈ 0.48: five wrong in a full window of ten after ten right.
    const stream = [...Array<number>(10).fill(1), ...Array<number>(5).fill(0)];
    assert.deepEqual(detectedIndices(detector, stream), [14]);
    assert.equal(detector.maxAccuracy, 1);
    assert.equal(detector.accuracy, 0.5);
    detector.update(0);
    assert.equal(detector.driftDetected, false);
    assert.equal(detector.maxAccuracy, 0);
    assert.deepEqual(detector.toJSON().window, [0]);
    // A window of wrong outcomes after the restart is the new baseline, not a fall.
    assert.deepEqual(detectedIndices(detector, Array<number>(20).fill(0)), []);
    assert.equal(detector.count, 36);
  });

  it('takes booleans as well as 0 and 1', () => {
    const stream = accuracyStream(5, 3000, 1500, 0.9, 0.6);
    assert.deepEqual(
      detectedIndices(
        new Fhddm(),
        stream.map((outcome) => outcome === 1),
      ),
      detectedIndices(new Fhddm(), stream),
    );
  });

  it('validates options at construction (DW_DRIFT_INVALID_OPTION)', () => {
    const invalid: FhddmOptions[] = [
      { windowSize: 0 },
      { windowSize: -5 },
      { windowSize: 2.5 },
      { windowSize: NaN },
      { delta: 0 },
      { delta: 1 },
      { delta: -0.1 },
      { delta: NaN },
      { delta: Infinity },
    ];
    for (const options of invalid) {
      assertDriftError('DW_DRIFT_INVALID_OPTION', () => new Fhddm(options));
    }
    const detector = new Fhddm();
    assert.equal(detector.windowSize, 100);
    assert.equal(detector.delta, 0.000001);
    assert.doesNotThrow(() => new Fhddm({ windowSize: 1, delta: 0.5 }));
  });

  it('rejects anything but 0, 1, false and true (DW_DRIFT_INVALID_INPUT), changing nothing', () => {
    const detector = new Fhddm();
    detector.update(1);
    for (const value of [0.5, 2, -1, NaN, Infinity, '1' as unknown as number]) {
      assertDriftError('DW_DRIFT_INVALID_INPUT', () => detector.update(value));
    }
    assert.equal(detector.count, 1);
    assert.deepEqual(detector.toJSON().window, [1]);
  });
});

describe('Fhddm snapshots', () => {
  const cases = [
    'abrupt-drop/defaults',
    'abrupt-drop/loose',
    'staircase-down/small-window',
    'gradual-drop/loose',
    'repeated-drops/large-window',
    'single-miss-run/small-window',
    'all-wrong/defaults',
  ];
  for (const name of cases) {
    const golden = goldens.cases.find((candidate) => candidate.name === name);
    assert.ok(golden, `no golden case ${name}`);
    it(`resumes exactly on ${name}, split anywhere`, () => {
      const stream = goldens.streamOf(golden.stream);
      const { windowSize = 100 } = golden.options;
      assertResumesExactly({
        create: () => new Fhddm(golden.options),
        revive: (state) => Fhddm.fromJSON(state),
        update: (detector, outcome: number) => detector.update(outcome),
        observe: (detector) => [
          detector.driftDetected,
          detector.count,
          detector.accuracy,
          detector.maxAccuracy,
          detector.detections.length,
        ],
        stream,
        splits: splitPoints(stream.length, [
          ...golden.detections.slice(0, 6),
          windowSize,
          Math.floor(stream.length / 2),
        ]),
      });
    });
  }

  it('refuses malformed states with DW_DRIFT_INVALID_STATE', () => {
    const detector = new Fhddm({ windowSize: 10, delta: 0.01 });
    detectedIndices(detector, [...Array<number>(12).fill(1), 0, 0, 0]);
    const state = detector.toJSON();
    assertRejectsStates('Fhddm', (state) => Fhddm.fromJSON(state as FhddmState), {
      'not an object': [],
      'windowSize 0': { ...state, windowSize: 0 },
      'delta missing': { ...state, delta: undefined },
      'window longer than windowSize': { ...state, window: Array<number>(11).fill(1) },
      'window longer than count': { ...state, count: 3, detections: [], window: [1, 1, 1, 1] },
      'window with a 2': { ...state, window: [1, 2] },
      'window a string': { ...state, window: '1101' },
      'maxAccuracy above 1': { ...state, maxAccuracy: 1.5 },
      'maxAccuracy NaN': { ...state, maxAccuracy: 'NaN' },
      'detections beyond count': { ...state, detections: [state.count] },
      'driftDetected without a detection there': { ...state, driftDetected: true },
    });
  });
});
