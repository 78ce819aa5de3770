import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Fhddm } from './fhddm.js';
import { Fhddms, type FhddmsOptions, type FhddmsState } from './fhddms.js';
import { mulberry32 } from './random.js';
import { assertDriftError } from './testing/assert-drift-error.js';
import { detectedIndices } from './testing/detected-indices.js';
import {
  assertRejectsStates,
  assertResumesExactly,
  splitPoints,
} from './testing/resume-exactly.js';
import { assertClose, loadRiverSpecGoldens } from './testing/river-spec-goldens.js';

/** River's stacked FHDDM after the update at `index`. */
interface RiverFhddmsState {
  index: number;
  /** River's deque as digits: it drops the oldest outcome after testing a full window. */
  window: string;
  ones: number;
  maxAccuracy: number;
  maxShortAccuracy: number;
  driftDetected: boolean;
}

const goldens = loadRiverSpecGoldens<{
  name: string;
  stream: string;
  options: FhddmsOptions;
  detections: number[];
  states: RiverFhddmsState[];
}>('fhddms.json');

/** Asserts our state after an update is River's: River holds our window less its oldest if full. */
function assertRiverState(detector: Fhddms, river: RiverFhddmsState): void {
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
  assertClose(detector.maxShortAccuracy, river.maxShortAccuracy, `${where}: maxShortAccuracy`);
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

describe('Fhddms', () => {
  describe(`agrees with River ${goldens.river} (drift.binary.FHDDM with short_window_size), fed 1 = correct`, () => {
    for (const golden of goldens.cases) {
      it(golden.name, () => {
        const detector = new Fhddms(golden.options);
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

  it('covers no detection, one, many, and short = long windows in the goldens', () => {
    const counts = goldens.cases.map((golden) => golden.detections.length);
    assert.ok(counts.includes(0) && counts.includes(1) && Math.max(...counts) > 10);
    assert.ok(
      goldens.cases.some((golden) => golden.options.shortWindowSize === golden.options.windowSize),
    );
  });

  it('sees an abrupt fall (0.95 → 0.3) sooner than Fhddm does, within 60 outcomes, for 20 seeds', () => {
    let sooner = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const stream = accuracyStream(seed, 3000, 2000, 0.95, 0.3);
      const stacked = detectedIndices(new Fhddms(), stream)[0] ?? Infinity;
      const plain = detectedIndices(new Fhddm(), stream)[0] ?? Infinity;
      assert.ok(stacked >= 2000 && stacked < 2060, `seed ${seed}: first detection at ${stacked}`);
      assert.ok(stacked <= plain, `seed ${seed}: stacked ${stacked}, plain ${plain}`);
      if (stacked < plain) sooner++;
    }
    assert.ok(sooner >= 15, `sooner on ${sooner} of 20 seeds`);
  });

  it('is Fhddm when the short window cannot fire (ε of one outcome exceeds 1)', () => {
    // √(ln 10⁶ / 2) ≈ 2.63: a short window of 1 never drops that far.
    const stream = accuracyStream(8, 20_000, 10_000, 0.9, 0.7);
    assert.deepEqual(
      detectedIndices(new Fhddms({ shortWindowSize: 1 }), stream),
      detectedIndices(new Fhddm(), stream),
    );
  });

  it('never fires while accuracy only rises, nor on constant streams', () => {
    // Deterministic: a short window of 25 on a noisy 0.5 can fall by ε_short ≈ 0.53 by chance.
    const rising = [...Array<number>(300).fill(0), ...Array<number>(700).fill(1)];
    assert.deepEqual(detectedIndices(new Fhddms(), rising), []);
    for (const outcome of [0, 1]) {
      const detector = new Fhddms({ windowSize: 10, shortWindowSize: 4 });
      assert.deepEqual(detectedIndices(detector, Array<number>(1000).fill(outcome)), []);
      assert.equal(detector.maxShortAccuracy, outcome);
      assert.equal(detector.shortAccuracy, outcome);
    }
  });

  it('tests the short window only once the long one is full, then starts over', () => {
    // δ = 0.2: short ε = √(ln 5 / 4) ≈ 0.63, long ε = √(ln 5 / 12) ≈ 0.37.
    const detector = new Fhddms({ windowSize: 6, shortWindowSize: 2, delta: 0.2 });
    // Two wrong after two right: a short-window fall of 1, but the long window is not full yet.
    assert.deepEqual(detectedIndices(detector, [1, 1, 0, 0]), []);
    assert.equal(detector.maxShortAccuracy, 0);
    assert.equal(detector.shortAccuracy, 0);
    // Full at the 6th (short 1, long 4/6); at the 8th the short window is 0 again, the long 2/6.
    assert.deepEqual(detectedIndices(detector, [1, 1, 0, 0]), [3]);
    assert.equal(detector.detections[0], 7);
    assert.equal(detector.maxShortAccuracy, 1);
    assert.equal(detector.maxAccuracy, 4 / 6);
    assert.equal(detector.accuracy, 2 / 6);
    assert.equal(detector.shortAccuracy, 0);
    detector.update(0);
    assert.equal(detector.driftDetected, false);
    assert.equal(detector.maxShortAccuracy, 0);
    assert.deepEqual(detector.toJSON().window, [0]);
  });

  it('validates options at construction (DW_DRIFT_INVALID_OPTION)', () => {
    const invalid: FhddmsOptions[] = [
      { windowSize: 0 },
      { windowSize: 2.5 },
      { shortWindowSize: 0 },
      { shortWindowSize: 3.5 },
      { shortWindowSize: NaN },
      { shortWindowSize: 101 },
      { windowSize: 20 },
      { delta: 0 },
      { delta: 1 },
      { delta: NaN },
    ];
    for (const options of invalid) {
      assertDriftError('DW_DRIFT_INVALID_OPTION', () => new Fhddms(options));
    }
    const detector = new Fhddms();
    assert.deepEqual(
      [detector.windowSize, detector.shortWindowSize, detector.delta],
      [100, 25, 0.000001],
    );
    assert.doesNotThrow(() => new Fhddms({ windowSize: 20, shortWindowSize: 20 }));
  });

  it('rejects anything but 0, 1, false and true (DW_DRIFT_INVALID_INPUT), changing nothing', () => {
    const detector = new Fhddms();
    detector.update(true);
    for (const value of [0.5, 2, NaN, null as unknown as number]) {
      assertDriftError('DW_DRIFT_INVALID_INPUT', () => detector.update(value));
    }
    assert.equal(detector.count, 1);
    assert.deepEqual(detector.toJSON().window, [1]);
  });
});

describe('Fhddms snapshots', () => {
  const cases = [
    'abrupt-drop/tiny-short-loose',
    'abrupt-drop/long-200',
    'staircase-down/equal-windows',
    'gradual-drop/defaults',
    'repeated-drops/short-10',
    'single-miss-run/defaults',
  ];
  for (const name of cases) {
    const golden = goldens.cases.find((candidate) => candidate.name === name);
    assert.ok(golden, `no golden case ${name}`);
    it(`resumes exactly on ${name}, split anywhere`, () => {
      const stream = goldens.streamOf(golden.stream);
      const { windowSize = 100, shortWindowSize = 25 } = golden.options;
      assertResumesExactly({
        create: () => new Fhddms(golden.options),
        revive: (state) => Fhddms.fromJSON(state),
        update: (detector, outcome: number) => detector.update(outcome),
        observe: (detector) => [
          detector.driftDetected,
          detector.count,
          detector.accuracy,
          detector.shortAccuracy,
          detector.maxAccuracy,
          detector.maxShortAccuracy,
          detector.detections.length,
        ],
        stream,
        splits: splitPoints(stream.length, [
          ...golden.detections.slice(0, 6),
          shortWindowSize,
          windowSize,
          Math.floor(stream.length / 2),
        ]),
      });
    });
  }

  it('refuses malformed states with DW_DRIFT_INVALID_STATE', () => {
    const detector = new Fhddms({ windowSize: 10, shortWindowSize: 5, delta: 0.01 });
    detectedIndices(detector, [...Array<number>(12).fill(1), 0, 0, 0]);
    const state = detector.toJSON();
    assertRejectsStates('Fhddms', (state) => Fhddms.fromJSON(state as FhddmsState), {
      'not an object': null,
      'shortWindowSize above windowSize': { ...state, shortWindowSize: 11 },
      'shortWindowSize missing': { ...state, shortWindowSize: undefined },
      'window longer than windowSize': { ...state, window: Array<number>(11).fill(1) },
      'window with a -1': { ...state, window: [1, -1] },
      'maxShortAccuracy negative': { ...state, maxShortAccuracy: -0.5 },
      'maxShortAccuracy missing': { ...state, maxShortAccuracy: undefined },
      'count fractional': { ...state, count: 14.5 },
      'driftDetected without a detection there': { ...state, driftDetected: true },
    });
  });
});
