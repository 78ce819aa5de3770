import { activate, sigmoid } from './activations.js';
import { standardize } from './standardization.js';
import type { BinaryModel } from './trained-model.js';
import { flattenRows, type FeatureRows } from './input-checks.js';

/**
 * P(class 1) for each row of a binary model, computed in float64 exactly as the model's formulas
 * read (standardize, affine layers, activation, sigmoid). This is the reference the ONNX export is
 * checked against. For any model, binary or not, see {@link predictClassProbabilities}.
 *
 * `rows` are raw (unstandardized) feature values, one array per example, columns in
 * `model.featureNames` order; every value must be finite.
 *
 * @example
 * ```ts
 * const model = {
 *   family: 'logistic',
 *   featureNames: ['x'],
 *   standardization: { mean: [10], scale: [2] },
 *   weights: [1.5],
 *   bias: -0.5,
 * };
 * Array.from(predictProbabilities(model, [[10], [12], [6]])); // => [0.3775406687981454, 0.7310585786300049, 0.02931223075135632]
 * ```
 */
export function predictProbabilities(model: BinaryModel, rows: FeatureRows): Float64Array {
  const width = model.featureNames.length;
  const rowCount = rows.length;
  const z = standardize(flattenRows(rows, width), rowCount, width, model.standardization);
  const probabilities = new Float64Array(rowCount);
  if (model.family === 'logistic') {
    const { weights, bias } = model;
    for (let i = 0; i < rowCount; i++) {
      // Products first, bias last: the order of the exported graph (MatMul, then Add).
      let dot = 0;
      for (let j = 0; j < width; j++) dot += (z[i * width + j] ?? 0) * (weights[j] ?? 0);
      probabilities[i] = sigmoid(dot + bias);
    }
    return probabilities;
  }
  const { activation, hidden, output } = model;
  const units = hidden.weights.length;
  for (let i = 0; i < rowCount; i++) {
    let dot = 0;
    for (let unit = 0; unit < units; unit++) {
      const unitWeights = hidden.weights[unit] ?? [];
      let unitDot = 0;
      for (let j = 0; j < width; j++) unitDot += (z[i * width + j] ?? 0) * (unitWeights[j] ?? 0);
      dot += activate(activation, unitDot + (hidden.bias[unit] ?? 0)) * (output.weights[unit] ?? 0);
    }
    probabilities[i] = sigmoid(dot + output.bias);
  }
  return probabilities;
}
