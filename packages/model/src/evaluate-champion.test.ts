import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { evaluateBinaryClassifier, evaluateClassifier } from '@driftwatch/learn';

import { bootstrapVersion } from './bootstrap-version.js';
import { ModelError } from './errors.js';
import { evaluateChampion } from './evaluate-champion.js';
import { OnnxScorer } from './onnx-scorer.js';
import {
  featureNames,
  labelsFor,
  multiclassCount,
  multiclassLabelsFor,
  wideRangeRows,
} from './testing/seeded-models.js';

const rows = wideRangeRows(71, 400);
const holdoutRows = wideRangeRows(72, 150);
const candidate = { family: 'logistic' as const, training: {}, referenceBins: 8 };

function matrixOf(values: number[][]): Float32Array {
  return Float32Array.from(values.flat());
}

describe('evaluateChampion', () => {
  it('scores a binary champion on its one probability, at 0.5', async () => {
    const champion = await bootstrapVersion({
      model: 'binary',
      featureNames: [...featureNames],
      rows,
      labels: labelsFor(rows, 73),
      candidate,
      createdAt: 1,
    });
    const holdout = { rows: holdoutRows, labels: labelsFor(holdoutRows, 74) };
    const evaluation = await evaluateChampion(champion, holdout);
    const scorer = await OnnxScorer.load(champion.onnx);
    const scores = await scorer.score(matrixOf(holdoutRows), holdoutRows.length);
    await scorer.release();
    assert.deepEqual(evaluation.metrics, evaluateBinaryClassifier(holdout.labels, scores));
    assert.deepEqual(
      evaluation.correct,
      Array.from(scores, (p, i) => (p >= 0.5 ? 1 : 0) === holdout.labels[i]),
    );
  });

  it('scores a multiclass champion on every class, right where its top class is the label', async () => {
    const champion = await bootstrapVersion({
      model: 'four',
      featureNames: [...featureNames],
      rows,
      labels: multiclassLabelsFor(rows, 73),
      candidate: { ...candidate, classCount: multiclassCount },
      createdAt: 1,
    });
    assert.equal(champion.reference.score, null);
    assert.equal(champion.metrics.challenger.classCount, multiclassCount);
    const holdout = { rows: holdoutRows, labels: multiclassLabelsFor(holdoutRows, 74) };
    const evaluation = await evaluateChampion(champion, holdout, { classCount: multiclassCount });
    const scorer = await OnnxScorer.load(champion.onnx);
    const probabilities = await scorer.scoreProbabilities(
      matrixOf(holdoutRows),
      holdoutRows.length,
    );
    await scorer.release();
    assert.deepEqual(
      evaluation.metrics,
      evaluateClassifier(holdout.labels, probabilities, multiclassCount),
    );
    assert.ok(evaluation.metrics.accuracy > 0.5);
    assert.equal(
      evaluation.correct.filter(Boolean).length,
      Math.round(evaluation.metrics.accuracy * holdoutRows.length),
    );

    await assert.rejects(
      evaluateChampion(champion, holdout, { classCount: 3 }),
      (error: unknown) =>
        error instanceof ModelError &&
        error.code === 'DW_MODEL_INVALID_INPUT' &&
        /scores 4 classes, the holdout labels 3/.test(error.message),
    );
  });
});
