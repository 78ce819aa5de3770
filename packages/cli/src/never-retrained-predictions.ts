import { buildFeatureMatrix, OnnxScorer } from '@driftwatch/model';
import type { NeverRetrainedPrediction } from '@driftwatch/report';
import type { LabeledPrediction, ModelVersion } from '@driftwatch/topics';

/** Rows per onnxruntime call: bounded memory for a long range of a wide model. */
const batchRows = 10_000;

/**
 * The model's root version (its bootstrap, the first without a parent) scored offline on the
 * labeled predictions' features, as inference would have scored them had nothing been retrained:
 * the report's "never retrained" line. Predicted 1 at a score of 0.5 and above, inference's
 * default threshold. `unavailable` says why there is no such line: no retrain served in range
 * (the line would be the root's own), or the root's ONNX model does not load.
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
  let scorer: OnnxScorer;
  try {
    scorer = await OnnxScorer.load(root.onnx, { expectedSha256: root.sha256 });
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
      const scores = await scorer.score(matrix, accepted.length);
      accepted.forEach((index, row) => {
        const prediction = batch[index];
        const score = scores[row] ?? NaN;
        if (prediction && Number.isFinite(score)) {
          scored.set(prediction.id, { predicted: score >= 0.5 ? 1 : 0, score });
        }
      });
    }
  } finally {
    await scorer.release();
  }
  return { version: root.version, predictions: scored };
}
