import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { LogisticModel, SoftmaxRegressionModel, TrainedModel } from '@driftwatch/learn';

import { ModelError } from './errors.js';
import { exportOnnx } from './export-onnx.js';
import { trainedModels, trainedMulticlassModels, wideRangeRows } from './testing/seeded-models.js';
import { verifyExport } from './verify-export.js';

const models = trainedModels();
const rows = wideRangeRows(51, 500);

describe('verifyExport', () => {
  for (const [name, model] of Object.entries(models)) {
    it(`accepts the model's own export (${name})`, async () => {
      const result = await verifyExport(model, exportOnnx(model), rows);
      assert.equal(result.rows, rows.length);
      // float32 output rounding only: half an ulp of a probability below 1.
      assert.ok(result.maxAbsDifference <= 6e-8, `${result.maxAbsDifference}`);
      assert.ok(result.maxAbsDifference > 0);
    });
  }

  it('throws DW_MODEL_EXPORT_MISMATCH naming the worst row when the bytes are another model', async () => {
    const model = models.logistic as LogisticModel;
    const other: TrainedModel = {
      ...model,
      weights: model.weights.map((w, j) => (j === 1 ? w + 0.05 : w)),
    };
    await assert.rejects(verifyExport(model, exportOnnx(other), rows), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.equal(error.code, 'DW_MODEL_EXPORT_MISMATCH');
      const row = error.details.row as number;
      assert.match(
        error.message,
        new RegExp(`on row ${row}: ONNX .* vs TypeScript .* > 0.000001\\)`),
      );
      assert.ok((error.details.maxAbsDifference as number) > 1e-6);
      return true;
    });
    // A tolerance wide enough lets the difference through.
    const loose = await verifyExport(model, exportOnnx(other), rows, { tolerance: 0.5 });
    assert.ok(loose.maxAbsDifference > 1e-6);
  });

  it('throws DW_MODEL_EXPORT_MISMATCH when the feature names differ', async () => {
    const model = models.logistic as LogisticModel;
    const renamed: TrainedModel = { ...model, featureNames: [...model.featureNames].reverse() };
    await assert.rejects(
      verifyExport(model, exportOnnx(renamed), rows),
      (error: unknown) =>
        error instanceof ModelError &&
        error.code === 'DW_MODEL_EXPORT_MISMATCH' &&
        /feature names/.test(error.message),
    );
  });

  it('rejects unusable input', async () => {
    const model = models.logistic;
    const bytes = exportOnnx(model);
    const cases: [Promise<unknown>, string][] = [
      [verifyExport(model, bytes, []), 'DW_MODEL_INVALID_INPUT'],
      [verifyExport(model, bytes, [[1, 2]]), 'DW_MODEL_INVALID_INPUT'],
      [verifyExport(model, bytes, [[1, 2, 3, 4, 1e39]]), 'DW_MODEL_INVALID_INPUT'],
      [verifyExport(model, bytes, rows, { tolerance: -1 }), 'DW_MODEL_INVALID_INPUT'],
      [verifyExport(model, new Uint8Array([1, 2, 3]), rows), 'DW_MODEL_INVALID'],
    ];
    for (const [promise, code] of cases) {
      await assert.rejects(
        promise,
        (error: unknown) => error instanceof ModelError && error.code === code,
      );
    }
  });
});

describe('verifyExport (multiclass)', () => {
  const multiclass = trainedMulticlassModels();
  for (const [name, model] of Object.entries(multiclass)) {
    it(`accepts the model's own export, every class within 1e-6 (${name})`, async () => {
      const result = await verifyExport(model, exportOnnx(model), rows);
      assert.equal(result.rows, rows.length);
      // float32 output rounding only: half an ulp of a probability below 1.
      assert.ok(result.maxAbsDifference <= 6e-8, `${result.maxAbsDifference}`);
      assert.ok(result.maxAbsDifference > 0);
    });
  }

  it('throws DW_MODEL_EXPORT_MISMATCH naming the worst row and class', async () => {
    const model = multiclass.logistic as SoftmaxRegressionModel;
    const other: SoftmaxRegressionModel = {
      ...model,
      weights: model.weights.map((w, k) => (k === 2 ? w.map((x) => x + 0.05) : w)),
    };
    await assert.rejects(verifyExport(model, exportOnnx(other), rows), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.equal(error.code, 'DW_MODEL_EXPORT_MISMATCH');
      const { row, class: worstClass } = error.details;
      assert.equal(typeof worstClass, 'number');
      assert.match(
        error.message,
        new RegExp(`on row ${row}, class ${worstClass}: ONNX .* vs TypeScript .* > 0.000001\\)`),
      );
      return true;
    });
  });

  it('throws DW_MODEL_EXPORT_MISMATCH when the export has another class count', async () => {
    const cases: [TrainedModel, TrainedModel, RegExp][] = [
      [multiclass.logistic, models.logistic, /ONNX export scores 2 classes, the model 4/],
      [models.logistic, multiclass.logistic, /ONNX export scores 4 classes, the model 2/],
    ];
    for (const [model, exported, message] of cases) {
      await assert.rejects(
        verifyExport(model, exportOnnx(exported), rows),
        (error: unknown) =>
          error instanceof ModelError &&
          error.code === 'DW_MODEL_EXPORT_MISMATCH' &&
          message.test(error.message),
      );
    }
  });
});
