import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { LearnError } from './errors.js';
import {
  evaluateBinaryClassifier,
  type BinaryClassifierMetrics,
} from './evaluate-binary-classifier.js';

/** Written by test/fixtures/learn/generate_learn_goldens.py; never edit by hand. */
interface MetricsGolden {
  name: string;
  threshold: number;
  labels: number[];
  probabilities: number[];
  sklearn: Omit<BinaryClassifierMetrics, 'rocAuc'> & { rocAuc: number | null };
}

const goldens = (
  JSON.parse(
    readFileSync(
      new URL('../../../test/fixtures/learn/classification-metrics.json', import.meta.url),
      'utf8',
    ),
  ) as { cases: MetricsGolden[] }
).cases;

const metricNames = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss'] as const;

describe('evaluateBinaryClassifier', () => {
  it('has golden cases to check', () => {
    assert.ok(goldens.length >= 5);
  });

  for (const golden of goldens) {
    it(`equals scikit-learn on "${golden.name}"`, () => {
      const metrics = evaluateBinaryClassifier(
        golden.labels,
        golden.probabilities,
        golden.threshold,
      );
      assert.equal(metrics.count, golden.sklearn.count);
      for (const name of metricNames) {
        const expected = golden.sklearn[name];
        const actual = metrics[name];
        if (expected === null) {
          assert.ok(Number.isNaN(actual), `${name}: ${actual}`);
          continue;
        }
        assert.ok(
          Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
          `${name}: ${actual} vs ${expected}`,
        );
      }
    });
  }

  it('predicts 1 at exactly the threshold, as the inference service does', () => {
    const metrics = evaluateBinaryClassifier([1, 0], [0.5, 0.4999], 0.5);
    assert.equal(metrics.accuracy, 1);
  });

  it('accepts Float32Array scores and boolean labels', () => {
    const metrics = evaluateBinaryClassifier(
      [true, false, true],
      Float32Array.from([0.9, 0.2, 0.4]),
    );
    assert.equal(metrics.accuracy, 2 / 3);
    assert.equal(metrics.rocAuc, 1);
  });

  it('rejects invalid input', () => {
    const cases: [() => unknown, string][] = [
      [() => evaluateBinaryClassifier([], []), 'DW_LEARN_INVALID_INPUT'],
      [() => evaluateBinaryClassifier([0, 1], [0.5]), 'DW_LEARN_INVALID_INPUT'],
      [() => evaluateBinaryClassifier([0, 2], [0.5, 0.5]), 'DW_LEARN_INVALID_INPUT'],
      [() => evaluateBinaryClassifier([0, 1], [0.5, 1.5]), 'DW_LEARN_INVALID_INPUT'],
      [() => evaluateBinaryClassifier([0, 1], [0.5, Number.NaN]), 'DW_LEARN_INVALID_INPUT'],
      [() => evaluateBinaryClassifier([0, 1], [0.5, 0.5], 1.1), 'DW_LEARN_INVALID_OPTION'],
      [() => evaluateBinaryClassifier([0, 1], [0.5, 0.5], Number.NaN), 'DW_LEARN_INVALID_OPTION'],
    ];
    for (const [run, code] of cases) {
      assert.throws(run, (error: unknown) => error instanceof LearnError && error.code === code);
    }
  });
});
