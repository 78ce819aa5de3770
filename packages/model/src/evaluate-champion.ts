import { evaluateBinaryClassifier, type BinaryClassifierMetrics } from '@driftwatch/learn';
import type { ModelVersion } from '@driftwatch/topics';

import type { LabeledRows } from './build-candidate.js';
import { OnnxScorer } from './onnx-scorer.js';

export interface ChampionEvaluation {
  metrics: BinaryClassifierMetrics;
  correct: boolean[];
}

/**
 * Scores the holdout with the serving version exactly as inference serves it: its own ONNX bytes
 * in onnxruntime, checksum verified. The holdout's columns are the champion's feature names.
 */
export async function evaluateChampion(
  champion: ModelVersion,
  holdout: LabeledRows,
): Promise<ChampionEvaluation> {
  const scorer = await OnnxScorer.load(champion.onnx, { expectedSha256: champion.sha256 });
  try {
    const width = scorer.featureNames.length;
    const matrix = new Float32Array(holdout.rows.length * width);
    holdout.rows.forEach((row, i) => {
      matrix.set(row, i * width);
    });
    const scores = await scorer.score(matrix, holdout.rows.length);
    return {
      metrics: evaluateBinaryClassifier(holdout.labels, scores),
      correct: Array.from(scores, (score, i) => (score >= 0.5 ? 1 : 0) === holdout.labels[i]),
    };
  } finally {
    await scorer.release();
  }
}
