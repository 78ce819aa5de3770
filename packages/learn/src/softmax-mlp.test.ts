import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { mulberry32 } from '@driftwatch/drift';

import { LearnError } from './errors.js';
import { evaluateClassifier } from './evaluate-classifier.js';
import type { MlpOptions } from './mlp.js';
import { predictClassProbabilities } from './predict-class-probabilities.js';
import { SoftmaxMlp } from './softmax-mlp.js';
import { SoftmaxRegression } from './softmax-regression.js';
import type { SoftmaxMlpModel } from './trained-model.js';

/** Written by test/fixtures/learn/generate_multiclass_goldens.py; never edit by hand. */
interface DatasetGolden {
  name: string;
  classCount: number;
  featureNames: string[];
  rows: number[][];
  labels: number[];
  train: number[];
  test: number[];
  mlp: {
    hiddenUnits: number;
    activation: 'tanh';
    l2: number;
    batchSize: number;
    epochs: number;
    learningRate: number;
    sklearnTestAccuracies: number[];
  };
}

const datasets = (
  JSON.parse(
    readFileSync(
      new URL('../../../test/fixtures/learn/multiclass-datasets.json', import.meta.url),
      'utf8',
    ),
  ) as { cases: DatasetGolden[] }
).cases;

/** Three classes that need the interaction of a and b: XOR's, the agreeing side split by radius. */
function quadrantData(seed: number, count: number): { rows: number[][]; labels: number[] } {
  const random = mulberry32(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const a = random() * 2 - 1;
    const b = random() * 2 - 1;
    rows.push([a, 1000 + 500 * b, random()]);
    labels.push(a * b < 0 ? 0 : a * a + b * b < 0.5 ? 1 : 2);
  }
  return { rows, labels };
}

const names = ['a', 'b', 'noise'];
const train = quadrantData(1, 600);
const holdout = quadrantData(2, 300);

function accuracy(model: SoftmaxMlpModel, data: { rows: number[][]; labels: number[] }): number {
  return evaluateClassifier(data.labels, predictClassProbabilities(model, data.rows), 3).accuracy;
}

