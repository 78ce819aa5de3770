import { activate, activationSlope, sigmoid } from './activations.js';
import { Adam } from './adam.js';
import { type FeatureRows } from './input-checks.js';
import { fitRandom, MlpHyperparameters } from './mlp-options.js';
import { shuffle } from './shuffle.js';
import { fitStandardization, standardize } from './standardization.js';
import type { MlpModel } from './trained-model.js';
import { trainingData } from './training-data.js';

export type { MlpOptions } from './mlp-options.js';

/**
 * A multilayer perceptron with one hidden layer and a sigmoid output, trained on the log-loss by
 * mini-batch Adam: the smallest model that can learn an interaction (XOR-like data) that logistic
 * regression cannot. Features are standardized as in {@link LogisticRegression}.
 *
 * Deterministic: all randomness (the initial weights, each epoch's shuffle) comes from one seeded
 * generator, drawn in a fixed order, and the arithmetic is plain float64 in fixed loops, so the
 * same seed and data give bit-identical weights on every machine.
 *
 * Initial weights are uniform: Glorot (±√(6 / (fanIn + fanOut))) for tanh and the output layer,
 * He (±√(6 / fanIn)) for relu; biases start at 0.
 *
 * Options, all optional:
 * - `hiddenUnits` (16): positive integer.
 * - `activation` (`'tanh'`): `'tanh'` or `'relu'`.
 * - `l2` (1e-4): λ ≥ 0 on the weights, per example as in {@link LogisticRegression}.
 * - `epochs` (100), `batchSize` (32): positive integers.
 * - `learningRate` (0.01): Adam's α, positive; β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
 * - `seed` (0): a 32-bit unsigned integer for `mulberry32`; or `random`, a generator of your own
 *   (not both).
 *
 * @example
 * ```ts
 * // XOR: the label is 1 when exactly one of the two inputs is positive.
 * const random = mulberry32(3);
 * const rows = [];
 * const labels = [];
 * for (let i = 0; i < 400; i++) {
 *   const row = [random() * 2 - 1, random() * 2 - 1];
 *   rows.push(row);
 *   labels.push(row[0] * row[1] < 0 ? 1 : 0);
 * }
 * const model = new Mlp({ hiddenUnits: 8, epochs: 60, seed: 1 }).fit(rows, labels, ['a', 'b']);
 * const p = predictProbabilities(model, [[0.5, -0.5], [0.5, 0.5], [-0.5, -0.5], [-0.5, 0.5]]);
 * Array.from(p, (x) => Math.round(x)); // => [1, 0, 0, 1]
 * ```
 *
 * @see Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
 * @see Glorot and Bengio, "Understanding the difficulty of training deep feedforward neural
 * networks", AISTATS 2010; He et al., "Delving Deep into Rectifiers", ICCV 2015.
 */
export class Mlp extends MlpHyperparameters {
  /**
   * Trains on `rows` (raw feature values, columns in `featureNames` order) and their 0/1
   * `labels`; both classes must be present. With a `seed`, every call starts from the same state.
   */
  fit(
    rows: FeatureRows,
    labels: ArrayLike<number | boolean>,
    featureNames: readonly string[],
  ): MlpModel {
    const data = trainingData(rows, labels, featureNames);
    const { rowCount: n, width } = data;
    const standardization = fitStandardization(data.values, n, width);
    const z = standardize(data.values, n, width, standardization);
    const y = data.labels;
    const units = this.hiddenUnits;
    const activation = this.activation;
    const random = fitRandom(this.options);

    // Parameters, flat: hidden weights unit-major (W[u][j] at u·width + j), then the rest.
    const hiddenWeights = new Float64Array(units * width);
    const hiddenBias = new Float64Array(units);
    const outputWeights = new Float64Array(units);
    const outputBias = new Float64Array(1);
    const hiddenLimit =
      activation === 'relu' ? Math.sqrt(6 / width) : Math.sqrt(6 / (width + units));
    for (let k = 0; k < hiddenWeights.length; k++) {
      hiddenWeights[k] = (2 * random() - 1) * hiddenLimit;
    }
    const outputLimit = Math.sqrt(6 / (units + 1));
    for (let u = 0; u < units; u++) outputWeights[u] = (2 * random() - 1) * outputLimit;

    const parameters = [hiddenWeights, hiddenBias, outputWeights, outputBias];
    const gradients = parameters.map((p) => new Float64Array(p.length));
    const [gHiddenWeights, gHiddenBias, gOutputWeights, gOutputBias] = gradients as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    // Weights are penalized, biases not.
    const adam = new Adam(parameters, [this.l2, 0, this.l2, 0], this.learningRate);

    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const hidden = new Float64Array(units);
    const batchSize = Math.min(this.batchSize, n);

    for (let epoch = 0; epoch < this.epochs; epoch++) {
      shuffle(order, random);
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(start + batchSize, n);
        const count = end - start;
        for (const g of gradients) g.fill(0);
        for (let position = start; position < end; position++) {
          const i = order[position] ?? 0;
          const offset = i * width;
          let dot = 0;
          for (let u = 0; u < units; u++) {
            let unitDot = 0;
            for (let j = 0; j < width; j++) {
              unitDot += (z[offset + j] ?? 0) * (hiddenWeights[u * width + j] ?? 0);
            }
            const a = activate(activation, unitDot + (hiddenBias[u] ?? 0));
            hidden[u] = a;
            dot += a * (outputWeights[u] ?? 0);
          }
          // d(logloss)/d(logit) = p − y; averaged over the batch.
          const delta = (sigmoid(dot + (outputBias[0] ?? 0)) - (y[i] ?? 0)) / count;
          gOutputBias[0] = (gOutputBias[0] ?? 0) + delta;
          for (let u = 0; u < units; u++) {
            const a = hidden[u] ?? 0;
            gOutputWeights[u] = (gOutputWeights[u] ?? 0) + delta * a;
            const unitDelta = delta * (outputWeights[u] ?? 0) * activationSlope(activation, a);
            if (unitDelta === 0) continue;
            gHiddenBias[u] = (gHiddenBias[u] ?? 0) + unitDelta;
            for (let j = 0; j < width; j++) {
              gHiddenWeights[u * width + j] =
                (gHiddenWeights[u * width + j] ?? 0) + unitDelta * (z[offset + j] ?? 0);
            }
          }
        }
        adam.step(gradients);
      }
    }

    return {
      family: 'mlp',
      featureNames: [...data.featureNames],
      standardization,
      activation,
      hidden: {
        weights: Array.from({ length: units }, (_, u) =>
          Array.from(hiddenWeights.subarray(u * width, (u + 1) * width)),
        ),
        bias: Array.from(hiddenBias),
      },
      output: { weights: Array.from(outputWeights), bias: outputBias[0] ?? 0 },
    };
  }
}
