import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { exportOnnx, loadVersionScorer, sha256Hex } from '@driftwatch/model';

import { MAX_ONNX_BYTES, externalCandidate } from './external-candidate.js';
import { byomBytes, byomCsv, labeledRows } from './testing/byom-fixture.js';

const iris = byomCsv('multiclass-iris.stream.csv');
const irisFeatures = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const irisClasses = ['setosa', 'versicolor', 'virginica'];
const irisRows = labeledRows(iris, irisFeatures, irisClasses);
const irisSplit = {
  featureNames: irisFeatures,
  classes: irisClasses,
  train: { rows: irisRows.rows.slice(0, 400), labels: irisRows.labels.slice(0, 400) },
  holdout: { rows: irisRows.rows.slice(400, 500), labels: irisRows.labels.slice(400, 500) },
  threshold: 0.5,
  referenceBins: 10,
};

const problemOf = async (
  onnx: Uint8Array,
  options: Parameters<typeof externalCandidate>[1],
): Promise<string> => {
  const taken = await externalCandidate(onnx, options);
  assert.ok(!taken.ok, 'expected the model to be refused');
  return taken.problem;
};

describe('externalCandidate', () => {
  it('takes a multiclass model trained elsewhere: metrics, correctness, reference, pinned reading', async () => {
    const onnx = byomBytes('multiclass-iris.onnx');
    const taken = await externalCandidate(onnx, irisSplit);
    assert.ok(taken.ok, taken.ok ? '' : taken.problem);
    const { challenger } = taken;
    assert.equal(challenger.sha256, sha256Hex(onnx));
    assert.deepEqual(challenger.featureNames, irisFeatures);
    assert.equal(challenger.outputKind, null, 'an [N, K] output needs no reading hint');
    assert.equal(challenger.holdoutMetrics.count, 100);
    assert.equal(challenger.holdoutCorrect.length, 100);
    // The stream's first 1,000 rows are the model's own concept (0.97 accuracy over 0–500).
    assert.ok(challenger.holdoutMetrics.accuracy > 0.9, String(challenger.holdoutMetrics.accuracy));
    assert.equal(
      challenger.holdoutCorrect.filter(Boolean).length / 100,
      challenger.holdoutMetrics.accuracy,
    );
    assert.deepEqual(
      challenger.reference.features.map((feature) => feature.name),
      irisFeatures,
    );
    assert.equal(challenger.reference.score, null);
    assert.deepEqual(
      challenger.reference.classProbabilities.map((distribution) => distribution.name),
      irisClasses,
    );
    // What it holds loads as every service loads a version, and scores as it was scored.
    const scorer = await loadVersionScorer({
      onnx: challenger.onnx,
      sha256: challenger.sha256,
      featureNames: [...challenger.featureNames],
      classes: irisClasses,
      outputKind: challenger.outputKind,
    });
    assert.deepEqual(scorer.classes, irisClasses);
    await scorer.release();
  });

  it('pins a single output read as a logit from its values', async () => {
    const sensors = byomCsv('binary-logit.stream.csv');
    const rows = labeledRows(sensors, sensors.featureNames, ['0', '1']);
    const taken = await externalCandidate(byomBytes('binary-logit.onnx'), {
      featureNames: sensors.featureNames,
      classes: ['0', '1'],
      train: { rows: rows.rows.slice(0, 300), labels: rows.labels.slice(0, 300) },
      holdout: { rows: rows.rows.slice(300, 400), labels: rows.labels.slice(300, 400) },
      threshold: 0.5,
      referenceBins: 10,
    });
    assert.ok(taken.ok, taken.ok ? '' : taken.problem);
    assert.equal(taken.challenger.outputKind, 'logit');
    assert.ok(taken.challenger.reference.score, 'a binary model profiles its score');
    assert.equal(taken.challenger.holdoutMetrics.count, 100);
  });

  it('refuses a model whose own classes are in another order than the ones asked for', async () => {
    const problem = await problemOf(byomBytes('multiclass-iris.onnx'), {
      ...irisSplit,
      classes: ['virginica', 'setosa', 'versicolor'],
    });
    assert.equal(
      problem,
      "the model's probabilities are for classes setosa, versicolor, virginica (model), but must follow virginica, setosa, versicolor (DRIFTWATCH_CLASSES)",
    );
  });

  it('refuses a model whose metadata lists the features in another order', async () => {
    const onnx = exportOnnx({
      family: 'logistic',
      featureNames: ['a', 'b'],
      standardization: { mean: [0, 0], scale: [1, 1] },
      weights: [1, -1],
      bias: 0,
    });
    const rows = {
      rows: [
        [0, 1],
        [1, 0],
        [2, 2],
      ],
      labels: [0, 1, 1],
    };
    const problem = await problemOf(onnx, {
      featureNames: ['b', 'a'],
      classes: ['0', '1'],
      train: rows,
      holdout: rows,
      threshold: 0.5,
      referenceBins: 2,
    });
    assert.match(problem, /the model names its features a, b \(metadata\), but was asked for b, a/);
  });

  it('refuses a model with another number of classes or features', async () => {
    const classes = await problemOf(byomBytes('multiclass-iris.onnx'), {
      ...irisSplit,
      classes: ['setosa', 'other'],
      train: { ...irisSplit.train, labels: irisSplit.train.labels.map((k) => k % 2) },
      holdout: { ...irisSplit.holdout, labels: irisSplit.holdout.labels.map((k) => k % 2) },
    });
    assert.match(classes, /outputs 3 class probabilities .* but 2 classes were given/);
    const features = await problemOf(byomBytes('multiclass-iris.onnx'), {
      ...irisSplit,
      featureNames: irisFeatures.slice(0, 3),
      train: { ...irisSplit.train, rows: irisSplit.train.rows.map((row) => row.slice(0, 3)) },
      holdout: { ...irisSplit.holdout, rows: irisSplit.holdout.rows.map((row) => row.slice(0, 3)) },
    });
    assert.match(features, /takes 4 features .* but 3 feature names were given/);
  });

  it('refuses what is not ONNX, and outputs shaped like probabilities that are not', async () => {
    assert.match(await problemOf(byomBytes('not-a-model.onnx'), irisSplit), /not an ONNX/);
    const forest = byomCsv('binary-forest.stream.csv');
    const rows = labeledRows(forest, forest.featureNames, ['0', '1']);
    const problem = await problemOf(byomBytes('bad-regressor.onnx'), {
      featureNames: forest.featureNames,
      classes: ['a', 'b', 'c'],
      train: { rows: rows.rows.slice(0, 50), labels: rows.labels.slice(0, 50) },
      holdout: { rows: rows.rows.slice(50, 100), labels: rows.labels.slice(50, 100) },
      threshold: 0.5,
      referenceBins: 5,
    });
    assert.match(problem, /its values are not probabilities/);
  });

  it('refuses a model too large for a model version, before reading it', async () => {
    const problem = await problemOf(new Uint8Array(MAX_ONNX_BYTES + 1), irisSplit);
    assert.equal(
      problem,
      `the model is ${MAX_ONNX_BYTES + 1} bytes, more than the ${MAX_ONNX_BYTES} a model version can carry`,
    );
  });
});
