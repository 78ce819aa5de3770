import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { mulberry32, type Random } from './random.js';
import {
  assertRejectsStates,
  assertResumesExactly,
  splitPoints,
} from './testing/resume-exactly.js';
import { assertDriftError } from './testing/assert-drift-error.js';
import {
  WindowedMulticlassMetrics,
  type MulticlassMetricsSnapshot,
  type MulticlassOutcome,
  type WindowedMulticlassMetricsState,
} from './windowed-multiclass-metrics.js';

type Nullable<T> = { [K in keyof T]: T[K] extends number ? number | null : (number | null)[] };

interface GoldenCheckpoint extends Nullable<MulticlassMetricsSnapshot> {
  index: number;
}

interface GoldenCase {
  name: string;
  classCount: number;
  window: number;
  stream: [number, number, number[]][];
  checkpoints: GoldenCheckpoint[];
}

const goldens = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/drift/sklearn/multiclass-metrics.json', import.meta.url),
    'utf8',
  ),
) as { sklearn: string; cases: GoldenCase[] };

const SCALARS = ['count', 'accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const;

function outcomes(golden: GoldenCase): MulticlassOutcome[] {
  return golden.stream.map(([label, predicted, probabilities]) => ({
    label,
    predicted,
    probabilities,
  }));
}

/** scikit-learn's undefined values are null in the JSON. */
function assertClose(actual: number, expected: number | null, what: string): void {
  if (expected === null) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
    return;
  }
  assert.ok(Math.abs(actual - expected) <= 1e-12, `${what}: expected ${expected}, got ${actual}`);
}

/** The definitions, recomputed from scratch over the window. */
function naiveMetrics(
  window: readonly MulticlassOutcome[],
  classCount: number,
): MulticlassMetricsSnapshot {
  const classes = Array.from({ length: classCount }, (_, k) => k);
  const count = (test: (outcome: MulticlassOutcome) => boolean) => window.filter(test).length;
  const ratio = (numerator: number, denominator: number) =>
    denominator === 0 ? 0 : numerator / denominator;
  const mean = (values: number[]) =>
    window.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0) / classCount;
  const truePositives = classes.map((k) => count((o) => o.label === k && o.predicted === k));
  const labels = classes.map((k) => count((o) => o.label === k));
  const predictions = classes.map((k) => count((o) => o.predicted === k));
  return {
    count: window.length,
    accuracy: window.length === 0 ? NaN : count((o) => o.label === o.predicted) / window.length,
    precision: mean(classes.map((k) => ratio(truePositives[k]!, predictions[k]!))),
    recall: mean(classes.map((k) => ratio(truePositives[k]!, labels[k]!))),
    f1: mean(classes.map((k) => ratio(2 * truePositives[k]!, labels[k]! + predictions[k]!))),
    rocAuc: mean(
      classes.map((k) => naiveRocAuc(window.map((o) => [o.label === k, o.probabilities[k]!]))),
    ),
    classRecall: classes.map((k) => (labels[k] === 0 ? NaN : truePositives[k]! / labels[k]!)),
  };
}

/** Mann–Whitney U from mid-ranks of the sorted window (ties share the mean rank). */
function naiveRocAuc(pairs: readonly (readonly [boolean, number])[]): number {
  const sorted = [...pairs].sort((a, b) => a[1] - b[1]);
  const positives = sorted.filter(([positive]) => positive).length;
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  let twicePositiveRankSum = 0;
  for (let start = 0; start < sorted.length;) {
    let end = start;
    while (end < sorted.length && sorted[end]![1] === sorted[start]![1]) end++;
    const twiceMidRank = start + 1 + end;
    for (let i = start; i < end; i++) if (sorted[i]![0]) twicePositiveRankSum += twiceMidRank;
    start = end;
  }
  const twiceU = twicePositiveRankSum - positives * (positives + 1);
  return twiceU / (2 * positives * negatives);
}

/**
 * Probabilities in quarters (heavy ties, exact 0s and 1s); in the middle third, the last class
 * vanishes (never a label, never predicted), so windows lose it entirely and get it back.
 */
