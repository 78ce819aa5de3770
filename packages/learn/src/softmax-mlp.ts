import { activate, activationSlope, softmaxInPlace } from './activations.js';
import { Adam } from './adam.js';
import { requireClassCount, type FeatureRows } from './input-checks.js';
import { fitRandom, MlpHyperparameters } from './mlp-options.js';
import { shuffle } from './shuffle.js';
import { fitStandardization, standardize } from './standardization.js';
import type { SoftmaxMlpModel } from './trained-model.js';
import { multiclassTrainingData } from './training-data.js';

/**
 * The multiclass {@link Mlp}: one hidden layer and K ≥ 3 softmax outputs, trained on the mean
 * cross-entropy (plus `l2` on the weights) by mini-batch Adam. Everything else is the binary
 * MLP's: the options and their defaults, standardized features, Glorot/He uniform initial weights
 * (the output layer's Glorot limit is √(6 / (hiddenUnits + K))), biases starting at 0.
 *
 * Deterministic in the same way: one seeded generator draws, in order, the hidden weights (unit by
 * unit), the output weights (class by class), then each epoch's shuffle; the arithmetic is plain
 * float64 in fixed loops. The same seed and data give bit-identical weights on every machine.
 *
 * Labels are class indices `0 … classCount − 1`, every class present, as for
 * {@link SoftmaxRegression} (`DW_LEARN_ONE_CLASS`, `DW_LEARN_MISSING_CLASS`): a class the network
 * never saw would only learn to be never predicted. Two classes are the binary {@link Mlp}'s job.
 *
 * @example
 * ```ts
 * // Three classes by the sign of a and of b: a ≤ 0 is 0; a > 0 is 1 or 2 by the sign of b.
 * const random = mulberry32(5);
 * const rows = [];
 * const labels = [];
 * for (let i = 0; i < 200; i++) {
 *   const row = [random() * 2 - 1, random() * 2 - 1];
 *   rows.push(row);
 *   labels.push(row[0] <= 0 ? 0 : row[1] <= 0 ? 1 : 2);
 * }
 * const model = new SoftmaxMlp({ hiddenUnits: 8, epochs: 30, seed: 1 }).fit(rows, labels, ['a', 'b'], 3);
 * const p = predictClassProbabilities(model, [[-0.5, 0.5], [0.5, -0.5], [0.5, 0.5]]);
 * Array.from(p, (x) => Math.round(x)); // => [1, 0, 0, 0, 1, 0, 0, 0, 1]
 * ```
 *
 * @see Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
 */
export class SoftmaxMlp extends MlpHyperparameters {
  /**
   * Trains on `rows` (raw feature values, columns in `featureNames` order) and their class indices
   * `labels`, each in `0 … classCount − 1`, every class present. With a `seed`, every call starts
   * from the same state.
   */
  fit(
    rows: FeatureRows,
    labels: ArrayLike<number>,
    featureNames: readonly string[],
    classCount: number,
  ): SoftmaxMlpModel {
    requireClassCount(classCount, 3);
    const data = multiclassTrainingData(rows, labels, featureNames, classCount);
    const { rowCount: n, width } = data;
    const standardization = fitStandardization(data.values, n, width);
    const z = standardize(data.values, n, width, standardization);
    const y = data.labels;
    const units = this.hiddenUnits;
    const activation = this.activation;
    const random = fitRandom(this.options);

    // Flat parameters: hidden weights unit-major (W[u][j] at u·width + j), output weights
    // class-major (V[k][u] at k·units + u).
    const hiddenWeights = new Float64Array(units * width);
    const hiddenBias = new Float64Array(units);
    const outputWeights = new Float64Array(classCount * units);
    const outputBias = new Float64Array(classCount);
    const hiddenLimit =
      activation === 'relu' ? Math.sqrt(6 / width) : Math.sqrt(6 / (width + units));
    for (let k = 0; k < hiddenWeights.length; k++) {
      hiddenWeights[k] = (2 * random() - 1) * hiddenLimit;
    }
    const outputLimit = Math.sqrt(6 / (units + classCount));
    for (let k = 0; k < outputWeights.length; k++) {
      outputWeights[k] = (2 * random() - 1) * outputLimit;
    }

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
    const probabilities = new Float64Array(classCount);
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
          for (let u = 0; u < units; u++) {
            let unitDot = 0;
            for (let j = 0; j < width; j++) {
              unitDot += (z[offset + j] ?? 0) * (hiddenWeights[u * width + j] ?? 0);
            }
            hidden[u] = activate(activation, unitDot + (hiddenBias[u] ?? 0));
          }
          for (let k = 0; k < classCount; k++) {
            let dot = 0;
            for (let u = 0; u < units; u++) {
              dot += (hidden[u] ?? 0) * (outputWeights[k * units + u] ?? 0);
            }
            probabilities[k] = dot + (outputBias[k] ?? 0);
          }
          softmaxInPlace(probabilities, 0, classCount);
          // d(cross-entropy)/d(logit k) = pₖ − [y = k]; averaged over the batch. The deltas
          // overwrite the probabilities.
          const label = y[i] ?? 0;
          for (let k = 0; k < classCount; k++) {
            const delta = ((probabilities[k] ?? 0) - (k === label ? 1 : 0)) / count;
            probabilities[k] = delta;
            gOutputBias[k] = (gOutputBias[k] ?? 0) + delta;
            for (let u = 0; u < units; u++) {
              gOutputWeights[k * units + u] =
                (gOutputWeights[k * units + u] ?? 0) + delta * (hidden[u] ?? 0);
            }
          }
          for (let u = 0; u < units; u++) {
            let back = 0;
            for (let k = 0; k < classCount; k++) {
              back += (probabilities[k] ?? 0) * (outputWeights[k * units + u] ?? 0);
            }
            const unitDelta = back * activationSlope(activation, hidden[u] ?? 0);
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

    const rowsOf = (values: Float64Array, count: number, length: number): number[][] =>
      Array.from({ length: count }, (_, r) =>
        Array.from(values.subarray(r * length, (r + 1) * length)),
      );
    return {
      family: 'mlp',
      classCount,
      featureNames: [...data.featureNames],
      standardization,
      activation,
      hidden: { weights: rowsOf(hiddenWeights, units, width), bias: Array.from(hiddenBias) },
      output: {
        weights: rowsOf(outputWeights, classCount, units),
        bias: Array.from(outputBias),
      },
    };
  }
}
