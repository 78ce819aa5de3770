import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { trainingCommandEnv, type TrainingCommandInput } from './training-command-env.js';

const input: TrainingCommandInput = {
  trainCsv: '/tmp/driftwatch-train-x/train.csv',
  holdoutCsv: '/tmp/driftwatch-train-x/holdout.csv',
  outputOnnx: '/tmp/driftwatch-train-x/model.onnx',
  model: 'iris',
  featureNames: ['sepal length (cm)', 'petal_width'],
  classes: ['setosa', 'versicolor', 'virginica'],
  requestId: 'r-42',
};

describe('trainingCommandEnv', () => {
  it('sets every variable examples/sklearn-trainer/README.md documents, over the inherited ones', () => {
    const built = trainingCommandEnv(input, {
      PATH: '/usr/bin',
      HOME: '/home/me',
      UNSET: undefined,
      DRIFTWATCH_MODEL: 'stale',
    });
    assert.ok(built.ok);
    assert.deepEqual(built.env, {
      PATH: '/usr/bin',
      HOME: '/home/me',
      DRIFTWATCH_TRAIN_CSV: '/tmp/driftwatch-train-x/train.csv',
      DRIFTWATCH_HOLDOUT_CSV: '/tmp/driftwatch-train-x/holdout.csv',
      DRIFTWATCH_OUTPUT_ONNX: '/tmp/driftwatch-train-x/model.onnx',
      DRIFTWATCH_MODEL: 'iris',
      DRIFTWATCH_FEATURES: 'sepal length (cm),petal_width',
      DRIFTWATCH_CLASSES: 'setosa,versicolor,virginica',
      DRIFTWATCH_REQUEST_ID: 'r-42',
    });
  });

  it('refuses a feature or class name with a comma, which the lists cannot carry', () => {
    const feature = trainingCommandEnv({ ...input, featureNames: ['a', 'b,c'] }, {});
    assert.deepEqual(feature, {
      ok: false,
      problem:
        '"b,c" holds a comma, so DRIFTWATCH_FEATURES (a comma-separated list) cannot name it',
    });
    const klass = trainingCommandEnv({ ...input, classes: ['yes', 'no, never'] }, {});
    assert.ok(!klass.ok);
    assert.match(klass.problem, /"no, never" holds a comma, so DRIFTWATCH_CLASSES/);
  });
});
