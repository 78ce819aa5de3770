import {
  evaluateBinaryClassifier,
  evaluateClassifier,
  type BinaryClassifierMetrics,
  type ClassifierMetrics,
} from '@driftwatch/learn';
import type { ModelVersion } from '@driftwatch/topics';

import type { LabeledRows } from './build-candidate.js';
import { ModelError } from './errors.js';
import { loadVersionScorer } from './load-version-scorer.js';
import { predictClasses } from './predict-classes.js';

export interface ChampionEvaluation {
  /** `evaluateBinaryClassifier` at 0.5 for a binary champion, else `evaluateClassifier`. */
  metrics: BinaryClassifierMetrics | ClassifierMetrics;
  correct: boolean[];
}

/**
 * Scores the holdout with the serving version exactly as inference serves it (`loadVersionScorer`:
 * its own ONNX bytes in onnxruntime, checksum verified, read with its pinned hints), whether
 * driftwatch trained it or the user registered it. The holdout's columns are the champion's
 * feature names, its labels indices into the champion's classes. A binary champion predicts at its
 * own threshold; a multiclass one is right where its most probable class is the label.
 *
 * `options.classCount`, when given, is the class count the caller's labels index; a champion
 * with another count cannot be compared on them (`DW_MODEL_INVALID_INPUT`).
 */
export async function evaluateChampion(
  champion: ModelVersion,
  holdout: LabeledRows,
  options: { classCount?: number } = {},
): Promise<ChampionEvaluation> {
  const scorer = await loadVersionScorer(champion);
  try {
    const classCount = scorer.classes.length;
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
    const probabilities = await scorer.score(matrix, holdout.rows.length);
    const predicted = predictClasses(probabilities, classCount, champion.threshold);
    const correct = predicted.map((k, i) => k === holdout.labels[i]);
    if (classCount > 2) {
      return { metrics: evaluateClassifier(holdout.labels, probabilities, classCount), correct };
    }
    const scores = Float64Array.from(
      { length: holdout.rows.length },
      (_, i) => probabilities[2 * i + 1] ?? 0,
    );
    return {
      metrics: evaluateBinaryClassifier(holdout.labels, scores, champion.threshold),
      correct,
    };
  } finally {
    await scorer.release();
  }
}
