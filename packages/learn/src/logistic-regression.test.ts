import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { LearnError } from './errors.js';
import { LogisticRegression } from './logistic-regression.js';
import { predictProbabilities } from './predict-probabilities.js';

/** Written by test/fixtures/learn/generate_learn_goldens.py; never edit by hand. */
interface LogisticGolden {
  name: string;
  C: number;
  l2: number;
  featureNames: string[];
  rows: number[][];
  labels: number[];
  extraRows: number[][];
  sklearn: {
    mean: number[];
    scale: number[];
    weights: number[];
    bias: number;
    probabilities: number[];
    extraProbabilities: number[];
  };
}

const goldens = (
  JSON.parse(
    readFileSync(
      new URL('../../../test/fixtures/learn/logistic-regression.json', import.meta.url),
      'utf8',
    ),
  ) as { cases: LogisticGolden[] }
).cases;

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

function expectLearnError(code: string): (error: unknown) => boolean {
  return (error) => error instanceof LearnError && error.code === code;
}

describe('LogisticRegression', () => {
  it('has golden cases to check', () => {
    assert.ok(goldens.length >= 4);
  });

  for (const golden of goldens) {
    describe(`equals scikit-learn on "${golden.name}" (C=${golden.C})`, () => {
      const fit = new LogisticRegression({ l2: golden.l2 }).fit(
        golden.rows,
        golden.labels,
        golden.featureNames,
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

      it('finds the same weights and intercept to 1e-9', () => {
        assertClose(fit.model.weights, golden.sklearn.weights, 1e-9, 'weights');
        assertClose([fit.model.bias], [golden.sklearn.bias], 1e-9, 'bias');
        assert.ok(fit.gradientMaxAbs <= 1e-10);
      });

      it('predicts the same probabilities to 1e-9, in and outside the training range', () => {
        assertClose(
          predictProbabilities(fit.model, golden.rows),
          golden.sklearn.probabilities,
          1e-9,
          'train',
        );
        assertClose(
          predictProbabilities(fit.model, golden.extraRows),
          golden.sklearn.extraProbabilities,
          1e-9,
          'extra',
        );
      });
    });
  }

  it('gives a constant feature scale 1 and weight 0', () => {
    const golden = goldens.find((g) => g.name === 'wide-scales-with-constant')!;
    const fit = new LogisticRegression({ l2: golden.l2 }).fit(
      golden.rows,
      golden.labels,
      golden.featureNames,
    );
    assert.equal(fit.model.standardization.scale[3], 1);
    assert.equal(fit.model.standardization.mean[3], 7.5);
    assert.equal(fit.model.weights[3], 0);
  });

  it('is deterministic: the same data gives the same model, bit for bit', () => {
    const golden = goldens[0]!;
    const a = new LogisticRegression().fit(golden.rows, golden.labels, golden.featureNames);
    const b = new LogisticRegression().fit(golden.rows, golden.labels, golden.featureNames);
    assert.deepEqual(a, b);
  });

  it('penalizes more with a larger l2', () => {
    const golden = goldens[0]!;
    const norm = (l2: number): number =>
      Math.hypot(
        ...new LogisticRegression({ l2 }).fit(golden.rows, golden.labels, golden.featureNames).model
          .weights,
      );
    assert.ok(norm(1) < norm(0.01));
    assert.ok(norm(0.01) < norm(1e-6));
  });

  it('converges on perfectly separable data, where only the penalty bounds the weights', () => {
    const rows = [[-2], [-1], [-0.5], [0.5], [1], [2]];
    const fit = new LogisticRegression({ l2: 1e-6 }).fit(rows, [0, 0, 0, 1, 1, 1], ['x']);
    assert.ok(fit.gradientMaxAbs <= 1e-10);
    assert.ok((fit.model.weights[0] ?? 0) > 5);
  });

  it('reports DW_LEARN_NOT_CONVERGED when the iterations run out', () => {
    const golden = goldens[0]!;
    assert.throws(
      () =>
        new LogisticRegression({ maxIterations: 1 }).fit(
          golden.rows,
          golden.labels,
          golden.featureNames,
        ),
      (error: unknown) =>
        expectLearnError('DW_LEARN_NOT_CONVERGED')(error) &&
        /did not converge in 1 Newton iterations/.test((error as Error).message),
    );
  });

  it('rejects invalid options', () => {
    for (const options of [
      { l2: 0 },
      { l2: -1 },
      { l2: Number.NaN },
      { l2: Infinity },
      { maxIterations: 0 },
      { maxIterations: 2.5 },
      { tolerance: 0 },
    ]) {
      assert.throws(
        () => new LogisticRegression(options),
        expectLearnError('DW_LEARN_INVALID_OPTION'),
        JSON.stringify(options),
      );
    }
  });

  it('refuses one-class labels with its own code: nothing to tell apart', () => {
    assert.throws(
      () => new LogisticRegression().fit([[1], [2]], [1, 1], ['x']),
      (error: unknown) =>
        expectLearnError('DW_LEARN_ONE_CLASS')(error) &&
        /both classes/.test((error as Error).message),
    );
  });

  it('rejects invalid training data, naming the problem', () => {
    const fit = (rows: number[][], labels: number[], names: string[]) => () =>
      new LogisticRegression().fit(rows, labels, names);
    const cases: [() => unknown, RegExp][] = [
      [fit([[1], [2]], [0, 2], ['x']), /labels\[1\] must be 0 or 1/],
      [fit([[1], [Number.NaN]], [0, 1], ['x']), /rows\[1\]\[0\] must be a finite number/],
      [fit([[1], [2, 3]], [0, 1], ['x']), /rows\[1\] must have 1 values/],
      [fit([[1], [2]], [0, 1, 1], ['x']), /same length/],
      [
        fit(
          [
            [1, 2],
            [2, 3],
          ],
          [0, 1],
          ['x', 'x'],
        ),
        /repeats "x"/,
      ],
      [fit([], [], []), /featureNames must be a non-empty array/],
      [fit([[1], [2]], [0, 1], ['']), /non-empty string/],
    ];
    for (const [run, message] of cases) {
      assert.throws(
        run,
        (error: unknown) =>
          expectLearnError('DW_LEARN_INVALID_INPUT')(error) &&
          message.test((error as Error).message),
        String(message),
      );
    }
  });
});
