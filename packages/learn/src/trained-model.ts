import { LearnError } from './errors.js';
import { requireFeatureNames } from './input-checks.js';

export type ModelFamily = 'logistic' | 'mlp';
export const modelFamilies: readonly ModelFamily[] = ['logistic', 'mlp'];

export type MlpActivation = 'tanh' | 'relu';
export const mlpActivations: readonly MlpActivation[] = ['tanh', 'relu'];

/**
 * How raw features become the model's inputs: `z[j] = (x[j] − mean[j]) / scale[j]`. `scale` is
 * the population standard deviation of the training column, or 1 for a column that was constant
 * (scikit-learn's `StandardScaler` convention), so the division is always defined.
 */
export interface Standardization {
  readonly mean: readonly number[];
  readonly scale: readonly number[];
}

/** Logistic regression: `P(y = 1 | x) = σ(weights · z + bias)` on standardized `z`. */
export interface LogisticModel {
  readonly family: 'logistic';
  /** Input column order, the same for training rows, prediction rows and the ONNX input. */
  readonly featureNames: readonly string[];
  readonly standardization: Standardization;
  /** One weight per feature, on the standardized scale. */
  readonly weights: readonly number[];
  readonly bias: number;
}

/**
 * One hidden layer: `h = activation(W·z + b)`, `P(y = 1 | x) = σ(output.weights · h + output.bias)`
 * on standardized `z`.
 */
export interface MlpModel {
  readonly family: 'mlp';
  readonly featureNames: readonly string[];
  readonly standardization: Standardization;
  readonly activation: MlpActivation;
  readonly hidden: {
    /** `weights[unit][feature]`: one row of `featureNames.length` weights per hidden unit. */
    readonly weights: readonly (readonly number[])[];
    /** One bias per hidden unit. */
    readonly bias: readonly number[];
  };
  readonly output: {
    /** One weight per hidden unit. */
    readonly weights: readonly number[];
    readonly bias: number;
  };
}

/**
 * Softmax (multinomial) logistic regression over `classCount` ≥ 3 classes:
 * `P(y = k | x) = softmax(weights · z + bias)ₖ` on standardized `z`. The parametrization is the
 * symmetric one: every class has its own weights and intercept, and the intercepts sum to 0.
 */
export interface SoftmaxRegressionModel {
  readonly family: 'logistic';
  readonly classCount: number;
  readonly featureNames: readonly string[];
  readonly standardization: Standardization;
  /** `weights[class][feature]`, on the standardized scale. */
  readonly weights: readonly (readonly number[])[];
  /** One intercept per class. */
  readonly bias: readonly number[];
}

/**
 * One hidden layer and `classCount` ≥ 3 softmax outputs: `h = activation(W·z + b)`,
 * `P(y = k | x) = softmax(output.weights · h + output.bias)ₖ` on standardized `z`.
 */
export interface SoftmaxMlpModel {
  readonly family: 'mlp';
  readonly classCount: number;
  readonly featureNames: readonly string[];
  readonly standardization: Standardization;
  readonly activation: MlpActivation;
  readonly hidden: {
    /** `weights[unit][feature]`. */
    readonly weights: readonly (readonly number[])[];
    readonly bias: readonly number[];
  };
  readonly output: {
    /** `weights[class][unit]`. */
    readonly weights: readonly (readonly number[])[];
    /** One bias per class. */
    readonly bias: readonly number[];
  };
}

/** A two-class model: one probability, of class 1, per row. */
export type BinaryModel = LogisticModel | MlpModel;

/**
 * A model over three or more classes: one probability per class per row. Two classes are always
 * a {@link BinaryModel}, so each model has one representation; `classCount` tells the two apart.
 */
export type MulticlassModel = SoftmaxRegressionModel | SoftmaxMlpModel;

/**
 * A trained classifier as plain JSON-serializable data: what `trainModel` returns,
 * `predictClassProbabilities` evaluates, and `@driftwatch/model` exports to ONNX.
 */
export type TrainedModel = BinaryModel | MulticlassModel;

/**
 * How many classes `model` tells apart: its `classCount`, or 2 for a binary model.
 *
 * @example
 * ```ts
 * modelClassCount({ family: 'logistic', featureNames: ['x'], standardization: { mean: [0], scale: [1] }, weights: [1], bias: 0 }); // => 2
 * ```
 */
export function modelClassCount(model: TrainedModel): number {
  return 'classCount' in model ? model.classCount : 2;
}

