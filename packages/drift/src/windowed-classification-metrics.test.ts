import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { mulberry32, type Random } from './random.js';
import {
  assertRejectsStates,
  assertResumesExactly,
  splitPoints,
} from './testing/resume-exactly.js';
import {
  WindowedClassificationMetrics,
  type ClassLabel,
  type ClassificationMetricsSnapshot,
  type ScoredOutcome,
  type WindowedClassificationMetricsState,
} from './windowed-classification-metrics.js';
import { assertDriftError } from './testing/assert-drift-error.js';

interface GoldenCheckpoint extends Omit<ClassificationMetricsSnapshot, 'rocAuc'> {
  index: number;
  rocAuc: number | null;
}

interface GoldenCase {
  name: string;
  window: number;
  positiveLabel: ClassLabel;
  stream: [ClassLabel, ClassLabel, number][];
  checkpoints: GoldenCheckpoint[];
}

const goldens = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/drift/sklearn/classification-metrics.json', import.meta.url),
    'utf8',
  ),
) as { sklearn: string; cases: GoldenCase[] };

const METRICS = ['count', 'accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const;

function assertClose(actual: number, expected: number, what: string): void {
  if (Number.isNaN(expected)) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
    return;
  }
  assert.ok(Math.abs(actual - expected) <= 1e-12, `${what}: expected ${expected}, got ${actual}`);
}

/** The definitions, recomputed from scratch over the window: O(W log W) per call. */
function naiveMetrics(
  window: readonly ScoredOutcome[],
  positiveLabel: ClassLabel,
): ClassificationMetricsSnapshot {
  let correct = 0;
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (const { label, predicted } of window) {
    if (label === predicted) correct++;
    const actual = label === positiveLabel;
    const guessed = predicted === positiveLabel;
    if (actual && guessed) truePositives++;
    if (!actual && guessed) falsePositives++;
    if (actual && !guessed) falseNegatives++;
  }
  const ratio = (numerator: number, denominator: number): number =>
    denominator === 0 ? 0 : numerator / denominator;
  return {
    count: window.length,
    accuracy: window.length === 0 ? NaN : correct / window.length,
    precision: ratio(truePositives, truePositives + falsePositives),
    recall: ratio(truePositives, truePositives + falseNegatives),
    f1: ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives),
    rocAuc: naiveRocAuc(window.map((p) => [p.label === positiveLabel, p.score])),
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
    const twiceMidRank = start + 1 + end; // ranks start+1 … end, mean (start + 1 + end) / 2
    for (let i = start; i < end; i++) if (sorted[i]![0]) twicePositiveRankSum += twiceMidRank;
    start = end;
  }
  const twiceU = twicePositiveRankSum - positives * (positives + 1);
  return twiceU / (2 * positives * negatives);
}

function randomStream(random: Random, length: number): ScoredOutcome[] {
  const labels: ClassLabel[] = [0, 1, 'a', 'b'];
  const scores = [-0, 0, 0.25, 0.5, 0.5000000000000001, 0.75, 1, -3];
  return Array.from({ length }, () => {
    const label = labels[Math.floor(random() * labels.length)]!;
    const predicted = random() < 0.6 ? label : labels[Math.floor(random() * labels.length)]!;
    const score = scores[Math.floor(random() * scores.length)]!;
    return { label, predicted, score };
  });
}

