import {
  evaluateBinaryClassifier,
  evaluateClassifier,
  predictClassProbabilities,
  predictProbabilities,
  trainModel,
  type BinaryClassifierMetrics,
  type ClassifierMetrics,
  type FeatureRows,
  type ModelFamily,
  type TrainedModel,
  type TrainModelOptions,
} from '@driftwatch/learn';
import type { ModelVersion } from '@driftwatch/topics';

import { buildReferenceProfile } from './build-reference-profile.js';
import { exportOnnx } from './export-onnx.js';
import type { CalibrationMethod } from './fit-score-calibration.js';
import { predictClasses } from './predict-classes.js';
import { sha256Hex } from './sha256-hex.js';
import { verifyExport } from './verify-export.js';

export interface LabeledRows {
  rows: FeatureRows;
  /** A class index per row, `0 … classCount − 1`: 0/1 for a binary model. */
  labels: readonly number[];
}

export interface CandidateOptions {
  family: ModelFamily;
  training: TrainModelOptions;
  /** PSI bins per feature in the reference profile. */
  referenceBins: number;
  /** Values per feature kept as the reference sample (for KS tests downstream). */
  referenceSampleSize?: number;
  /**
   * Classes the labels index (default 2, a binary model). Three or more train the family's softmax
   * form, whose every class must occur in the training rows.
   */
  classCount?: number;
  /** The classes' names, in index order, naming `reference.classProbabilities` (default "0" … "K−1"). */
  classes?: readonly string[];
  /**
   * Binary: the threshold the candidate will serve at, so its holdout metrics are those of how it
   * will predict (default 0.5). A retrained version keeps its champion's.
   */
  threshold?: number;
  /** How the holdout's scores are calibrated for performance estimation (default isotonic). */
  calibration?: CalibrationMethod;
}

/** A trained model ready to publish: its ONNX bytes were loaded back and score as it does. */
export interface Candidate {
  trained: TrainedModel;
  onnx: Uint8Array;
  sha256: string;
  reference: ModelVersion['reference'];
  /** `evaluateBinaryClassifier` at 0.5 for a binary model, else `evaluateClassifier`. */
  holdoutMetrics: BinaryClassifierMetrics | ClassifierMetrics;
  /** Per holdout row, whether the candidate was right: McNemar's test pairs it with the champion's. */
  holdoutCorrect: boolean[];
  /** Largest |ONNX − in-memory| probability on the holdout (over every class when multiclass). */
  exportDifference: number;
}

/**
 * Trains a model on `train`, exports it to ONNX, proves the export on `holdout` with onnxruntime
 * (the bytes must score as the in-memory model does, to 1e-6, or this throws and nothing is
 * published), evaluates it on the holdout, and profiles the training data for data-drift
 * detection. Deterministic: the same inputs give byte-identical ONNX.
 *
 * With `options.classCount` K ≥ 3 the labels are class indices, the model is the family's softmax
 * form, the export outputs K probabilities (all checked), the holdout metrics are
 * `evaluateClassifier`'s, a row is right when its most probable class is the label, the reference
 * has no single `score` (null) and `reference.classProbabilities` bins each class's probability
 * on the training rows instead. Two
 * classes (the default) give exactly what they always have.
 */
export async function buildCandidate(
  featureNames: readonly string[],
  train: LabeledRows,
  holdout: LabeledRows,
  options: CandidateOptions,
): Promise<Candidate> {
  const classCount = options.classCount ?? 2;
  const trained = trainModel(
    options.family,
    train.rows,
    train.labels,
    featureNames,
    options.training,
    classCount,
  );
  const onnx = exportOnnx(trained);
  const verification = await verifyExport(
    trained,
    onnx,
    holdout.rows.length > 0 ? holdout.rows : train.rows,
  );
  let holdoutMetrics: Candidate['holdoutMetrics'];
  let holdoutCorrect: boolean[];
  let trainProbabilities: ArrayLike<number>;
  let holdoutScores: ArrayLike<number> | undefined;
  let holdoutClassProbabilities: ArrayLike<number> | undefined;
  const threshold = options.threshold ?? 0.5;
  if ('classCount' in trained) {
    const holdoutProbabilities = predictClassProbabilities(trained, holdout.rows);
    holdoutClassProbabilities = holdoutProbabilities;
    holdoutMetrics = evaluateClassifier(holdout.labels, holdoutProbabilities, classCount);
    holdoutCorrect = predictClasses(holdoutProbabilities, classCount, 0.5).map(
      (predicted, i) => predicted === holdout.labels[i],
    );
    trainProbabilities = predictClassProbabilities(trained, train.rows);
  } else {
    const scores = predictProbabilities(trained, holdout.rows);
    holdoutScores = scores;
    holdoutMetrics = evaluateBinaryClassifier(holdout.labels, scores, threshold);
    holdoutCorrect = Array.from(
      scores,
      (score, i) => (score >= threshold ? 1 : 0) === holdout.labels[i],
    );
    trainProbabilities = Array.from(predictProbabilities(trained, train.rows), (p) => [
      1 - p,
      p,
    ]).flat();
  }
  const reference = buildReferenceProfile({
    featureNames,
    rows: train.rows,
    classes: options.classes ?? Array.from({ length: classCount }, (_, k) => String(k)),
    probabilities: trainProbabilities,
    bins: options.referenceBins,
    ...(options.referenceSampleSize === undefined
      ? {}
      : { sampleSize: options.referenceSampleSize }),
    ...(holdoutScores
      ? {
          holdout: {
            scores: holdoutScores,
            labels: holdout.labels,
            threshold,
            ...(options.calibration ? { method: options.calibration } : {}),
          },
        }
      : {}),
    ...(holdoutClassProbabilities
      ? { classHoldout: { probabilities: holdoutClassProbabilities, labels: holdout.labels } }
      : {}),
  });
  return {
    trained,
    onnx,
    sha256: sha256Hex(onnx),
    reference,
    holdoutMetrics,
    holdoutCorrect,
    exportDifference: verification.maxAbsDifference,
  };
}
