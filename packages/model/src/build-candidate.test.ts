import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  LearnError,
  evaluateBinaryClassifier,
  evaluateClassifier,
  outOfFoldProbabilities,
  predictClassProbabilities,
  predictProbabilities,
  type ClassifierMetrics,
} from '@driftwatch/learn';

import { buildCandidate, type CandidateOptions } from './build-candidate.js';
import { fitClassCalibration } from './fit-class-calibration.js';
import { fitScoreCalibration } from './fit-score-calibration.js';
import { metricsRecord } from './metrics-record.js';
import { OnnxScorer } from './onnx-scorer.js';
import {
  featureNames,
  labelsFor,
  multiclassCount,
  multiclassLabelsFor,
  wideRangeRows,
} from './testing/seeded-models.js';

const rows = wideRangeRows(61, 500);
const names = [...featureNames];
const split = (labels: number[]) => ({
  train: { rows: rows.slice(0, 400), labels: labels.slice(0, 400) },
  holdout: { rows: rows.slice(400), labels: labels.slice(400) },
});
const binary = split(labelsFor(rows, 62));
const multiclass = split(multiclassLabelsFor(rows, 62));
const options: CandidateOptions = {
  family: 'mlp',
  training: { mlp: { hiddenUnits: 8, epochs: 10, seed: 1 } },
  referenceBins: 10,
};

