import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HddmA, type HddmAOptions, type HddmAState } from './hddm-a.js';
import { mulberry32 } from './random.js';
import { assertDriftError } from './testing/assert-drift-error.js';
import { detectedIndices } from './testing/detected-indices.js';
import {
  assertRejectsStates,
  assertResumesExactly,
  splitPoints,
} from './testing/resume-exactly.js';
import { assertClose, loadRiverSpecGoldens, trueRanges } from './testing/river-spec-goldens.js';

interface RiverMean {
  n: number;
  mean: number;
}

/** River's HDDMA after the update at `index`: its three `stats.Mean`s and flags. */
interface RiverHddmAState {
  index: number;
  run: RiverMean;
  increaseCut: RiverMean;
  decreaseCut: RiverMean;
  warningDetected: boolean;
  driftDetected: boolean;
}

const goldens = loadRiverSpecGoldens<{
  name: string;
  stream: string;
  options: HddmAOptions;
  detections: number[];
  /** Inclusive [first, last] runs of indices where River's `warning_detected` was true. */
  warningRanges: [number, number][];
  states: RiverHddmAState[];
}>('hddm-a.json');

function assertRiverState(detector: HddmA, river: RiverHddmAState): void {
  const where = `after element ${river.index}`;
  const state = detector.toJSON();
  for (const prefix of ['run', 'increaseCut', 'decreaseCut'] as const) {
    assert.equal(state[prefix].n, river[prefix].n, `${where}: ${prefix}.n`);
    assertClose(Number(state[prefix].mean), river[prefix].mean, `${where}: ${prefix}.mean`);
  }
  assert.equal(detector.warningDetected, river.warningDetected, `${where}: warningDetected`);
  assert.equal(detector.driftDetected, river.driftDetected, `${where}: driftDetected`);
}

/** Errors (1 = wrong) at rate `before`, then `after` from element `change` on. */
function errorStream(seed: number, length: number, change: number, before: number, after = before) {
  const random = mulberry32(seed);
  return Array.from({ length }, (_, i) => (random() < (i < change ? before : after) ? 1 : 0));
}

describe('HddmA', () => {
  describe(`agrees with River ${goldens.river} (drift.binary.HDDMA)`, () => {
    for (const golden of goldens.cases) {
      it(golden.name, () => {
        const detector = new HddmA(golden.options);
        const states = new Map(golden.states.map((state) => [state.index, state]));
        const warnings: boolean[] = [];
        const detections: number[] = [];
        goldens.streamOf(golden.stream).forEach((error, index) => {
          if (detector.update(error)) detections.push(index);
          warnings.push(detector.warningDetected);
          const river = states.get(index);
          if (river) assertRiverState(detector, river);
        });
        assert.deepEqual(detections, golden.detections);
        assert.deepEqual(trueRanges(warnings), golden.warningRanges);
      });
    }
  });

  it('covers both sides, warnings, and several detections in the goldens', () => {
    assert.ok(goldens.cases.some((golden) => golden.options.twoSided === true));
    assert.ok(goldens.cases.some((golden) => golden.warningRanges.length > 0));
    assert.ok(goldens.cases.some((golden) => golden.detections.length >= 4));
  });

  it('detects a rise in the error rate (0.1 → 0.4) within 250 elements, for 20 seeds', () => {
    // The run's mean carries all 2000 elements before the change, so the rise shows slowly.
    const delays: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const detections = detectedIndices(new HddmA(), errorStream(seed, 3000, 2000, 0.1, 0.4));
      const first = detections[0] ?? Infinity;
      assert.ok(first >= 2000 && first < 2250, `seed ${seed}: first detection at ${first}`);
      delays.push(first - 2000);
    }
    const mean = delays.reduce((sum, delay) => sum + delay, 0) / delays.length;
    assert.ok(mean < 100, `mean delay ${mean}`);
  });

  it('raises no alarm on 100,000 stationary elements (error rate 0.2, seed 11), either side', () => {
    const stream = errorStream(11, 100_000, 0, 0.2);
    assert.deepEqual(detectedIndices(new HddmA(), stream), []);
    assert.deepEqual(detectedIndices(new HddmA({ twoSided: true }), stream), []);
  });

  it('sees a fall in the error rate only when two-sided', () => {
    const falling = errorStream(9, 4000, 2000, 0.4, 0.1);
    assert.deepEqual(detectedIndices(new HddmA(), falling), []);
    const detections = detectedIndices(new HddmA({ twoSided: true }), falling);
    assert.equal(detections.length, 1);
    assert.ok((detections[0] as number) >= 2000 && (detections[0] as number) < 2200);
  });

  it('warns before it detects, and starts over after a detection', () => {
    const detector = new HddmA();
    const flags = errorStream(4, 3000, 1000, 0.1, 0.5).map((error) => {
      detector.update(error);
      return [detector.warningDetected, detector.driftDetected] as const;
    });
    const drift = flags.findIndex(([, drifting]) => drifting);
    assert.ok(drift > 1000, `drift at ${drift}`);
    assert.equal(flags[drift - 1]?.[0], true, 'in warning just before');
    assert.equal(flags[drift]?.[0], false, 'no warning while drifting (one-sided)');
    // The element after a detection is the first of a new run: both cuts are that element.
    const fresh = new HddmA();
    detectedIndices(fresh, errorStream(4, drift + 2, 1000, 0.1, 0.5));
    const state = fresh.toJSON();
    assert.equal(state.run.n, 1);
    assert.deepEqual(state.increaseCut, state.run);
    assert.deepEqual(state.decreaseCut, state.run);
  });

  it('never fires on constant streams', () => {
    for (const error of [0, 1]) {
      const detector = new HddmA({ twoSided: true, driftConfidence: 0.1, warningConfidence: 0.2 });
      assert.deepEqual(detectedIndices(detector, Array<number>(5000).fill(error)), []);
      assert.equal(detector.warningDetected, false);
      assert.equal(detector.errorRate, error);
    }
  });

  it('validates options at construction (DW_DRIFT_INVALID_OPTION)', () => {
    const invalid: HddmAOptions[] = [
      { driftConfidence: 0 },
      { driftConfidence: 1 },
      { driftConfidence: NaN },
      { warningConfidence: -0.1 },
      { warningConfidence: 1.5 },
      { driftConfidence: 0.01, warningConfidence: 0.005 },
      { twoSided: 'yes' as unknown as boolean },
    ];
    for (const options of invalid) {
      assertDriftError('DW_DRIFT_INVALID_OPTION', () => new HddmA(options));
    }
    const detector = new HddmA();
    assert.deepEqual(
      [detector.driftConfidence, detector.warningConfidence, detector.twoSided],
      [0.001, 0.005, false],
    );
    assert.doesNotThrow(() => new HddmA({ driftConfidence: 0.01, warningConfidence: 0.01 }));
  });

  it('rejects anything but 0, 1, false and true (DW_DRIFT_INVALID_INPUT), changing nothing', () => {
    const detector = new HddmA();
    detector.update(1);
    for (const value of [0.5, 2, -1, NaN, Infinity, '0' as unknown as number]) {
      assertDriftError('DW_DRIFT_INVALID_INPUT', () => detector.update(value));
    }
    assert.equal(detector.count, 1);
    assert.equal(detector.errorRate, 1);
  });
});

