import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ModelError, type ModelErrorCode } from './errors.js';
import { inspectClassifier } from './inspect-classifier.js';
import { resolveFeatureNames } from './resolve-feature-names.js';
import { byomBytes, byomCsv, byomExpected, featureRows } from './testing/byom-fixtures.js';

function modelError(code: ModelErrorCode, message: string): (error: unknown) => boolean {
  return (error) => error instanceof ModelError && error.code === code && error.message === message;
}

describe('resolveFeatureNames', () => {
  it('reads one input per feature by the inputs’ names, as inspectClassifier does', async () => {
    const bytes = byomBytes('binary-logreg-zipmap.onnx');
    const resolved = resolveFeatureNames(bytes);
    assert.deepEqual(resolved, {
      featureNames: byomExpected('binary-logreg-zipmap').features,
      source: 'input-names',
    });
    const seen = await inspectClassifier(bytes, {
      referenceRows: featureRows(byomCsv('binary-logreg-zipmap.reference.csv')),
    });
    assert.deepEqual(seen.featureNames, resolved.featureNames);
    assert.equal(seen.featureNamesSource, resolved.source);
  });

  it('takes hinted names in the inputs’ order when they are the inputs’ names', () => {
    const names = byomExpected('binary-logreg-zipmap').features;
    assert.deepEqual(
      resolveFeatureNames(byomBytes('binary-logreg-zipmap.onnx'), [...names].reverse()),
      {
        featureNames: names,
        source: 'hint',
      },
    );
  });

  it('is null for one [N, F] input without metadata or hint: the caller must name the features', () => {
    for (const model of ['binary-forest', 'multiclass-iris', 'binary-logit', 'softmax-net']) {
      assert.equal(resolveFeatureNames(byomBytes(`${model}.onnx`)), null, model);
    }
    assert.deepEqual(resolveFeatureNames(byomBytes('binary-logit.onnx'), ['a', 'b', 'c', 'd']), {
      featureNames: ['a', 'b', 'c', 'd'],
      source: 'hint',
    });
  });

  it('refuses hinted names that do not count the inputs, and bytes that are not ONNX', () => {
    assert.throws(
      () => resolveFeatureNames(byomBytes('binary-forest.onnx'), ['a', 'b']),
      modelError(
        'DW_MODEL_FEATURE_MISMATCH',
        'the model takes 8 features (float_input tensor(float) [?, 8]) but 2 feature names were given: a, b',
      ),
    );
    assert.throws(
      () => resolveFeatureNames(byomBytes('not-a-model.onnx')),
      (error: unknown) =>
        error instanceof ModelError &&
        error.code === 'DW_MODEL_NOT_ONNX' &&
        error.message.startsWith('not an ONNX file: '),
    );
  });
});