describe('SoftmaxMlp', () => {
  // Exact goldens are not expected of a network trained by SGD (scikit-learn draws its initial
  // weights and batches differently): the check is that the same hyperparameters reach the
  // accuracy scikit-learn's MLPClassifier reaches over five random states.
  for (const dataset of datasets) {
    it(`classifies ${dataset.name} as well as scikit-learn's MLPClassifier`, () => {
      const pick = (indices: number[]) => ({
        rows: indices.map((i) => dataset.rows[i]!),
        labels: indices.map((i) => dataset.labels[i]!),
      });
      const trainRows = pick(dataset.train);
      const test = pick(dataset.test);
      const { hiddenUnits, activation, l2, batchSize, epochs, learningRate } = dataset.mlp;
      const model = new SoftmaxMlp({
        hiddenUnits,
        activation,
        l2,
        batchSize,
        epochs,
        learningRate,
        seed: 0,
      }).fit(trainRows.rows, trainRows.labels, dataset.featureNames, dataset.classCount);
      const ours = evaluateClassifier(
        test.labels,
        predictClassProbabilities(model, test.rows),
        dataset.classCount,
      ).accuracy;
      const theirs = dataset.mlp.sklearnTestAccuracies;
      const mean = theirs.reduce((sum, a) => sum + a, 0) / theirs.length;
      assert.ok(ours >= Math.min(...theirs), `${ours} below scikit-learn's ${theirs.join(', ')}`);
      assert.ok(ours >= mean - 0.02, `${ours} vs scikit-learn's mean ${mean}`);
    });
  }

  for (const activation of ['tanh', 'relu'] as const) {
    it(`learns classes a linear model cannot separate (${activation})`, () => {
      const model = new SoftmaxMlp({ activation, epochs: 60, seed: 7 }).fit(
        train.rows,
        train.labels,
        names,
        3,
      );
      const linear = new SoftmaxRegression().fit(train.rows, train.labels, names, 3).model;
      const linearAccuracy = evaluateClassifier(
        holdout.labels,
        predictClassProbabilities(linear, holdout.rows),
        3,
      ).accuracy;
      assert.ok(accuracy(model, holdout) > 0.9, `mlp accuracy ${accuracy(model, holdout)}`);
      assert.ok(linearAccuracy < 0.7, `softmax regression accuracy ${linearAccuracy}`);
      assert.equal(model.classCount, 3);
      assert.equal(model.output.weights.length, 3);
      assert.ok(model.output.weights.every((row) => row.length === 16));
      assert.equal(model.output.bias.length, 3);
    });
  }

  it('steps every parameter against its finite-difference gradient', () => {
    // Adam's first step moves each parameter by −α·sign(gradient) (m̂/√v̂ = g/|g|), so two
    // one-step fits with tiny α reveal the sign of the gradient backpropagation computed.
    const rows = train.rows.slice(0, 60);
    const labels = train.labels.slice(0, 60);
    const l2 = 0.01;
    const step = (learningRate: number): SoftmaxMlpModel =>
      new SoftmaxMlp({ hiddenUnits: 4, epochs: 1, batchSize: 60, l2, learningRate, seed: 5 }).fit(
        rows,
        labels,
        names,
        3,
      );
    const a = step(1e-9);
    const b = step(2e-9);
    const objective = (model: SoftmaxMlpModel): number => {
      const p = predictClassProbabilities(model, rows);
      let loss = 0;
      labels.forEach((y, i) => (loss -= Math.log(p[i * 3 + y]!)));
      const squares = [...model.hidden.weights.flat(), ...model.output.weights.flat()].reduce(
        (s, w) => s + w * w,
        0,
      );
      return loss / rows.length + (l2 / 2) * squares;
    };
    const parameters = (model: SoftmaxMlpModel): number[] => [
      ...model.hidden.weights.flat(),
      ...model.hidden.bias,
      ...model.output.weights.flat(),
      ...model.output.bias,
    ];
    const withParameter = (model: SoftmaxMlpModel, k: number, delta: number): SoftmaxMlpModel => {
      const values = parameters(model);
      values[k]! += delta;
      const units = model.hidden.bias.length;
      let at = 0;
      const take = (count: number): number[] => values.slice(at, (at += count));
      return {
        ...model,
        hidden: {
          weights: Array.from({ length: units }, () => take(names.length)),
          bias: take(units),
        },
        output: { weights: Array.from({ length: 3 }, () => take(units)), bias: take(3) },
      };
    };
    const before = parameters(a);
    const after = parameters(b);
    let checked = 0;
    for (let k = 0; k < before.length; k++) {
      const h = 1e-6;
      const numeric =
        (objective(withParameter(a, k, h)) - objective(withParameter(a, k, -h))) / (2 * h);
      if (Math.abs(numeric) < 1e-5) continue;
      const moved = after[k]! - before[k]!;
      assert.equal(
        Math.sign(moved),
        -Math.sign(numeric),
        `parameter ${k}: moved ${moved}, gradient ${numeric}`,
      );
      checked++;
    }
    assert.ok(checked > before.length / 2, `only ${checked} of ${before.length} checked`);
  });

  it('is bit-identical for the same seed and data, and fits the same twice', () => {
    const options: MlpOptions = { hiddenUnits: 5, epochs: 5, batchSize: 17, seed: 42 };
    const mlp = new SoftmaxMlp(options);
    const first = mlp.fit(train.rows, train.labels, names, 3);
    assert.deepEqual(mlp.fit(train.rows, train.labels, names, 3), first);
    assert.deepEqual(new SoftmaxMlp(options).fit(train.rows, train.labels, names, 3), first);
    assert.notDeepEqual(
      new SoftmaxMlp({ ...options, seed: 43 }).fit(train.rows, train.labels, names, 3),
      first,
    );
  });

  it('draws from a given generator exactly as from the same seed, advancing it', () => {
    const options: MlpOptions = { hiddenUnits: 4, epochs: 3 };
    const seeded = new SoftmaxMlp({ ...options, seed: 9 }).fit(train.rows, train.labels, names, 3);
    const mlp = new SoftmaxMlp({ ...options, random: mulberry32(9) });
    assert.deepEqual(mlp.fit(train.rows, train.labels, names, 3), seeded);
    assert.notDeepEqual(mlp.fit(train.rows, train.labels, names, 3), seeded);
  });

  it('rejects invalid options, class counts and labels', () => {
    const invalid: MlpOptions[] = [
      { hiddenUnits: 0 },
      { activation: 'sigmoid' as 'tanh' },
      { l2: -1 },
      { epochs: 0 },
      { seed: 2 ** 32 },
      { seed: 1, random: mulberry32(1) },
    ];
    for (const options of invalid) {
      assert.throws(
        () => new SoftmaxMlp(options),
        (error: unknown) => error instanceof LearnError && error.code === 'DW_LEARN_INVALID_OPTION',
        JSON.stringify(options),
      );
    }
    const fit = (labels: number[], classCount: number) => () =>
      new SoftmaxMlp({ epochs: 1 }).fit([[1], [2], [3]], labels, ['x'], classCount);
    const cases: [() => unknown, string][] = [
      [fit([0, 1, 1], 2), 'DW_LEARN_INVALID_OPTION'],
      [fit([0, 1, 3], 3), 'DW_LEARN_INVALID_INPUT'],
      [fit([1, 1, 1], 3), 'DW_LEARN_ONE_CLASS'],
      [fit([0, 1, 1], 3), 'DW_LEARN_MISSING_CLASS'],
    ];
    for (const [run, code] of cases) {
      assert.throws(run, (error: unknown) => error instanceof LearnError && error.code === code);
    }
  });
});
