import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from '@driftwatch/drift';

import { LearnError } from './errors.js';
import { evaluateBinaryClassifier } from './evaluate-binary-classifier.js';
import { LogisticRegression } from './logistic-regression.js';
import { Mlp, type MlpOptions } from './mlp.js';
import type { MlpModel } from './trained-model.js';
import { predictProbabilities } from './predict-probabilities.js';

/** Two inputs uniform on [−1, 1]² (one far off zero and wide), label 1 when their signs differ. */
function xorData(seed: number, count: number): { rows: number[][]; labels: number[] } {
  const random = mulberry32(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const a = random() * 2 - 1;
    const b = random() * 2 - 1;
    rows.push([a, 1000 + 500 * b, random()]);
    labels.push(a * b < 0 ? 1 : 0);
  }
  return { rows, labels };
}

const names = ['a', 'b', 'noise'];
const train = xorData(1, 800);
const holdout = xorData(2, 400);

function holdoutAccuracy(model: Parameters<typeof predictProbabilities>[0]): number {
  return evaluateBinaryClassifier(holdout.labels, predictProbabilities(model, holdout.rows))
    .accuracy;
}

describe('Mlp', () => {
  for (const activation of ['tanh', 'relu'] as const) {
    it(`learns XOR-like data that logistic regression cannot (${activation})`, () => {
      const model = new Mlp({ activation, epochs: 60, seed: 7 }).fit(
        train.rows,
        train.labels,
        names,
      );
      const linear = new LogisticRegression().fit(train.rows, train.labels, names).model;
      assert.ok(holdoutAccuracy(model) > 0.93, `mlp accuracy ${holdoutAccuracy(model)}`);
      assert.ok(holdoutAccuracy(linear) < 0.65, `logistic accuracy ${holdoutAccuracy(linear)}`);
      assert.equal(model.activation, activation);
      assert.equal(model.hidden.weights.length, 16);
      assert.ok(model.hidden.weights.every((row) => row.length === names.length));
    });
  }

  it('lowers the training log-loss from its initial weights', () => {
    const before = new Mlp({ epochs: 1, learningRate: 1e-9, seed: 3 }).fit(
      train.rows,
      train.labels,
      names,
    );
    const after = new Mlp({ epochs: 20, seed: 3 }).fit(train.rows, train.labels, names);
    const loss = (model: typeof before): number =>
      evaluateBinaryClassifier(train.labels, predictProbabilities(model, train.rows)).logLoss;
    assert.ok(loss(after) < 0.5 * loss(before), `${loss(after)} vs ${loss(before)}`);
  });

  for (const activation of ['tanh', 'relu'] as const) {
    it(`steps every parameter against its finite-difference gradient (${activation})`, () => {
      // Adam's first step moves each parameter by −α·sign(gradient) (m̂/√v̂ = g/|g|), so two
      // one-step fits with tiny α reveal the sign of the gradient backpropagation computed.
      const rows = train.rows.slice(0, 60);
      const labels = train.labels.slice(0, 60);
      const l2 = 0.01;
      const step = (learningRate: number): MlpModel =>
        new Mlp({
          activation,
          hiddenUnits: 4,
          epochs: 1,
          batchSize: 60,
          l2,
          learningRate,
          seed: 5,
        }).fit(rows, labels, names);
      const a = step(1e-9);
      const b = step(2e-9);
      const objective = (model: MlpModel): number => {
        const p = predictProbabilities(model, rows);
        let loss = 0;
        labels.forEach((y, i) => (loss -= Math.log(y === 1 ? p[i]! : 1 - p[i]!)));
        const squares = [...model.hidden.weights.flat(), ...model.output.weights].reduce(
          (s, w) => s + w * w,
          0,
        );
        return loss / rows.length + (l2 / 2) * squares;
      };
      const parameters = (model: MlpModel): number[] => [
        ...model.hidden.weights.flat(),
        ...model.hidden.bias,
        ...model.output.weights,
        model.output.bias,
      ];
      const withParameter = (model: MlpModel, k: number, delta: number): MlpModel => {
        const values = parameters(model);
        values[k]! += delta;
        const width = names.length;
        const units = model.hidden.bias.length;
        let at = 0;
        const take = (count: number): number[] => values.slice(at, (at += count));
        return {
          ...model,
          hidden: { weights: Array.from({ length: units }, () => take(width)), bias: take(units) },
          output: { weights: take(units), bias: take(1)[0]! },
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
  }

  it('is bit-identical for the same seed and data, and fits the same twice', () => {
    const options: MlpOptions = { hiddenUnits: 5, epochs: 5, batchSize: 17, seed: 42 };
    const mlp = new Mlp(options);
    const first = mlp.fit(train.rows, train.labels, names);
    assert.deepEqual(mlp.fit(train.rows, train.labels, names), first);
    assert.deepEqual(new Mlp(options).fit(train.rows, train.labels, names), first);
    assert.notDeepEqual(
      new Mlp({ ...options, seed: 43 }).fit(train.rows, train.labels, names),
      first,
    );
  });

  it('draws from a given generator exactly as from the same seed, advancing it', () => {
    const options: MlpOptions = { hiddenUnits: 4, epochs: 3 };
    const seeded = new Mlp({ ...options, seed: 9 }).fit(train.rows, train.labels, names);
    const mlp = new Mlp({ ...options, random: mulberry32(9) });
    assert.deepEqual(mlp.fit(train.rows, train.labels, names), seeded);
    assert.notDeepEqual(mlp.fit(train.rows, train.labels, names), seeded);
  });

  it('shrinks weights with a larger l2', () => {
    const norm = (l2: number): number => {
      const model = new Mlp({ l2, epochs: 20, seed: 1 }).fit(train.rows, train.labels, names);
      return Math.hypot(...model.hidden.weights.flat(), ...model.output.weights);
    };
    assert.ok(norm(0.1) < norm(0));
  });

  it('accepts a batch larger than the data', () => {
    const model = new Mlp({ batchSize: 10_000, epochs: 2 }).fit([[0], [1]], [0, 1], ['x']);
    assert.ok(predictProbabilities(model, [[0], [1]]).every(Number.isFinite));
  });

  it('rejects invalid options', () => {
    const invalid: MlpOptions[] = [
      { hiddenUnits: 0 },
      { hiddenUnits: 1.5 },
      { activation: 'sigmoid' as 'tanh' },
      { l2: -1 },
      { l2: Number.NaN },
      { epochs: 0 },
      { batchSize: 0 },
      { learningRate: 0 },
      { learningRate: Infinity },
      { seed: -1 },
      { seed: 2 ** 32 },
      { seed: 0.5 },
      { seed: 1, random: mulberry32(1) },
      { random: 5 as unknown as () => number },
    ];
    for (const options of invalid) {
      assert.throws(
        () => new Mlp(options),
        (error: unknown) => error instanceof LearnError && error.code === 'DW_LEARN_INVALID_OPTION',
        JSON.stringify(options),
      );
    }
  });

  it('rejects one-class labels', () => {
    assert.throws(
      () => new Mlp().fit([[1], [2]], [0, 0], ['x']),
      (error: unknown) => error instanceof LearnError && error.code === 'DW_LEARN_ONE_CLASS',
    );
  });
});
