import { mulberry32, type Random } from '@driftwatch/drift';

import { activate, activationSlope, sigmoid } from './activations.js';
import { LearnError } from './errors.js';
import { fitStandardization, standardize } from './standardization.js';
import { mlpActivations, type MlpActivation, type MlpModel } from './trained-model.js';
import { trainingData } from './training-data.js';
import { type FeatureRows } from './input-checks.js';
import { option } from './errors.js';

export interface MlpOptions {
  /** Units in the hidden layer. */
  readonly hiddenUnits?: number;
  readonly activation?: MlpActivation;
  /** L2 penalty λ on the weights (not the biases), added to the mean log-loss of each batch. */
  readonly l2?: number;
  /** Passes over the training rows. */
  readonly epochs?: number;
  /** Rows per Adam step; the last batch of an epoch may be smaller. */
  readonly batchSize?: number;
  /** Adam's step size α. */
  readonly learningRate?: number;
  /** Seed of the `mulberry32` that draws the initial weights and shuffles each epoch. */
  readonly seed?: number;
  /** A generator to draw from instead of `mulberry32(seed)`; it advances with every fit. */
  readonly random?: Random;
}

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;

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
export class Mlp {
  readonly hiddenUnits: number;
  readonly activation: MlpActivation;
  readonly l2: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** The seed each fit starts a fresh `mulberry32` from; `undefined` with a `random` option. */
  readonly seed: number | undefined;
  readonly #random: Random | undefined;

  constructor(options: MlpOptions = {}) {
    this.hiddenUnits = option.positiveInteger(options.hiddenUnits ?? 16, 'hiddenUnits');
    this.activation = option.oneOf(options.activation ?? 'tanh', 'activation', mlpActivations);
    this.l2 = option.nonNegativeFinite(options.l2 ?? 1e-4, 'l2');
    this.epochs = option.positiveInteger(options.epochs ?? 100, 'epochs');
    this.batchSize = option.positiveInteger(options.batchSize ?? 32, 'batchSize');
    this.learningRate = option.positiveFinite(options.learningRate ?? 0.01, 'learningRate');
    if (options.random !== undefined) {
      if (options.seed !== undefined) {
        throw new LearnError('DW_LEARN_INVALID_OPTION', 'options seed and random are exclusive');
      }
      if (typeof options.random !== 'function') {
        throw new LearnError('DW_LEARN_INVALID_OPTION', 'option random must be a function');
      }
      this.#random = options.random;
      this.seed = undefined;
    } else {
      const seed = option.nonNegativeInteger(options.seed ?? 0, 'seed');
      if (seed > 0xffffffff) {
        throw new LearnError(
          'DW_LEARN_INVALID_OPTION',
          `option seed must be a 32-bit unsigned integer, got ${seed}`,
        );
      }
      this.seed = seed;
      this.#random = undefined;
    }
  }

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
    const random = this.#random ?? mulberry32(this.seed ?? 0);

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
    const firstMoments = parameters.map((p) => new Float64Array(p.length));
    const secondMoments = parameters.map((p) => new Float64Array(p.length));
    const [gHiddenWeights, gHiddenBias, gOutputWeights, gOutputBias] = gradients as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    const penalized = [true, false, true, false];

    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const hidden = new Float64Array(units);
    const batchSize = Math.min(this.batchSize, n);
    let step = 0;

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
        step++;
        const correction1 = 1 - ADAM_BETA1 ** step;
        const correction2 = 1 - ADAM_BETA2 ** step;
        for (const [index, p] of parameters.entries()) {
          const g = gradients[index] as Float64Array;
          const m = firstMoments[index] as Float64Array;
          const v = secondMoments[index] as Float64Array;
          const decay = penalized[index] === true ? this.l2 : 0;
          for (let k = 0; k < p.length; k++) {
            const gradient = (g[k] ?? 0) + decay * (p[k] ?? 0);
            const mk = ADAM_BETA1 * (m[k] ?? 0) + (1 - ADAM_BETA1) * gradient;
            const vk = ADAM_BETA2 * (v[k] ?? 0) + (1 - ADAM_BETA2) * gradient * gradient;
            m[k] = mk;
            v[k] = vk;
            p[k] =
              (p[k] ?? 0) -
              (this.learningRate * (mk / correction1)) /
                (Math.sqrt(vk / correction2) + ADAM_EPSILON);
          }
        }
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

/** Fisher–Yates, in place, drawing `length − 1` numbers from `random`. */
function shuffle(order: Int32Array, random: Random): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = swap;
  }
}