function randomStream(random: Random, classCount: number, length: number): MulticlassOutcome[] {
  return Array.from({ length }, (_, index) => {
    const present = index > length / 3 && index < (2 * length) / 3 ? classCount - 1 : classCount;
    const label = Math.floor(random() * present);
    const quarters = new Array<number>(classCount).fill(0);
    for (let quarter = 0; quarter < 4; quarter++) {
      const k = random() < 0.5 ? label : Math.floor(random() * present);
      quarters[k]!++;
    }
    const predicted = random() < 0.7 ? label : Math.floor(random() * present);
    return { label, predicted, probabilities: quarters.map((q) => q / 4) };
  });
}

describe('WindowedMulticlassMetrics', () => {
  describe(`equals scikit-learn ${goldens.sklearn} on golden windows`, () => {
    for (const golden of goldens.cases) {
      it(`${golden.name} (K ${golden.classCount}, window ${golden.window})`, () => {
        const metrics = new WindowedMulticlassMetrics({
          window: golden.window,
          classCount: golden.classCount,
        });
        const byIndex = new Map(golden.checkpoints.map((point) => [point.index, point]));
        outcomes(golden).forEach((outcome, index) => {
          metrics.update(outcome);
          const expected = byIndex.get(index);
          if (!expected) return;
          const actual = metrics.snapshot();
          for (const metric of SCALARS) {
            assertClose(actual[metric], expected[metric], `${metric} at ${index}`);
          }
          assert.equal(actual.classRecall.length, golden.classCount);
          assert.equal(expected.classRecall.length, golden.classCount);
          actual.classRecall.forEach((recall, k) => {
            const want = expected.classRecall[k] as number | null;
            assertClose(recall, want, `classRecall[${k}] at ${index}`);
          });
        });
      });
    }
  });

  it('matches a from-scratch recomputation on random streams with ties and a vanishing class', () => {
    const random = mulberry32(20261201);
    for (let trial = 0; trial < 30; trial++) {
      const classCount = 3 + (trial % 4);
      const window = 1 + Math.floor(random() * 50);
      const stream = randomStream(random, classCount, 240);
      const metrics = new WindowedMulticlassMetrics({ window, classCount });
      stream.forEach((outcome, index) => {
        metrics.update(outcome);
        const expected = naiveMetrics(
          stream.slice(Math.max(0, index + 1 - window), index + 1),
          classCount,
        );
        assert.deepEqual(
          metrics.snapshot(),
          expected,
          `trial ${trial}, K ${classCount}, window ${window}, index ${index}`,
        );
      });
    }
  });

  it('returns NaN for every metric on an empty window', () => {
    const metrics = new WindowedMulticlassMetrics({ window: 10, classCount: 4 });
    assert.deepEqual(metrics.snapshot(), {
      count: 0,
      accuracy: NaN,
      precision: NaN,
      recall: NaN,
      f1: NaN,
      rocAuc: NaN,
      classRecall: [NaN, NaN, NaN, NaN],
    });
  });

  it('on a constant stream, averages the absent classes in as 0 and has no ROC AUC', () => {
    const metrics = new WindowedMulticlassMetrics({ window: 5, classCount: 3 });
    for (let i = 0; i < 12; i++) {
      metrics.update({ label: 1, predicted: 1, probabilities: [0.25, 0.5, 0.25] });
      assert.deepEqual(metrics.snapshot(), {
        count: Math.min(i + 1, 5),
        accuracy: 1,
        precision: 1 / 3,
        recall: 1 / 3,
        f1: 1 / 3,
        rocAuc: NaN,
        classRecall: [NaN, 1, NaN],
      });
    }
  });

  it('keeps a class that left the window in the averages, and its AUC NaN until it returns', () => {
    const metrics = new WindowedMulticlassMetrics({ window: 4, classCount: 3 });
    metrics.update({ label: 2, predicted: 2, probabilities: [0, 0, 1] });
    metrics.update({ label: 0, predicted: 0, probabilities: [0.8, 0.1, 0.1] });
    metrics.update({ label: 1, predicted: 1, probabilities: [0.1, 0.8, 0.1] });
    assert.equal(metrics.rocAuc, 1);
    assert.equal(metrics.precision, 1);
    metrics.update({ label: 0, predicted: 2, probabilities: [0.4, 0.2, 0.4] });
    metrics.update({ label: 1, predicted: 1, probabilities: [0.2, 0.6, 0.2] });
    // Window: 0→0, 1→1, 0→2, 1→1. Class 2 is predicted once, never a label.
    assert.deepEqual(metrics.classRecall, [0.5, 1, NaN]);
    assert.equal(metrics.precision, (1 + 1 + 0) / 3);
    assert.equal(metrics.recall, (0.5 + 1 + 0) / 3);
    assert.ok(Number.isNaN(metrics.rocAuc));
    metrics.update({ label: 2, predicted: 2, probabilities: [0.1, 0.1, 0.8] });
    assert.equal(metrics.rocAuc, 1);
  });

  it('forgets the oldest prediction once the window is full', () => {
    const metrics = new WindowedMulticlassMetrics({ window: 1, classCount: 3 });
    metrics.update({ label: 0, predicted: 1, probabilities: [0.3, 0.4, 0.3] });
    assert.equal(metrics.accuracy, 0);
    metrics.update({ label: 2, predicted: 2, probabilities: [0.1, 0.2, 0.7] });
    assert.deepEqual(metrics.snapshot(), {
      count: 1,
      accuracy: 1,
      precision: 1 / 3,
      recall: 1 / 3,
      f1: 1 / 3,
      rocAuc: NaN,
      classRecall: [NaN, NaN, 1],
    });
  });

  it('accepts float32 probability rows, which sum to 1 only to float32 precision', () => {
    const metrics = new WindowedMulticlassMetrics({ window: 3, classCount: 3 });
    const row = Float32Array.from([0.1, 0.2, 0.7]);
    assert.notEqual(row[0]! + row[1]! + row[2]!, 1);
    metrics.update({ label: 2, predicted: 2, probabilities: row });
    assert.deepEqual(metrics.toJSON().probabilities, [...row]);
  });

  it('rejects invalid options', () => {
    for (const window of [0, -1, 1.5, NaN, Infinity, '5', undefined] as unknown[]) {
      assertDriftError(
        'DW_DRIFT_INVALID_OPTION',
        () => new WindowedMulticlassMetrics({ window: window as number, classCount: 3 }),
      );
    }
    for (const classCount of [2, 1, 0, -3, 3.5, NaN, Infinity, '3', undefined] as unknown[]) {
      assertDriftError(
        'DW_DRIFT_INVALID_OPTION',
        () => new WindowedMulticlassMetrics({ window: 5, classCount: classCount as number }),
      );
    }
  });

  it('rejects invalid inputs and keeps its state', () => {
    const metrics = new WindowedMulticlassMetrics({ window: 5, classCount: 3 });
    metrics.update({ label: 0, predicted: 0, probabilities: [0.6, 0.3, 0.1] });
    metrics.update({ label: 1, predicted: 0, probabilities: [0.5, 0.4, 0.1] });
    const before = metrics.toJSON();
    const valid = [0.2, 0.3, 0.5];
    for (const index of [-1, 3, 1.5, NaN, Infinity, '1', null, undefined] as unknown[]) {
      assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
        metrics.update({ label: index as number, predicted: 0, probabilities: valid });
      });
      assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
        metrics.update({ label: 0, predicted: index as number, probabilities: valid });
      });
    }
    const rows: unknown[] = [
      undefined,
      null,
      0.5,
      'abc',
      [0.5, 0.5],
      [0.25, 0.25, 0.25, 0.25],
      [NaN, 0.5, 0.5],
      [-0.1, 0.6, 0.5],
      [1.2, -0.1, -0.1],
      [0.5, '0.3', 0.2],
      [0.3, 0.3, 0.3],
      [0.5, 0.5, 0.5],
      [0, 0, 0],
      [0.2, 0.3, 0.50002],
    ];
    for (const probabilities of rows) {
      assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
        metrics.update({
          label: 0,
          predicted: 0,
          probabilities: probabilities as number[],
        });
      });
    }
    assert.deepEqual(metrics.toJSON(), before);
    // Within np.allclose's tolerance: accepted, as scikit-learn accepts it.
    metrics.update({ label: 2, predicted: 2, probabilities: [0.2, 0.3, 0.500004] });
    assert.equal(metrics.count, 3);
  });
});

