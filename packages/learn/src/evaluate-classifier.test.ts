import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { LearnError } from './errors.js';
import { evaluateBinaryClassifier } from './evaluate-binary-classifier.js';
import { evaluateClassifier, type ClassifierMetrics } from './evaluate-classifier.js';

/** Written by test/fixtures/learn/generate_multiclass_goldens.py; never edit by hand. */
interface MetricsGolden {
  name: string;
  classCount: number;
  labels: number[];
  probabilities: number[][];
  sklearn: Omit<ClassifierMetrics, 'rocAuc' | 'classRecall'> & {
    rocAuc: number | null;
    classRecall: (number | null)[];
  };
}

const goldens = (
  JSON.parse(
    readFileSync(
      new URL('../../../test/fixtures/learn/multiclass-metrics.json', import.meta.url),
      'utf8',
    ),
  ) as { cases: MetricsGolden[] }
).cases;

const metricNames = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss'] as const;

function assertGolden(actual: number, expected: number | null, what: string): void {
  if (expected === null) {
    assert.ok(Number.isNaN(actual), `${what}: ${actual}, expected NaN`);
    return;
  }
  assert.ok(
    Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );
}

describe('evaluateClassifier', () => {
  it('has golden cases to check', () => {
    assert.ok(goldens.length >= 9);
  });

  for (const golden of goldens) {
    it(`equals scikit-learn to 1e-12 on "${golden.name}" (K=${golden.classCount})`, () => {
      const metrics = evaluateClassifier(
        golden.labels,
        golden.probabilities.flat(),
        golden.classCount,
      );
      assert.equal(metrics.count, golden.sklearn.count);
      assert.equal(metrics.classCount, golden.classCount);
      for (const name of metricNames) assertGolden(metrics[name], golden.sklearn[name], name);
      assert.equal(metrics.classRecall.length, golden.classCount);
      golden.sklearn.classRecall.forEach((expected, k) => {
        assertGolden(metrics.classRecall[k] ?? Infinity, expected, `classRecall[${k}]`);
      });
    });
  }

  it('agrees with evaluateBinaryClassifier on two classes, except at p = 0.5 exactly', () => {
    // Binary inference predicts 1 at p ≥ threshold; the argmax of [1 − p, p] breaks the p = 0.5
    // tie towards class 0. Scores here avoid 0.5.
    const labels = [0, 1, 1, 0, 1, 0, 0, 1];
    const scores = [0.1, 0.9, 0.4, 0.7, 0.65, 0.2, 0.45, 0.8];
    const binary = evaluateBinaryClassifier(labels, scores);
    const metrics = evaluateClassifier(
      labels,
      scores.flatMap((p) => [1 - p, p]),
      2,
    );
    assert.equal(metrics.accuracy, binary.accuracy);
    assert.equal(metrics.rocAuc, binary.rocAuc);
    assert.ok(Math.abs(metrics.logLoss - binary.logLoss) < 1e-15);
    assert.equal(metrics.classRecall[1], binary.recall);
  });

  it('accepts Float32Array probabilities, whose rows do not sum to exactly 1', () => {
    const probabilities = Float32Array.from([0.1, 0.2, 0.7, 0.6, 0.3, 0.1, 0.3, 0.4, 0.3]);
    const metrics = evaluateClassifier([2, 0, 1], probabilities, 3);
    assert.equal(metrics.accuracy, 1);
    assert.equal(metrics.rocAuc, 1);
  });

  it('rejects invalid input', () => {
    const cases: [() => unknown, string][] = [
      [() => evaluateClassifier([], [], 3), 'DW_LEARN_INVALID_INPUT'],
      [() => evaluateClassifier([0, 1], [0.5, 0.5, 0.5], 3), 'DW_LEARN_INVALID_INPUT'],
      [() => evaluateClassifier([0, 3], [1, 0, 0, 0, 1, 0], 3), 'DW_LEARN_INVALID_INPUT'],
      [() => evaluateClassifier([0, 1], [1, 0, 0, 0, 1.5, 0], 3), 'DW_LEARN_INVALID_INPUT'],
      [() => evaluateClassifier([0, 1], [1, 0, 0, 0, Number.NaN, 0], 3), 'DW_LEARN_INVALID_INPUT'],
      [() => evaluateClassifier([0, 1], [1, 0, 0, 1], 1), 'DW_LEARN_INVALID_OPTION'],
      [() => evaluateClassifier([0, 1], [1, 0, 0, 1], 2.5), 'DW_LEARN_INVALID_OPTION'],
    ];
    for (const [run, code] of cases) {
      assert.throws(run, (error: unknown) => error instanceof LearnError && error.code === code);
    }
  });
});
