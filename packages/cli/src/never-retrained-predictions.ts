import {
  buildFeatureMatrix,
  loadVersionScorer,
  predictClasses,
  servedRow,
  type ClassifierScorer,
} from '@driftwatch/model';
import type { NeverRetrainedPrediction } from '@driftwatch/report';
import type { LabeledPrediction, ModelVersion } from '@driftwatch/topics';

/** Rows per onnxruntime call: bounded memory for a long range of a wide model. */
const batchRows = 10_000;

/**
 * The model's root version (its bootstrap, the first without a parent) scored offline on the
 * labeled predictions' features, as inference would have scored them had nothing been retrained:
 * the report's "never retrained" line, predicted and scored as inference does (`predictClasses`,
 * `servedRow`); a row inference would not serve (a probability not finite) is left out.
 * `unavailable` says why there is no such line: no retrain served in range (the line would be the
 * root's own), or the root's ONNX model does not load.
 */
export async function neverRetrainedPredictions(
  versions: readonly ModelVersion[],
  predictions: readonly LabeledPrediction[],
): Promise<
  | { version: number; predictions: Map<string, NeverRetrainedPrediction> }
  | { unavailable: string | null }
> {
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  const root = sorted.find((version) => version.parentVersion === null) ?? sorted[0];
  if (!root) return { unavailable: null };
  if (predictions.every((prediction) => prediction.modelVersion === root.version)) {
    return { unavailable: null };
  }
  let scorer: ClassifierScorer;
  try {
    scorer = await loadVersionScorer(root);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      unavailable: `no never-retrained line: v${root.version}'s model does not load (${reason})`,
    };
  }
  const scored = new Map<string, NeverRetrainedPrediction>();
  try {
    for (let start = 0; start < predictions.length; start += batchRows) {
      const batch = predictions.slice(start, start + batchRows);
      const { matrix, accepted } = buildFeatureMatrix(batch, scorer.featureNames);
      const probabilities = await scorer.score(matrix, accepted.length);
      const classCount = scorer.classes.length;
      const predicted = predictClasses(probabilities, classCount, root.threshold);
      accepted.forEach((index, row) => {
        const prediction = batch[index];
        const classIndex = predicted[row] ?? 0;
        const output = servedRow(probabilities, row, classCount, classIndex);
        if (prediction && output) {
          scored.set(prediction.id, { predicted: classIndex, score: output.score });
        }
      });
    }
  } finally {
    await scorer.release();
  }
  return { version: root.version, predictions: scored };
}
