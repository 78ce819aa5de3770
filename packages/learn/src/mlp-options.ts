import { mulberry32, type Random } from '@driftwatch/drift';

import { LearnError, option } from './errors.js';
import { mlpActivations, type MlpActivation } from './trained-model.js';

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

/** {@link MlpOptions} checked, with their defaults (see {@link Mlp}). */
export interface ResolvedMlpOptions {
  readonly hiddenUnits: number;
  readonly activation: MlpActivation;
  readonly l2: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** The seed each fit starts a fresh `mulberry32` from; `undefined` with a `random` option. */
  readonly seed: number | undefined;
  readonly random: Random | undefined;
}

/** Validates MLP options once, at construction, for {@link Mlp} and {@link SoftmaxMlp} alike. */
export function resolveMlpOptions(options: MlpOptions): ResolvedMlpOptions {
  const common = {
    hiddenUnits: option.positiveInteger(options.hiddenUnits ?? 16, 'hiddenUnits'),
    activation: option.oneOf(options.activation ?? 'tanh', 'activation', mlpActivations),
    l2: option.nonNegativeFinite(options.l2 ?? 1e-4, 'l2'),
    epochs: option.positiveInteger(options.epochs ?? 100, 'epochs'),
    batchSize: option.positiveInteger(options.batchSize ?? 32, 'batchSize'),
    learningRate: option.positiveFinite(options.learningRate ?? 0.01, 'learningRate'),
  };
  if (options.random !== undefined) {
    if (options.seed !== undefined) {
      throw new LearnError('DW_LEARN_INVALID_OPTION', 'options seed and random are exclusive');
    }
    if (typeof options.random !== 'function') {
      throw new LearnError('DW_LEARN_INVALID_OPTION', 'option random must be a function');
    }
    return { ...common, seed: undefined, random: options.random };
  }
  const seed = option.nonNegativeInteger(options.seed ?? 0, 'seed');
  if (seed > 0xffffffff) {
    throw new LearnError(
      'DW_LEARN_INVALID_OPTION',
      `option seed must be a 32-bit unsigned integer, got ${seed}`,
    );
  }
  return { ...common, seed, random: undefined };
}

/** The generator one fit draws from: the shared `random`, or a fresh `mulberry32(seed)`. */
export function fitRandom(options: ResolvedMlpOptions): Random {
  return options.random ?? mulberry32(options.seed ?? 0);
}

/**
 * What both MLP families expose of their options, resolved and checked once at construction: the
 * binary {@link Mlp} and the multiclass {@link SoftmaxMlp} differ in their output layer only.
 */
export abstract class MlpHyperparameters {
  readonly hiddenUnits: number;
  readonly activation: MlpActivation;
  readonly l2: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** The seed each fit starts a fresh `mulberry32` from; `undefined` with a `random` option. */
  readonly seed: number | undefined;
  protected readonly options: ResolvedMlpOptions;

  constructor(options: MlpOptions = {}) {
    const resolved = resolveMlpOptions(options);
    this.hiddenUnits = resolved.hiddenUnits;
    this.activation = resolved.activation;
    this.l2 = resolved.l2;
    this.epochs = resolved.epochs;
    this.batchSize = resolved.batchSize;
    this.learningRate = resolved.learningRate;
    this.seed = resolved.seed;
    this.options = resolved;
  }
}