describe('buildCandidate', () => {
  it('builds a binary candidate exactly as without a class count', async () => {
    const implicit = await buildCandidate(names, binary.train, binary.holdout, options);
    const explicit = await buildCandidate(names, binary.train, binary.holdout, {
      ...options,
      classCount: 2,
    });
    assert.deepEqual(explicit, implicit);
    assert.deepEqual(implicit.reference.classProbabilities, []);
    assert.notEqual(implicit.reference.score, null);
    assert.equal('classRecall' in implicit.holdoutMetrics, false);
  });

  it('judges a binary candidate at the threshold it will serve with', async () => {
    const threshold = 0.8;
    const candidate = await buildCandidate(names, binary.train, binary.holdout, {
      ...options,
      threshold,
    });
    const { trained } = candidate;
    assert.ok(!('classCount' in trained), 'a binary model');
    const scores = predictProbabilities(trained, binary.holdout.rows);
    assert.deepEqual(
      candidate.holdoutMetrics,
      evaluateBinaryClassifier(binary.holdout.labels, scores, threshold),
    );
    assert.deepEqual(
      candidate.holdoutCorrect,
      Array.from(scores, (score, i) => (score >= threshold ? 1 : 0) === binary.holdout.labels[i]),
    );
    const atDefault = await buildCandidate(names, binary.train, binary.holdout, options);
    assert.notDeepEqual(candidate.holdoutCorrect, atDefault.holdoutCorrect);
  });

  it('calibrates a binary estimate on the training rows out of 5 folds and the holdout', async () => {
    const candidate = await buildCandidate(names, binary.train, binary.holdout, options);
    const outOfFold = outOfFoldProbabilities({
      family: options.family,
      rows: binary.train.rows,
      labels: binary.train.labels,
      featureNames: names,
      training: options.training,
      folds: 5,
    });
    const { trained } = candidate;
    assert.ok(!('classCount' in trained), 'a binary model');
    const holdout = predictProbabilities(trained, binary.holdout.rows);
    assert.deepEqual(
      candidate.reference.cbpe,
      fitScoreCalibration({
        scores: [...outOfFold.filter((_, i) => i % 2 === 1), ...holdout],
        labels: [...binary.train.labels, ...binary.holdout.labels],
        threshold: 0.5,
      }),
    );
    const holdoutOnly = await buildCandidate(names, binary.train, binary.holdout, {
      ...options,
      calibrationFolds: 1,
    });
    assert.deepEqual(
      holdoutOnly.reference.cbpe,
      fitScoreCalibration({ scores: holdout, labels: binary.holdout.labels, threshold: 0.5 }),
    );
    assert.notDeepEqual(candidate.reference.cbpe, holdoutOnly.reference.cbpe);
  });

  for (const family of ['logistic', 'mlp'] as const) {
    it(`builds a ${multiclassCount}-class ${family} candidate, its export proven on every class`, async () => {
      const candidate = await buildCandidate(names, multiclass.train, multiclass.holdout, {
        ...options,
        family,
        classCount: multiclassCount,
      });
      assert.ok('classCount' in candidate.trained);
      assert.equal(candidate.trained.classCount, multiclassCount);
      assert.ok(candidate.exportDifference <= 6e-8, `${candidate.exportDifference}`);

      const probabilities = predictClassProbabilities(candidate.trained, multiclass.holdout.rows);
      const metrics = candidate.holdoutMetrics as ClassifierMetrics;
      assert.deepEqual(
        metrics,
        evaluateClassifier(multiclass.holdout.labels, probabilities, multiclassCount),
      );
      assert.ok(metrics.accuracy > 0.5, `accuracy ${metrics.accuracy}`);
      const correct = multiclass.holdout.labels.map((label, i) => {
        const row = Array.from(probabilities.subarray(i * 4, i * 4 + 4));
        return row.indexOf(Math.max(...row)) === label;
      });
      assert.deepEqual(candidate.holdoutCorrect, correct);
      assert.equal(
        candidate.holdoutCorrect.filter(Boolean).length,
        Math.round(metrics.accuracy * metrics.count),
      );

      // The loader serves the same probabilities from the published bytes.
      const scorer = await OnnxScorer.load(candidate.onnx, { expectedSha256: candidate.sha256 });
      try {
        assert.equal(scorer.classCount, multiclassCount);
      } finally {
        await scorer.release();
      }

      // Features are profiled as for a binary model; each class's probability gets its own bins.
      const binaryCandidate = await buildCandidate(names, binary.train, binary.holdout, options);
      assert.deepEqual(candidate.reference.features, binaryCandidate.reference.features);
      assert.equal(candidate.reference.score, null);
      assert.deepEqual(
        candidate.reference.classProbabilities.map((score) => score.name),
        ['0', '1', '2', '3'],
      );
      for (const score of candidate.reference.classProbabilities) {
        const total = score.proportions.reduce((sum, p) => sum + p, 0);
        assert.ok(Math.abs(total - 1) < 1e-12);
      }

      const record = metricsRecord(metrics);
      assert.equal(record.classCount, multiclassCount);
      assert.equal(record['classRecall.0'], metrics.classRecall[0]);

      // What the detector estimates accuracy from before labels: fitted on held-out scores —
      // the training rows' out of 5 folds, then the holdout's — one calibrator slot per class,
      // and the accuracy CBPE expects there, near the realized one.
      assert.equal(candidate.reference.cbpe, null);
      const classCbpe = candidate.reference.classCbpe;
      assert.ok(classCbpe, 'a multiclass candidate carries its class calibration');
      assert.equal(classCbpe.calibrators.length, multiclassCount);
      const outOfFold = outOfFoldProbabilities({
        family,
        rows: multiclass.train.rows,
        labels: multiclass.train.labels,
        featureNames: names,
        training: options.training,
        classCount: multiclassCount,
        folds: 5,
      });
      assert.deepEqual(
        classCbpe,
        fitClassCalibration({
          probabilities: [...outOfFold, ...probabilities],
          labels: [...multiclass.train.labels, ...multiclass.holdout.labels],
          classCount: multiclassCount,
        }),
      );
      const holdoutOnly = await buildCandidate(names, multiclass.train, multiclass.holdout, {
        ...options,
        family,
        classCount: multiclassCount,
        calibrationFolds: 0,
      });
      assert.deepEqual(
        holdoutOnly.reference.classCbpe,
        fitClassCalibration({
          probabilities,
          labels: multiclass.holdout.labels,
          classCount: multiclassCount,
        }),
      );
      assert.ok(
        Math.abs(classCbpe.expectedAccuracy - metrics.accuracy) < 0.1,
        `expected ${classCbpe.expectedAccuracy} vs realized ${metrics.accuracy}`,
      );
    });
  }

  it('is deterministic: the same inputs give byte-identical ONNX', async () => {
    const build = () =>
      buildCandidate(names, multiclass.train, multiclass.holdout, {
        ...options,
        classCount: multiclassCount,
      });
    const [first, second] = [await build(), await build()];
    assert.equal(first.sha256, second.sha256);
    assert.deepEqual(first.holdoutMetrics, second.holdoutMetrics);
  });

  it('refuses a training window without rows of some class', async () => {
    const train = {
      rows: multiclass.train.rows,
      labels: multiclass.train.labels.map((label) => (label === 3 ? 0 : label)),
    };
    await assert.rejects(
      buildCandidate(names, train, multiclass.holdout, { ...options, classCount: 4 }),
      (error: unknown) => error instanceof LearnError && error.code === 'DW_LEARN_MISSING_CLASS',
    );
  });
});
