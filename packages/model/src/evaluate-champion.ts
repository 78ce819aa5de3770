import {
  evaluateBinaryClassifier,
  evaluateClassifier,
  type BinaryClassifierMetrics,
  type ClassifierMetrics,
} from '@driftwatch/learn';
import type { ModelVersion } from '@driftwatch/topics';

import { argmaxCorrect } from './argmax-correct.js';
import type { LabeledRows } from './build-candidate.js';
import { ModelError } from './errors.js';
import { OnnxScorer } from './onnx-scorer.js';

export interface ChampionEvaluation {
  /** `evaluateBinaryClassifier` at 0.5 for a binary champion, else `evaluateClassifier`. */
  metrics: BinaryClassifierMetrics | ClassifierMetrics;
  correct: boolean[];
}

/**
 * Scores the holdout with the serving version exactly as inference serves it: its own ONNX bytes
 * in onnxruntime, checksum verified. The holdout's columns are the champion's feature names, its
 * labels class indices. A multiclass champion (its export says how many classes) is scored on
 * every class's probability and right where its most probable class is the label.
 *
 * `options.classCount`, when given, is the class count the caller's labels index; a champion
 * with another count cannot be compared on them (`DW_MODEL_INVALID_INPUT`).
 */
export async function evaluateChampion(
  champion: ModelVersion,
  holdout: LabeledRows,
  options: { classCount?: number } = {},
): Promise<ChampionEvaluation> {
  const scorer = await OnnxScorer.load(champion.onnx, { expectedSha256: champion.sha256 });
  try {
    const { classCount } = scorer;
    if (options.classCount !== undefined && options.classCount !== classCount) {
      throw new ModelError(
        'DW_MODEL_INVALID_INPUT',
        `champion ${champion.model} v${champion.version} scores ${classCount} classes, the holdout labels ${options.classCount}`,
      );
    }
    const width = scorer.featureNames.length;
    const matrix = new Float32Array(holdout.rows.length * width);
    holdout.rows.forEach((row, i) => {
      matrix.set(row, i * width);
    });
    if (classCount > 2) {
      const probabilities = await scorer.scoreProbabilities(matrix, holdout.rows.length);
      return {
        metrics: evaluateClassifier(holdout.labels, probabilities, classCount),
        correct: argmaxCorrect(probabilities, holdout.labels, classCount),
      };
    }
    const scores = await scorer.score(matrix, holdout.rows.length);
    return {
      metrics: evaluateBinaryClassifier(holdout.labels, scores),
      correct: Array.from(scores, (score, i) => (score >= 0.5 ? 1 : 0) === holdout.labels[i]),
    };
  } finally {
    await scorer.release();
  }
}