describe('WindowedClassificationMetrics', () => {
  describe(`equals scikit-learn ${goldens.sklearn} on golden windows`, () => {
    for (const golden of goldens.cases) {
      it(`${golden.name} (window ${golden.window})`, () => {
        const metrics = new WindowedClassificationMetrics({
          window: golden.window,
          positiveLabel: golden.positiveLabel,
        });
        const byIndex = new Map(golden.checkpoints.map((point) => [point.index, point]));
        golden.stream.forEach(([label, predicted, score], index) => {
          metrics.update({ label, predicted, score });
          const expected = byIndex.get(index);
          if (!expected) return;
          const actual = metrics.snapshot();
          for (const metric of METRICS) {
            assertClose(actual[metric], expected[metric] ?? NaN, `${metric} at ${index}`);
          }
        });
      });
    }
  });

  it('matches a from-scratch recomputation on random streams with many ties', () => {
    const random = mulberry32(20240611);
    for (let trial = 0; trial < 40; trial++) {
      const window = 1 + Math.floor(random() * 60);
      const positiveLabel = trial % 2 === 0 ? 1 : 'a';
      const stream = randomStream(random, 300);
      const metrics = new WindowedClassificationMetrics({ window, positiveLabel });
      stream.forEach((prediction, index) => {
        metrics.update(prediction);
        const expected = naiveMetrics(
          stream.slice(Math.max(0, index + 1 - window), index + 1),
          positiveLabel,
        );
        assert.deepEqual(
          metrics.snapshot(),
          expected,
          `trial ${trial}, window ${window}, index ${index}`,
        );
      });
    }
  });

  it('returns the documented values on an empty window', () => {
    const metrics = new WindowedClassificationMetrics({ window: 10, positiveLabel: 1 });
    assert.deepEqual(metrics.snapshot(), {
      count: 0,
      accuracy: NaN,
      precision: 0,
      recall: 0,
      f1: 0,
      rocAuc: NaN,
    });
  });

  it('returns 0 for precision without predicted positives and NaN AUC with one class', () => {
    const metrics = new WindowedClassificationMetrics({ window: 3, positiveLabel: 'spam' });
    metrics.update({ label: 'ham', predicted: 'ham', score: 0.1 });
    metrics.update({ label: 'ham', predicted: 'ham', score: 0.2 });
    assert.deepEqual(metrics.snapshot(), {
      count: 2,
      accuracy: 1,
      precision: 0,
      recall: 0,
      f1: 0,
      rocAuc: NaN,
    });
    metrics.update({ label: 'spam', predicted: 'ham', score: 0.2 });
    assert.equal(metrics.rocAuc, 0.75);
    assert.equal(metrics.recall, 0);
  });

  it('forgets the oldest prediction once the window is full', () => {
    const metrics = new WindowedClassificationMetrics({ window: 2, positiveLabel: 1 });
    metrics.update({ label: 1, predicted: 0, score: 0.1 });
    metrics.update({ label: 0, predicted: 0, score: 0.2 });
    assert.equal(metrics.accuracy, 0.5);
    metrics.update({ label: 1, predicted: 1, score: 0.9 });
    assert.deepEqual(metrics.snapshot(), {
      count: 2,
      accuracy: 1,
      precision: 1,
      recall: 1,
      f1: 1,
      rocAuc: 1,
    });
  });

  it('compares labels with ===, so 1 and "1" are different classes', () => {
    const metrics = new WindowedClassificationMetrics({ window: 5, positiveLabel: 1 });
    metrics.update({ label: '1', predicted: 1, score: 0.9 });
    assert.equal(metrics.accuracy, 0);
    assert.equal(metrics.precision, 0);
    assert.equal(metrics.recall, 0);
  });

  it('rejects invalid options', () => {
    for (const window of [0, -1, 1.5, NaN, Infinity]) {
      assertDriftError(
        'DW_DRIFT_INVALID_OPTION',
        () => new WindowedClassificationMetrics({ window, positiveLabel: 1 }),
      );
    }
    for (const positiveLabel of [NaN, Infinity, undefined, null, true, {}] as unknown[]) {
      assertDriftError(
        'DW_DRIFT_INVALID_OPTION',
        () =>
          new WindowedClassificationMetrics({
            window: 5,
            positiveLabel: positiveLabel as ClassLabel,
          }),
      );
    }
  });

  it('rejects invalid inputs and keeps its state', () => {
    const metrics = new WindowedClassificationMetrics({ window: 5, positiveLabel: 1 });
    metrics.update({ label: 1, predicted: 1, score: 0.7 });
    metrics.update({ label: 0, predicted: 1, score: 0.6 });
    const before = metrics.snapshot();
    for (const score of [NaN, Infinity, -Infinity, '0.5']) {
      assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
        metrics.update({ label: 1, predicted: 1, score: score as number });
      });
    }
    for (const label of [NaN, undefined, null, false, [1]] as unknown[]) {
      assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
        metrics.update({ label: label as ClassLabel, predicted: 1, score: 0.5 });
      });
      assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
        metrics.update({ label: 1, predicted: label as ClassLabel, score: 0.5 });
      });
    }
    assert.deepEqual(metrics.snapshot(), before);
  });
});

