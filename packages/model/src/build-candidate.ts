import {
  evaluateBinaryClassifier,
  evaluateClassifier,
  LearnError,
  outOfFoldProbabilities,
  predictClassProbabilities,
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
  /** How the held-out scores are calibrated for performance estimation (default isotonic). */
  calibration?: CalibrationMethod;
  /**
   * Folds of the training rows whose out-of-fold scores join the holdout's as the calibration's
   * sample (`outOfFoldProbabilities`; default 5). 0 or 1: the holdout alone, no extra training.
   */
  calibrationFolds?: number;
  /**
   * The rows the version's reference profile describes, for data drift and edge cases (default the
   * training rows). Set when the training rows are not a sample of the traffic it will serve, as
   * when rare cases are added to them: the detector would otherwise judge that traffic against a
   * mix it never had.
   */
  referenceRows?: LabeledRows['rows'];
  /**
   * A vector the model does not take but whose drift is watched (`buildReferenceProfile`'s
   * `embeddingRows`): rows of it from the same traffic.
   */
  embeddingRows?: LabeledRows['rows'];
}

/** Folds when the caller does not say: scikit-learn's `CalibratedClassifierCV` default. */
export const DEFAULT_CALIBRATION_FOLDS = 5;

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
 * Performance estimation (`reference.cbpe`, `reference.classCbpe`) is calibrated on held-out
 * scores: the holdout's, and by default the training rows' out-of-fold scores too
 * (`calibrationFolds`), because a holdout of a few hundred rows is a noisy sample of how
 * confident the model is right — seen on SEA: estimates 0.85–0.92 against 0.88–0.89 realized
 * over reference seeds with a 400-row holdout, within 0.02 with 5 folds of 1,600 rows beside it.
 *
 * With `options.classCount` K ≥ 3 the labels are class indices, the model is the family's softmax
 * form, the export outputs K probabilities (all checked), the holdout metrics are
 * `evaluateClassifier`'s, a row is right when its most probable class is the label, the reference
 * has no single `score` (null) and `reference.classProbabilities` bins each class's probability
 * on the training rows instead. Two classes (the default) give exactly what they always have.
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
  const threshold = options.threshold ?? 0.5;
  const holdoutProbabilities = predictClassProbabilities(trained, holdout.rows);
  let holdoutMetrics: Candidate['holdoutMetrics'];
  let holdoutCorrect: boolean[];
  if ('classCount' in trained) {
    holdoutMetrics = evaluateClassifier(holdout.labels, holdoutProbabilities, classCount);
    holdoutCorrect = predictClasses(holdoutProbabilities, classCount, 0.5).map(
      (predicted, i) => predicted === holdout.labels[i],
    );
  } else {
    const scores = positiveScores(holdoutProbabilities);
    holdoutMetrics = evaluateBinaryClassifier(holdout.labels, scores, threshold);
    holdoutCorrect = Array.from(
      scores,
      (score, i) => (score >= threshold ? 1 : 0) === holdout.labels[i],
    );
  }
  // What performance estimation is calibrated on: scores of rows the scoring model never saw.
  const outOfFold = outOfFoldOrNull(featureNames, train, options, classCount);
  const heldOut = {
    probabilities: outOfFold
      ? Float64Array.from([...outOfFold, ...holdoutProbabilities])
      : holdoutProbabilities,
    labels: outOfFold ? [...train.labels, ...holdout.labels] : holdout.labels,
  };
  const referenceRows = options.referenceRows ?? train.rows;
  const reference = buildReferenceProfile({
    featureNames,
    rows: referenceRows,
    classes: options.classes ?? Array.from({ length: classCount }, (_, k) => String(k)),
    probabilities: predictClassProbabilities(trained, referenceRows),
    bins: options.referenceBins,
    ...(options.referenceSampleSize === undefined
      ? {}
      : { sampleSize: options.referenceSampleSize }),
    ...(options.embeddingRows ? { embeddingRows: options.embeddingRows } : {}),
    ...(classCount === 2
      ? {
          holdout: {
            scores: positiveScores(heldOut.probabilities),
            labels: heldOut.labels,
            threshold,
            ...(options.calibration ? { method: options.calibration } : {}),
          },
        }
      : { classHoldout: heldOut }),
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

/**
 * The training rows' out-of-fold probabilities, or null when there are to be none (folds ≤ 1,
 * fewer rows than folds) or a fold cannot train — its other blocks hold one class or miss one, a
 * property of the window — in which case the holdout alone calibrates, as without folds.
 */
function outOfFoldOrNull(
  featureNames: readonly string[],
  train: LabeledRows,
  options: CandidateOptions,
  classCount: number,
): Float64Array | null {
  const folds = options.calibrationFolds ?? DEFAULT_CALIBRATION_FOLDS;
  if (folds <= 1 || train.rows.length < folds) return null;
  try {
    return outOfFoldProbabilities({
      family: options.family,
      rows: train.rows,
      labels: train.labels,
      featureNames,
      training: options.training,
      classCount,
      folds,
    });
  } catch (error) {
    if (
      error instanceof LearnError &&
      (error.code === 'DW_LEARN_ONE_CLASS' ||
        error.code === 'DW_LEARN_MISSING_CLASS' ||
        error.code === 'DW_LEARN_NOT_CONVERGED')
    ) {
      return null;
    }
    throw error;
  }
}

/** A binary model's row-major `[1 − p, p]` pairs, as the p's. */
function positiveScores(pairs: Float64Array): Float64Array {
  return pairs.filter((_, i) => i % 2 === 1);
}
