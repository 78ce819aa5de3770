import type { FeatureRows } from './input-checks.js';
import { predictClassProbabilities } from './predict-class-probabilities.js';
import { predictProbabilities } from './predict-probabilities.js';
import type { TrainedModel } from './trained-model.js';

/**
 * The class a model predicts for each row: for a binary model class 1 when P(1) ≥ `threshold`,
 * else the most probable class, the lowest index on a tie — as inference predicts.
 *
 * @example
 * ```ts
 * const model = trainModel('logistic', [[0], [1], [2], [3]], [0, 0, 1, 1], ['x']);
 * predictClasses(model, [[0], [3]]); // => [0, 1]
 * ```
 */
export function predictClasses(model: TrainedModel, rows: FeatureRows, threshold = 0.5): number[] {
  if (!('classCount' in model)) {
    return Array.from(predictProbabilities(model, rows), (p) => (p >= threshold ? 1 : 0));
  }
  const classCount = model.classCount;
  const probabilities = predictClassProbabilities(model, rows);
  return Array.from({ length: rows.length }, (_, i) => {
    let best = 0;
    for (let k = 1; k < classCount; k++) {
      const p = probabilities[i * classCount + k] ?? 0;
      if (p > (probabilities[i * classCount + best] ?? 0)) best = k;
    }
    return best;
  });
}