describe('WindowedMulticlassMetrics snapshots', () => {
  const observe = (metrics: WindowedMulticlassMetrics) => {
    const { count, accuracy, precision, recall, f1, rocAuc, classRecall } = metrics.snapshot();
    return [count, accuracy, precision, recall, f1, rocAuc, ...classRecall];
  };

  for (const golden of goldens.cases) {
    it(`resumes exactly on "${golden.name}", split anywhere`, () => {
      const { window, classCount } = golden;
      assertResumesExactly({
        create: () => new WindowedMulticlassMetrics({ window, classCount }),
        revive: (state) => WindowedMulticlassMetrics.fromJSON(state),
        update: (metrics, outcome: MulticlassOutcome) => {
          metrics.update(outcome);
        },
        observe,
        stream: outcomes(golden),
        splits: splitPoints(golden.stream.length, [window, 2 * window, 3 * window], 4),
      });
    });
  }

  it('stores the window oldest first, probabilities row-major and bit for bit', () => {
    const metrics = new WindowedMulticlassMetrics({ window: 2, classCount: 3 });
    metrics.update({ label: 0, predicted: 0, probabilities: [1, 0, 0] });
    metrics.update({ label: 1, predicted: 2, probabilities: [-0, 0.25, 0.75] });
    metrics.update({ label: 2, predicted: 2, probabilities: [0.1, 0.2, 0.7] });
    const state = metrics.toJSON();
    assert.deepEqual(state, {
      window: 2,
      classCount: 3,
      labels: [1, 2],
      predicted: [2, 2],
      probabilities: ['-0', 0.25, 0.75, 0.1, 0.2, 0.7],
    });
    const json = JSON.parse(JSON.stringify(state)) as WindowedMulticlassMetricsState;
    const revived = WindowedMulticlassMetrics.fromJSON(json);
    assert.deepEqual(revived.snapshot(), metrics.snapshot());
    assert.deepEqual(revived.toJSON(), state);
  });

  it('refuses malformed states with DW_DRIFT_INVALID_STATE', () => {
    const metrics = new WindowedMulticlassMetrics({ window: 4, classCount: 3 });
    metrics.update({ label: 0, predicted: 0, probabilities: [0.5, 0.25, 0.25] });
    metrics.update({ label: 2, predicted: 1, probabilities: [0.25, 0.5, 0.25] });
    const state = metrics.toJSON();
    assertRejectsStates(
      'WindowedMulticlassMetrics',
      (state) => WindowedMulticlassMetrics.fromJSON(state as WindowedMulticlassMetricsState),
      {
        'not an object': [],
        'window 0': { ...state, window: 0 },
        'classCount 2': { ...state, classCount: 2 },
        'classCount missing': { ...state, classCount: undefined },
        'a label out of range': { ...state, labels: [0, 3] },
        'a fractional prediction': { ...state, predicted: [0, 0.5] },
        'more labels than predictions': { ...state, labels: [0, 2, 1] },
        'more than window': {
          ...state,
          labels: [0, 0, 0, 0, 0],
          predicted: [0, 0, 0, 0, 0],
          probabilities: new Array<number>(15).fill(1 / 3),
        },
        'a row short': { ...state, probabilities: state.probabilities.slice(1) },
        'a row not summing to 1': { ...state, probabilities: [0.5, 0.5, 0.5, 0.25, 0.5, 0.25] },
        'a probability above 1': { ...state, probabilities: [1.5, -0.25, -0.25, 0.25, 0.5, 0.25] },
        'a NaN probability': { ...state, probabilities: ['NaN', 0.5, 0.5, 0.25, 0.5, 0.25] },
        'a null probability': { ...state, probabilities: [null, 0.75, 0.25, 0.25, 0.5, 0.25] },
      },
    );
  });
});
