import {
  buildQuantileProfile,
  evaluateBinaryClassifier,
  predictProbabilities,
  trainModel,
  type BinaryClassifierMetrics,
  type FeatureRows,
  type ModelFamily,
  type TrainedModel,
  type TrainModelOptions,
} from '@driftwatch/learn';
import type { ModelVersion } from '@driftwatch/topics';

import { exportOnnx } from './export-onnx.js';
import { sha256Hex } from './sha256-hex.js';
import { verifyExport } from './verify-export.js';

export interface LabeledRows {
  rows: FeatureRows;
  labels: readonly (0 | 1)[];
}

export interface CandidateOptions {
  family: ModelFamily;
  training: TrainModelOptions;
  /** PSI bins per feature in the reference profile. */
  referenceBins: number;
  /** Values per feature kept as the reference sample (for KS tests downstream). */
  referenceSampleSize?: number;
}

/** A trained model ready to publish: its ONNX bytes were loaded back and score as it does. */
export interface Candidate {
  trained: TrainedModel;
  onnx: Uint8Array;
  sha256: string;
  reference: ModelVersion['reference'];
  holdoutMetrics: BinaryClassifierMetrics;
  /** Per holdout row, whether the candidate was right: McNemar's test pairs it with the champion's. */
  holdoutCorrect: boolean[];
  /** Largest |ONNX − in-memory| probability on the holdout. */
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
 */
export async function buildCandidate(
  featureNames: readonly string[],
  train: LabeledRows,
  holdout: LabeledRows,
  options: CandidateOptions,
): Promise<Candidate> {
  const trained = trainModel(
    options.family,
    train.rows,
    train.labels,
    featureNames,
    options.training,
  );
  const onnx = exportOnnx(trained);
  const verification = await verifyExport(
    trained,
    onnx,
    holdout.rows.length > 0 ? holdout.rows : train.rows,
  );
  const holdoutScores = predictProbabilities(trained, holdout.rows);
  const holdoutMetrics = evaluateBinaryClassifier(holdout.labels, holdoutScores);
  const holdoutCorrect = Array.from(
    holdoutScores,
    (score, i) => (score >= 0.5 ? 1 : 0) === holdout.labels[i],
  );
  const profile = buildQuantileProfile({
    featureNames,
    rows: train.rows,
    scores: predictProbabilities(trained, train.rows),
    bins: options.referenceBins,
  });
  const sampleSize = options.referenceSampleSize ?? 500;
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