/**
 * Checks that `json` is a well-formed {@link TrainedModel} (it may come from storage or over the
 * wire): known family, consistent dimensions, finite numbers, positive scales, and for a
 * multiclass model a `classCount` ≥ 3 matching its weights. Returns it typed.
 *
 * @example
 * ```ts
 * const model = parseTrainedModel(JSON.parse('{"family":"logistic","featureNames":["x"],"standardization":{"mean":[0],"scale":[1]},"weights":[2],"bias":0}'));
 * model.family; // => "logistic"
 * ```
 */
export function parseTrainedModel(json: unknown): TrainedModel {
  const invalid = (reason: string): LearnError =>
    new LearnError('DW_LEARN_INVALID_INPUT', `invalid trained model: ${reason}`);
  if (typeof json !== 'object' || json === null) throw invalid('not an object');
  const candidate = json as Record<string, unknown>;
  const { family, featureNames, standardization } = candidate;
  if (!Array.isArray(featureNames) || !featureNames.every((name) => typeof name === 'string')) {
    throw invalid('featureNames must be an array of strings');
  }
  try {
    requireFeatureNames(featureNames);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const width = featureNames.length;
  const vector = (value: unknown, length: number, what: string): number[] => {
    if (
      !Array.isArray(value) ||
      value.length !== length ||
      !value.every((x) => typeof x === 'number' && Number.isFinite(x))
    ) {
      throw invalid(`${what} must be an array of ${length} finite numbers`);
    }
    return value as number[];
  };
  const scalar = (value: unknown, what: string): number => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw invalid(`${what} must be a finite number`);
    }
    return value;
  };
  if (typeof standardization !== 'object' || standardization === null) {
    throw invalid('standardization must be an object');
  }
  const { mean, scale } = standardization as Record<string, unknown>;
  vector(mean, width, 'standardization.mean');
  if (!vector(scale, width, 'standardization.scale').every((s) => s > 0)) {
    throw invalid('standardization.scale must be positive');
  }
  const matrix = (value: unknown, rows: number, columns: number, what: string): void => {
    if (!Array.isArray(value) || value.length !== rows) {
      throw invalid(`${what} must be an array of ${rows} rows`);
    }
    value.forEach((row: unknown, i) => vector(row, columns, `${what}[${i}]`));
  };
  if ('classCount' in candidate) {
    const { classCount } = candidate;
    if (typeof classCount !== 'number' || !Number.isSafeInteger(classCount) || classCount < 3) {
      throw invalid(
        `classCount must be an integer ≥ 3 (two classes are a binary model), got ${String(classCount)}`,
      );
    }
    if (family === 'logistic') {
      matrix(candidate.weights, classCount, width, 'weights');
      vector(candidate.bias, classCount, 'bias');
      return json as SoftmaxRegressionModel;
    }
    if (family === 'mlp') {
      const units = checkHidden(candidate, width, vector, invalid);
      const output = candidate.output as Record<string, unknown>;
      matrix(output.weights, classCount, units, 'output.weights');
      vector(output.bias, classCount, 'output.bias');
      return json as SoftmaxMlpModel;
    }
    throw invalid(`family must be 'logistic' or 'mlp', got ${String(family)}`);
  }
  if (family === 'logistic') {
    vector(candidate.weights, width, 'weights');
    scalar(candidate.bias, 'bias');
    return json as LogisticModel;
  }
  if (family === 'mlp') {
    const units = checkHidden(candidate, width, vector, invalid);
    const { weights: outputWeights, bias: outputBias } = candidate.output as Record<
      string,
      unknown
    >;
    vector(outputWeights, units, 'output.weights');
    scalar(outputBias, 'output.bias');
    return json as MlpModel;
  }
  throw invalid(`family must be 'logistic' or 'mlp', got ${String(family)}`);
}

/** Checks an MLP's activation, hidden layer and that `output` is an object; returns the units. */
function checkHidden(
  candidate: Record<string, unknown>,
  width: number,
  vector: (value: unknown, length: number, what: string) => number[],
  invalid: (reason: string) => LearnError,
): number {
  const { activation, hidden, output } = candidate;
  if (!mlpActivations.includes(activation as MlpActivation)) {
    throw invalid(`activation must be 'tanh' or 'relu', got ${String(activation)}`);
  }
  if (typeof hidden !== 'object' || hidden === null) throw invalid('hidden must be an object');
  if (typeof output !== 'object' || output === null) throw invalid('output must be an object');
  const { weights: hiddenWeights, bias: hiddenBias } = hidden as Record<string, unknown>;
  if (!Array.isArray(hiddenWeights) || hiddenWeights.length === 0) {
    throw invalid('hidden.weights must be a non-empty array of rows');
  }
  const units = hiddenWeights.length;
  hiddenWeights.forEach((row: unknown, unit) => vector(row, width, `hidden.weights[${unit}]`));
  vector(hiddenBias, units, 'hidden.bias');
  return units;
}