describe('WindowedClassificationMetrics snapshots', () => {
  const observe = (metrics: WindowedClassificationMetrics) => {
    const { count, accuracy, precision, recall, f1, rocAuc } = metrics.snapshot();
    return [count, accuracy, precision, recall, f1, rocAuc, metrics.positiveLabel];
  };

  // Binary, multiclass, string labels, heavy score ties, window 1, a window the stream never fills.
  for (const golden of goldens.cases) {
    it(`resumes exactly on "${golden.name}", split anywhere`, () => {
      const stream = golden.stream.map(([label, predicted, score]): ScoredOutcome => ({
        label,
        predicted,
        score,
      }));
      const { window } = golden;
      assertResumesExactly({
        create: () =>
          new WindowedClassificationMetrics({ window, positiveLabel: golden.positiveLabel }),
        revive: (state) => WindowedClassificationMetrics.fromJSON(state),
        update: (metrics, prediction: ScoredOutcome) => {
          metrics.update(prediction);
        },
        observe,
        stream,
        splits: splitPoints(stream.length, [window, 2 * window, 3 * window], 4),
      });
    });
  }

  it('stores the window oldest first, scores bit for bit, window at the top level', () => {
    const metrics = new WindowedClassificationMetrics({ window: 3, positiveLabel: 'cat' });
    metrics.update({ label: 'cat', predicted: 'cat', score: 0.9 });
    metrics.update({ label: 'dog', predicted: 'cat', score: -0 });
    metrics.update({ label: 'dog', predicted: 'dog', score: 0 });
    metrics.update({ label: 'cat', predicted: 'dog', score: 0.25 });
    metrics.update({ label: 'dog', predicted: 'bird', score: 0.5 });
    const state = metrics.toJSON();
    assert.deepEqual(state, {
      window: 3,
      positiveLabel: 'cat',
      outcomes: [4, 1, 0],
      scores: [0, 0.25, 0.5],
    });
    const withNegativeZero = new WindowedClassificationMetrics({ window: 3, positiveLabel: 1 });
    withNegativeZero.update({ label: 0, predicted: 1, score: -0 });
    assert.deepEqual(withNegativeZero.toJSON().scores, ['-0']);
    assert.deepEqual(WindowedClassificationMetrics.fromJSON(state).snapshot(), metrics.snapshot());
  });

  it('refuses malformed states with DW_DRIFT_INVALID_STATE', () => {
    const metrics = new WindowedClassificationMetrics({ window: 4, positiveLabel: 1 });
    for (const [label, predicted] of [
      [1, 1],
      [0, 1],
      [1, 0],
    ] as const) {
      metrics.update({ label, predicted, score: label * 0.5 });
    }
    const state = metrics.toJSON();
    assertRejectsStates(
      'WindowedClassificationMetrics',
      (state) =>
        WindowedClassificationMetrics.fromJSON(state as WindowedClassificationMetricsState),
      {
        'not an object': [],
        'window 0': { ...state, window: 0 },
        'positiveLabel missing': { ...state, positiveLabel: undefined },
        'positiveLabel an object': { ...state, positiveLabel: {} },
        'more outcomes than scores': { ...state, outcomes: [...state.outcomes, 0] },
        'more than window': {
          ...state,
          outcomes: [0, 0, 0, 0, 0],
          scores: [0, 0, 0, 0, 0],
        },
        'an impossible outcome (correct, predicted positive, label negative)': {
          ...state,
          outcomes: [6, 0, 0],
        },
        'an outcome out of range': { ...state, outcomes: [8, 0, 0] },
        'a NaN score': { ...state, scores: ['NaN', 0, 0] },
        'a null score': { ...state, scores: [null, 0, 0] },
      },
    );
  });
});
