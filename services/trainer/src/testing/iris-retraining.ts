/**
 * A multiclass model trained elsewhere, as the trainer meets one: test/fixtures/byom's
 * multiclass-iris.onnx (scikit-learn through skl2onnx) as the serving version, and its stream —
 * whose petals grow at row 1000, so the champion falls from 0.97 to 0.65 accuracy — as the
 * labeled predictions of that version on `predictions-labeled`.
 */
import {
  buildReferenceProfile,
  inspectClassifier,
  loadVersionScorer,
  predictClasses,
  sha256Hex,
} from '@driftwatch/model';
import type { LabeledPrediction, ModelVersion } from '@driftwatch/topics';

import { byomBytes, byomCsv, type ByomCsv } from './byom-fixture.js';

export const irisModel = 'iris';

/**
 * multiclass-iris.onnx as version 1 of `iris`, read as `driftwatch models register` reads a
 * model: inspected on its reference file, its reading pinned, its reference profile built from
 * that file and its own probabilities on it.
 */
export async function irisChampion(createdAt = 1000): Promise<ModelVersion> {
  const onnx = byomBytes('multiclass-iris.onnx');
  const reference = byomCsv('multiclass-iris.reference.csv');
  const seen = await inspectClassifier(onnx, {
    referenceRows: reference.rows.map((row) => row.features),
    fallbackFeatureNames: reference.featureNames,
  });
  const { featureNames, classes, outputKind } = seen.pinnedHints;
  if (!featureNames || !classes) throw new Error('inspectClassifier pins features and classes');
  const base = {
    onnx,
    sha256: sha256Hex(onnx),
    featureNames: [...featureNames],
    classes: [...classes],
    outputKind: outputKind ?? null,
  };
  const probabilities = await scoreRows(base, reference.rows);
  return {
    ...base,
    model: irisModel,
    version: 1,
    parentVersion: null,
    createdAt,
    status: 'promoted',
    reason: 'registered',
    decidedBy: null,
    traffic: null,
    shadowTrial: null,
    trainedWith: {},
    requestId: null,
    threshold: 0.5,
    reference: buildReferenceProfile({
      featureNames: base.featureNames,
      rows: reference.rows.map((row) => base.featureNames.map((name) => row.features[name] ?? NaN)),
      classes: base.classes,
      probabilities,
      bins: 10,
    }),
    metrics: { challenger: {}, champion: null },
    trainingWindow: { fromTs: 0, toTs: 0, trainRows: reference.rows.length, holdoutRows: 0 },
  };
}

async function scoreRows(
  version: Pick<ModelVersion, 'onnx' | 'sha256' | 'featureNames' | 'classes' | 'outputKind'>,
  rows: ByomCsv['rows'],
): Promise<Float64Array> {
  const scorer = await loadVersionScorer(version);
  try {
    const width = scorer.featureNames.length;
    const matrix = new Float32Array(rows.length * width);
    rows.forEach((row, i) => {
      matrix.set(
        scorer.featureNames.map((name) => row.features[name] ?? NaN),
        i * width,
      );
    });
    return await scorer.score(matrix, rows.length);
  } finally {
    await scorer.release();
  }
}

/**
 * Stream rows `[from, to)` as the champion's labeled predictions: what it predicted (its own
 * probabilities), the label as an index into its classes, event time `ts = 1000 + row`.
 */
export async function irisWindow(
  champion: ModelVersion,
  from: number,
  to: number,
): Promise<LabeledPrediction[]> {
  const rows = byomCsv('multiclass-iris.stream.csv').rows.slice(from, to);
  const classCount = champion.classes.length;
  const probabilities = await scoreRows(champion, rows);
  const predicted = predictClasses(probabilities, classCount, champion.threshold);
  return rows.map((row, i) => {
    const own = Array.from(probabilities.subarray(i * classCount, (i + 1) * classCount));
    const k = predicted[i] ?? 0;
    const ts = 1000 + from + i;
    return {
      id: row.id,
      model: champion.model,
      modelVersion: champion.version,
      ts,
      scoredAt: ts,
      score: own[k] ?? 0,
      predicted: k,
      classes: [...champion.classes],
      probabilities: own,
      features: row.features,
      label: champion.classes.indexOf(row.label),
      labelTs: ts,
      labelDelayMs: 0,
    };
  });
}
