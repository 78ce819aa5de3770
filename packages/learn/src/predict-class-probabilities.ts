import { activate, softmaxInPlace } from './activations.js';
import { flattenRows, type FeatureRows } from './input-checks.js';
import { predictProbabilities } from './predict-probabilities.js';
import { standardize } from './standardization.js';
import { modelClassCount, type TrainedModel } from './trained-model.js';

/**
 * Every class's probability for each row, row-major: `rows.length × K` values, row i's class k at
 * `i·K + k`, K = {@link modelClassCount}. Computed in float64 exactly as the model's formulas
 * read (standardize, affine layers, activation, softmax: logits less their maximum, exponentiated,
 * divided by their sum in class order). This is the reference the ONNX export is checked against.
 *
 * A binary model gives `[1 − p, p]` per row, p = {@link predictProbabilities}. `rows` are raw
 * feature values in `model.featureNames` order; every value must be finite.
 *
 * @example
 * ```ts
 * const model = {
 *   family: 'logistic',
 *   classCount: 3,
 *   featureNames: ['x'],
 *   standardization: { mean: [1], scale: [2] },
 *   weights: [[-1], [0], [1]],
 *   bias: [0, 0, 0],
 * };
 * Array.from(predictClassProbabilities(model, [[1], [5]]), (p) => Number(p.toFixed(6))); // => [0.333333, 0.333333, 0.333333, 0.015876, 0.11731, 0.866813]
 * ```
 */
export function predictClassProbabilities(model: TrainedModel, rows: FeatureRows): Float64Array {
  if (!('classCount' in model)) {
    const positive = predictProbabilities(model, rows);
    const both = new Float64Array(positive.length * 2);
    positive.forEach((p, i) => {
      both[2 * i] = 1 - p;
      both[2 * i + 1] = p;
    });
    return both;
  }
  const classCount = modelClassCount(model);
  const width = model.featureNames.length;
  const rowCount = rows.length;
  const z = standardize(flattenRows(rows, width), rowCount, width, model.standardization);
  const probabilities = new Float64Array(rowCount * classCount);
  if (model.family === 'logistic') {
    const { weights, bias } = model;
    for (let i = 0; i < rowCount; i++) {
      for (let k = 0; k < classCount; k++) {
        // Products first, bias last: the order of the exported graph (MatMul, then Add).
        const classWeights = weights[k] ?? [];
        let dot = 0;
        for (let j = 0; j < width; j++) dot += (z[i * width + j] ?? 0) * (classWeights[j] ?? 0);
        probabilities[i * classCount + k] = dot + (bias[k] ?? 0);
      }
      softmaxInPlace(probabilities, i * classCount, classCount);
    }
    return probabilities;
  }
  const { activation, hidden, output } = model;
  const units = hidden.weights.length;
  const hiddenValues = new Float64Array(units);
  for (let i = 0; i < rowCount; i++) {
    for (let unit = 0; unit < units; unit++) {
      const unitWeights = hidden.weights[unit] ?? [];
      let unitDot = 0;
      for (let j = 0; j < width; j++) unitDot += (z[i * width + j] ?? 0) * (unitWeights[j] ?? 0);
      hiddenValues[unit] = activate(activation, unitDot + (hidden.bias[unit] ?? 0));
    }
    for (let k = 0; k < classCount; k++) {
      const classWeights = output.weights[k] ?? [];
      let dot = 0;
      for (let unit = 0; unit < units; unit++) {
        dot += (hiddenValues[unit] ?? 0) * (classWeights[unit] ?? 0);
      }
      probabilities[i * classCount + k] = dot + (output.bias[k] ?? 0);
    }
    softmaxInPlace(probabilities, i * classCount, classCount);
  }
  return probabilities;
}
