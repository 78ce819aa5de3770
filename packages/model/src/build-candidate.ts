import {
  buildQuantileProfile,
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
import type { BinnedDistribution, ModelVersion } from '@driftwatch/topics';

import { argmaxCorrect } from './argmax-correct.js';
import { exportOnnx } from './export-onnx.js';
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

/** `count` values spread evenly over the column: deterministic, and covers its whole range. */
function evenSample(rows: FeatureRows, column: number, count: number): number[] {
  if (count <= 0 || rows.length === 0) return [];
  const step = Math.max(1, rows.length / count);
  const sample: number[] = [];
  for (let position = 0; position < rows.length && sample.length < count; position += step) {
    sample.push(rows[Math.floor(position)]?.[column] ?? 0);
  }
  return sample;
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
  const sampleSize = options.referenceSampleSize ?? 500;
  let holdoutMetrics: Candidate['holdoutMetrics'];
  let holdoutCorrect: boolean[];
  let trainScores: Float64Array | null;
  let classProbabilities: BinnedDistribution[] = [];
  if ('classCount' in trained) {
    const holdoutProbabilities = predictClassProbabilities(trained, holdout.rows);
    holdoutMetrics = evaluateClassifier(holdout.labels, holdoutProbabilities, classCount);
    holdoutCorrect = argmaxCorrect(holdoutProbabilities, holdout.labels, classCount);
    trainScores = null;
    const trainProbabilities = predictClassProbabilities(trained, train.rows);
    const classNames = options.classes ?? Array.from({ length: classCount }, (_, k) => String(k));
    const columns = Array.from({ length: train.rows.length }, (_, i) =>
      Array.from(trainProbabilities.subarray(i * classCount, (i + 1) * classCount)),
    );
    classProbabilities = buildQuantileProfile({
      featureNames: classNames,
      rows: columns,
      bins: options.referenceBins,
    }).features.map((distribution) => ({
      name: distribution.name,
      edges: [...distribution.edges],
      proportions: [...distribution.proportions],
      sample: [],
    }));
  } else {
    const holdoutScores = predictProbabilities(trained, holdout.rows);
    holdoutMetrics = evaluateBinaryClassifier(holdout.labels, holdoutScores);
    holdoutCorrect = Array.from(
      holdoutScores,
      (score, i) => (score >= 0.5 ? 1 : 0) === holdout.labels[i],
    );
    trainScores = predictProbabilities(trained, train.rows);
  }
  const profile = buildQuantileProfile({
    featureNames,
    rows: train.rows,
    scores: trainScores,
    bins: options.referenceBins,
  });
  const reference: ModelVersion['reference'] = {
    features: profile.features.map((distribution, column) => ({
      name: distribution.name,
      edges: [...distribution.edges],
      proportions: [...distribution.proportions],
      sample: evenSample(train.rows, column, sampleSize),
    })),
    score: profile.score
      ? {
          name: profile.score.name,
          edges: [...profile.score.edges],
          proportions: [...profile.score.proportions],
          sample: [],
        }
      : null,
    classProbabilities,
  };
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
