import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildFeatureMatrix } from './build-feature-matrix.js';
import { ClassifierScorer } from './classifier-scorer.js';
import { ModelError, type ModelErrorCode } from './errors.js';
import {
  byomBytes,
  byomCsv,
  byomExpected,
  byomModels,
  featureColumns,
  featureRows,
} from './testing/byom-fixtures.js';

const TOLERANCE = 1e-5;

function modelError(code: ModelErrorCode, message?: RegExp): (error: unknown) => boolean {
  return (error) =>
    error instanceof ModelError &&
    error.code === code &&
    !error.retriable &&
    !error.message.includes('\n') &&
    (message?.test(error.message) ?? true);
}

/** Loads a fixture model as `models register` would: reference rows, header as fallback names. */
async function loadFixture(model: string): Promise<ClassifierScorer> {
  const reference = byomCsv(`${model}.reference.csv`);
  return ClassifierScorer.load(byomBytes(`${model}.onnx`), {
    fallbackFeatureNames: featureColumns(reference),
    referenceRows: featureRows(reference),
    intraOpNumThreads: 1,
  });
}

describe('ClassifierScorer', () => {
  for (const model of byomModels) {
    it(`gives Python onnxruntime's probabilities for every stream row to 1e-5: ${model}`, async (t) => {
      const expected = byomExpected(model);
      const scorer = await loadFixture(model);
      try {
        assert.deepEqual(scorer.featureNames, expected.features);
        assert.deepEqual(scorer.classes, expected.classes.map(String));
        // Scored by feature name, as inference does: the stream CSV's columns start with `id`.
        const events = featureRows(byomCsv(`${model}.stream.csv`)).map((features) => ({
          features,
        }));
        const { matrix, accepted, rejected } = buildFeatureMatrix(events, scorer.featureNames);
        assert.deepEqual(rejected, []);
        const probabilities = await scorer.score(matrix, accepted.length);
        const width = scorer.classes.length;
        assert.equal(probabilities.length, expected.probabilities.length * width);
        let worst = 0;
        expected.probabilities.forEach((row, i) => {
          row.forEach((p, k) => {
            worst = Math.max(worst, Math.abs(probabilities[i * width + k]! - p));
          });
        });
        t.diagnostic(`${model}: max |difference| ${worst} over ${events.length} rows`);
        assert.ok(worst <= TOLERANCE, `${model}: max difference ${worst}`);
      } finally {
        await scorer.release();
      }
    });
  }

  it('reads the same with the pinned hints and no reference rows, as a service reloads it', async () => {
    for (const model of ['binary-logit', 'binary-sigmoid', 'binary-logreg-zipmap'] as const) {
      const first = await loadFixture(model);
      await first.release();
      const again = await ClassifierScorer.load(byomBytes(`${model}.onnx`), {
        ...first.interpretation.pinnedHints,
        expectedSha256: byomExpected(model).onnx.sha256,
        intraOpNumThreads: 1,
      });
      try {
        assert.deepEqual(again.interpretation.featureNames, first.interpretation.featureNames);
        assert.deepEqual(again.interpretation.classes, first.interpretation.classes);
        assert.equal(again.interpretation.output.kind, first.interpretation.output.kind);
        assert.equal(again.interpretation.referenceRowsChecked, 0);
        const row = Float32Array.from(again.featureNames.map(() => 0.5));
        const sum = Array.from(await again.score(row, 1)).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sum - 1) < 1e-6);
      } finally {
        await again.release();
      }
    }
  });

  it('scores zero rows without running, refuses a matrix of the wrong size, and fails after release', async () => {
    const scorer = await loadFixture('multiclass-iris');
    assert.deepEqual(await scorer.score(new Float32Array(0), 0), new Float64Array(0));
    await assert.rejects(
      scorer.score(new Float32Array(5), 2),
      modelError('DW_MODEL_INVALID_INPUT', /2 × 4 = 8 values, got 5/),
    );
    await assert.rejects(
      scorer.score(new Float32Array(0), -1),
      modelError('DW_MODEL_INVALID_INPUT'),
    );
    await Promise.all([scorer.release(), scorer.release()]);
    await assert.rejects(scorer.score(new Float32Array(4), 1), modelError('DW_MODEL_RELEASED'));
  });

  it('verifies the checksum before reading the bytes', async () => {
    await assert.rejects(
      ClassifierScorer.load(byomBytes('softmax-net.onnx'), { expectedSha256: '0'.repeat(64) }),
      modelError('DW_MODEL_CHECKSUM_MISMATCH', /expected 0{64}/),
    );
    await assert.rejects(
      ClassifierScorer.load(byomBytes('not-a-model.onnx'), {
        expectedSha256: byomExpected('softmax-net').onnx.sha256,
      }),
      modelError('DW_MODEL_CHECKSUM_MISMATCH'),
    );
  });

  it('refuses bad options before loading', async () => {
    const bytes = byomBytes('softmax-net.onnx');
    await assert.rejects(
      ClassifierScorer.load(bytes, { intraOpNumThreads: 0 }),
      modelError('DW_MODEL_INVALID_INPUT', /intraOpNumThreads/),
    );
    await assert.rejects(
      ClassifierScorer.load(bytes, { featureNames: ['a', 'a', 'b', 'c', 'd', 'e'] }),
      modelError('DW_MODEL_INVALID_INPUT', /featureNames must list unique non-empty names/),
    );
    await assert.rejects(
      ClassifierScorer.load(bytes, { classes: ['x', ''] }),
      modelError('DW_MODEL_INVALID_INPUT', /classes must list unique/),
    );
  });
});
