import type { FeatureRows } from '@driftwatch/learn';
import type { ModelVersion } from '@driftwatch/topics';

import { candidateTrainedWith } from './candidate-trained-with.js';
import { buildCandidate, type CandidateOptions } from './build-candidate.js';
import { calibrationMetrics, metricsRecord } from './metrics-record.js';

/**
 * Version 1 of a model, so a pipeline can run before any retraining: trained on a reference
 * sample (the last `holdoutFraction` held out for its metrics), promoted because there is no
 * champion to beat. The same code path as every later version: export proven with onnxruntime.
 */
export async function bootstrapVersion(options: {
  model: string;
  featureNames: readonly string[];
  rows: FeatureRows;
  /** A class index per row (0/1 unless `candidate.classCount` says more). */
  labels: readonly number[];
  candidate: CandidateOptions;
  holdoutFraction?: number;
  createdAt: number;
}): Promise<ModelVersion> {
  const holdoutSize = Math.round(options.rows.length * (options.holdoutFraction ?? 0.2));
  const cut = options.rows.length - holdoutSize;
  const train = { rows: options.rows.slice(0, cut), labels: options.labels.slice(0, cut) };
  const holdout = { rows: options.rows.slice(cut), labels: options.labels.slice(cut) };
  const candidate = await buildCandidate(options.featureNames, train, holdout, options.candidate);
  return {
    model: options.model,
    version: 1,
    parentVersion: null,
    createdAt: options.createdAt,
    status: 'promoted',
    reason: `bootstrap: ${candidate.trained.family} on ${train.rows.length} reference rows, holdout accuracy ${candidate.holdoutMetrics.accuracy.toFixed(3)}`,
    decidedBy: null,
    traffic: null,
    shadowTrial: null,
    trainedWith: candidateTrainedWith(options.candidate),
    requestId: null,
    sha256: candidate.sha256,
    onnx: candidate.onnx,
    featureNames: [...options.featureNames],
    classes: options.candidate.classes
      ? [...options.candidate.classes]
      : Array.from({ length: options.candidate.classCount ?? 2 }, (_, k) => String(k)),
    threshold: 0.5,
    // exportOnnx writes a single [N, 1] output only for binary models, and it is a probability.
    outputKind: (options.candidate.classCount ?? 2) === 2 ? 'probability' : null,
    reference: candidate.reference,
    metrics: {
      challenger: {
        ...metricsRecord(candidate.holdoutMetrics),
        ...calibrationMetrics(candidate.reference.cbpe),
      },
      champion: null,
    },
    trainingWindow: {
      fromTs: options.createdAt,
      toTs: options.createdAt,
      trainRows: train.rows.length,
      holdoutRows: holdout.rows.length,
    },
  };
}
