import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { LearnError } from './errors.js';
import { evaluateClassifier } from './evaluate-classifier.js';
import { predictClassProbabilities } from './predict-class-probabilities.js';
import { SoftmaxRegression } from './softmax-regression.js';

/** Written by test/fixtures/learn/generate_multiclass_goldens.py; never edit by hand. */
interface SoftmaxGolden {
  name: string;
  C: number;
  l2: number;
  classCount: number;
  featureNames: string[];
  rows: number[][];
  labels: number[];
  extraRows: number[][];
  sklearn: {
    mean: number[];
    scale: number[];
    weights: number[][];
    bias: number[];
    probabilities: number[][];
    extraProbabilities: number[][];
  };
}

/** The same file's bundled datasets, split 75/25, with scikit-learn's test accuracy. */
interface DatasetGolden {
  name: string;
  classCount: number;
  featureNames: string[];
  rows: number[][];
  labels: number[];
  train: number[];
  test: number[];
  logistic: { C: number; l2: number; testAccuracy: number };
}

function fixture<T>(name: string): T[] {
  const url = new URL(`../../../test/fixtures/learn/${name}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: T[] }).cases;
}

const goldens = fixture<SoftmaxGolden>('softmax-regression.json');
const datasets = fixture<DatasetGolden>('multiclass-datasets.json');

/**
 * Both fits stop with every gradient component ≤ 1e-10 (scikit-learn's is checked below 1e-10 by
 * the fixture script, and is ~1e-16); the distance between the two optima is then about the
 * gradient divided by the objective's smallest curvature, which l2 bounds below, and Newton's last
 * step usually leaves far less. Measured worst on these cases: 1.6e-11 on a weight, 4.5e-12 on a
 * probability.
 */
const TOLERANCE = 1e-9;

function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] ?? NaN;
    const e = expected[i] ?? NaN;
    assert.ok(
      Math.abs(a - e) <= tolerance,
      `${what}[${i}]: ${a} vs ${e} (|Δ| ${Math.abs(a - e)} > ${tolerance})`,
    );
  }
}

function expectLearnError(code: string, message?: RegExp): (error: unknown) => boolean {
  return (error) =>
    error instanceof LearnError &&
    error.code === code &&
    (message === undefined || message.test(error.message));
}

describe('SoftmaxRegression', () => {
  it('has golden cases to check', () => {
    assert.ok(goldens.length >= 6);
  });

  for (const golden of goldens) {
    describe(`equals scikit-learn on "${golden.name}" (K=${golden.classCount}, C=${golden.C})`, () => {
      const fit = new SoftmaxRegression({ l2: golden.l2 }).fit(
        golden.rows,
        golden.labels,
        golden.featureNames,
        golden.classCount,
      );

      it('standardizes like StandardScaler', () => {
        const { mean, scale } = fit.model.standardization;
        golden.sklearn.mean.forEach((expected, j) => {
          assert.ok(
            Math.abs((mean[j] ?? NaN) - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
            `mean[${j}]`,
          );
        });
        golden.sklearn.scale.forEach((expected, j) => {
          assert.ok(Math.abs((scale[j] ?? NaN) - expected) <= 1e-12 * expected, `scale[${j}]`);
        });
      });

      it(`finds the same weights and intercepts (summing to 0) to ${TOLERANCE}`, () => {
        assert.equal(fit.model.classCount, golden.classCount);
        assertClose(fit.model.weights.flat(), golden.sklearn.weights.flat(), TOLERANCE, 'weights');
        assertClose(fit.model.bias, golden.sklearn.bias, TOLERANCE, 'bias');
        assert.ok(Math.abs(fit.model.bias.reduce((sum, b) => sum + b, 0)) <= 1e-12);
        assert.ok(fit.gradientMaxAbs <= 1e-10);
      });

      it(`predicts the same probabilities to ${TOLERANCE}, in and outside the training range`, () => {
        assertClose(
          predictClassProbabilities(fit.model, golden.rows),
          golden.sklearn.probabilities.flat(),
          TOLERANCE,
          'train',
        );
        assertClose(
          predictClassProbabilities(fit.model, golden.extraRows),
          golden.sklearn.extraProbabilities.flat(),
          TOLERANCE,
          'extra',
        );
      });
    });
  }

  // Digits (64 features, 10 classes: 650 parameters) is left to the MLP test: one Newton
  // iteration costs O(n·K²·F²), seconds on a shared machine for an answer iris and wine already give.
  for (const name of ['iris', 'wine']) {
    it(`classifies ${name}'s held-out rows exactly as scikit-learn does`, () => {
      const dataset = datasets.find((d) => d.name === name)!;
      const pick = (indices: number[]) => ({
        rows: indices.map((i) => dataset.rows[i]!),
        labels: indices.map((i) => dataset.labels[i]!),
      });
      const train = pick(dataset.train);
      const test = pick(dataset.test);
      const { model } = new SoftmaxRegression({ l2: dataset.logistic.l2 }).fit(
        train.rows,
        train.labels,
        dataset.featureNames,
        dataset.classCount,
      );
      const metrics = evaluateClassifier(
        test.labels,
        predictClassProbabilities(model, test.rows),
        dataset.classCount,
      );
      assert.equal(metrics.accuracy, dataset.logistic.testAccuracy);
    });
  }

  it('gives a constant feature scale 1 and weight 0 in every class', () => {
    const golden = goldens.find((g) => g.name === 'wide-scales-with-constant')!;
    const { model } = new SoftmaxRegression({ l2: golden.l2 }).fit(
      golden.rows,
      golden.labels,
      golden.featureNames,
      golden.classCount,
    );
    assert.equal(model.standardization.scale[3], 1);
    assert.equal(model.standardization.mean[3], 7.5);
    for (const classWeights of model.weights) assert.equal(classWeights[3], 0);
  });

  it('is deterministic: the same data gives the same model, bit for bit', () => {
    const golden = goldens[0]!;
    const fit = () =>
      new SoftmaxRegression().fit(golden.rows, golden.labels, golden.featureNames, 3);
    assert.deepEqual(fit(), fit());
  });

  it('penalizes more with a larger l2', () => {
    const golden = goldens[0]!;
    const norm = (l2: number): number =>
      Math.hypot(
        ...new SoftmaxRegression({ l2 })
          .fit(golden.rows, golden.labels, golden.featureNames, 3)
          .model.weights.flat(),
      );
    assert.ok(norm(1) < norm(0.01));
    assert.ok(norm(0.01) < norm(1e-6));
  });

  it('converges on perfectly separable data, where only the penalty bounds the weights', () => {
    const rows = [[-3], [-2], [-1], [1], [2], [3], [5], [6], [7]];
    const fit = new SoftmaxRegression({ l2: 1e-6 }).fit(
      rows,
      [0, 0, 0, 1, 1, 1, 2, 2, 2],
      ['x'],
      3,
    );
    assert.ok(fit.gradientMaxAbs <= 1e-10);
    assert.ok((fit.model.weights[2]?.[0] ?? 0) > 5);
  });

  it('reports DW_LEARN_NOT_CONVERGED when the iterations run out', () => {
    const golden = goldens[0]!;
    assert.throws(
      () =>
        new SoftmaxRegression({ maxIterations: 1 }).fit(
          golden.rows,
          golden.labels,
          golden.featureNames,
          3,
        ),
      expectLearnError(
        'DW_LEARN_NOT_CONVERGED',
        /softmax regression did not converge in 1 Newton iterations/,
      ),
    );
  });

  it('rejects invalid options and class counts', () => {
    for (const options of [{ l2: 0 }, { l2: Number.NaN }, { maxIterations: 0 }, { tolerance: 0 }]) {
      assert.throws(
        () => new SoftmaxRegression(options),
        expectLearnError('DW_LEARN_INVALID_OPTION'),
        JSON.stringify(options),
      );
    }
    for (const classCount of [2, 2.5, Number.NaN, '3' as unknown as number]) {
      assert.throws(
        () => new SoftmaxRegression().fit([[1], [2], [3]], [0, 1, 1], ['x'], classCount),
        expectLearnError('DW_LEARN_INVALID_OPTION', /classCount must be an integer ≥ 3/),
        String(classCount),
      );
    }
  });

  it('refuses one class, and a class without rows, each with its own code', () => {
    const fit = (labels: number[]) => () =>
      new SoftmaxRegression().fit([[1], [2], [3], [4]], labels, ['x'], 3);
    assert.throws(
      fit([2, 2, 2, 2]),
      expectLearnError('DW_LEARN_ONE_CLASS', /at least two classes, got 4 rows of class 2 only/),
    );
    assert.throws(
      fit([0, 2, 0, 2]),
      expectLearnError('DW_LEARN_MISSING_CLASS', /every one of the 3 classes, class 1 has no row/),
    );
    assert.throws(
      () => new SoftmaxRegression().fit([[1], [2], [3]], [0, 0, 3], ['x'], 5),
      expectLearnError('DW_LEARN_MISSING_CLASS', /classes 1, 2, 4 have no row/),
    );
  });

  it('rejects labels that are not class indices, naming the row', () => {
    const rows = [[1], [2], [3]];
    const cases: [unknown[], RegExp][] = [
      [[0, 1, 3], /labels\[2\] must be a class index in 0 … 2, got 3/],
      [[0, 1, -1], /labels\[2\] must be a class index/],
      [[0, 1.5, 2], /labels\[1\] must be a class index/],
      [[0, true, 2], /labels\[1\] must be a class index/],
      [[0, 1], /same length/],
    ];
    for (const [labels, message] of cases) {
      assert.throws(
        () => new SoftmaxRegression().fit(rows, labels as number[], ['x'], 3),
        expectLearnError('DW_LEARN_INVALID_INPUT', message),
        String(message),
      );
    }
  });
});