describe('HddmA snapshots', () => {
  const cases = [
    'abrupt-increase/defaults',
    'staircase/loose',
    'decrease/two-sided-loose',
    'gradual-increase/no-warning-zone',
    'oscillating/two-sided',
    'river-doc-like/strict',
    'first-error-after-clean-start/defaults',
  ];
  for (const name of cases) {
    const golden = goldens.cases.find((candidate) => candidate.name === name);
    assert.ok(golden, `no golden case ${name}`);
    it(`resumes exactly on ${name}, split anywhere`, () => {
      const stream = goldens.streamOf(golden.stream);
      assertResumesExactly({
        create: () => new HddmA(golden.options),
        revive: (state) => HddmA.fromJSON(state),
        update: (detector, error: number) => detector.update(error),
        observe: (detector) => [
          detector.driftDetected,
          detector.warningDetected,
          detector.count,
          detector.errorRate,
          detector.detections.length,
        ],
        stream,
        splits: splitPoints(stream.length, [
          ...golden.detections.slice(0, 6),
          ...golden.warningRanges.flat().slice(0, 6),
          Math.floor(stream.length / 2),
        ]),
      });
    });
  }

  it('refuses malformed states with DW_DRIFT_INVALID_STATE', () => {
    const detector = new HddmA();
    detectedIndices(detector, errorStream(2, 300, 100, 0.1, 0.3));
    const state = detector.toJSON();
    const oneSidedBoth = { ...state, driftDetected: true, warningDetected: true };
    assertRejectsStates('HddmA', (state) => HddmA.fromJSON(state as HddmAState), {
      'not an object': 'state',
      'warningConfidence below driftConfidence': { ...state, warningConfidence: 0.0001 },
      'twoSided not a boolean': { ...state, twoSided: 1 },
      'run longer than count': { ...state, run: { n: state.count + 1, mean: 0.1 } },
      'run missing': { ...state, run: undefined },
      'increaseCut longer than the run': {
        ...state,
        increaseCut: { n: state.run.n + 1, mean: 0.1 },
      },
      'decreaseCut empty in a running detector': { ...state, decreaseCut: { n: 0, mean: 0 } },
      'mean above 1': { ...state, run: { ...state.run, mean: 1.25 } },
      'mean NaN': { ...state, increaseCut: { ...state.increaseCut, mean: 'NaN' } },
      'drift and warning at once, one-sided': { ...oneSidedBoth, detections: [state.count - 1] },
      'driftDetected without a detection there': { ...state, driftDetected: true },
    });
  });
});
