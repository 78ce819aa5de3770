import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { LogisticModel } from '@driftwatch/learn';
import onnxProto from 'onnx-proto';

import { ModelError } from './errors.js';
import { exportOnnx } from './export-onnx.js';
import { sha256Hex } from './sha256-hex.js';
import { featureNames, trainedModels } from './testing/seeded-models.js';

const { onnx } = onnxProto;
const models = trainedModels();

describe('exportOnnx', () => {
  it('is byte-deterministic: the same model and options give the same bytes', () => {
    for (const model of Object.values(models)) {
      const first = exportOnnx(model, { producerVersion: '1.2.3' });
      const again = exportOnnx(structuredClone(model), { producerVersion: '1.2.3' });
      assert.ok(first instanceof Uint8Array);
      assert.equal(Object.getPrototypeOf(first), Uint8Array.prototype);
      assert.deepEqual(again, first);
      assert.equal(sha256Hex(again), sha256Hex(first));
    }
  });

  it('changes the bytes when the model or the options change', () => {
    const model = models.logistic as LogisticModel;
    const base = sha256Hex(exportOnnx(model));
    const nudged = { ...model, bias: model.bias + 1e-12 };
    assert.notEqual(sha256Hex(exportOnnx(nudged)), base);
    assert.notEqual(sha256Hex(exportOnnx(model, { docString: 'churn v2' })), base);
    assert.notEqual(sha256Hex(exportOnnx(models.tanh)), sha256Hex(exportOnnx(models.relu)));
  });

  it('writes the input/output contract, the opset and the metadata', () => {
    const bytes = exportOnnx(models.relu, { producerVersion: '0.1.0', docString: 'a relu MLP' });
    const proto = onnx.ModelProto.decode(bytes);
    assert.equal(Number(proto.irVersion), 8);
    assert.deepEqual(
      proto.opsetImport.map(({ domain, version }) => [domain, Number(version)]),
      [['', 13]],
    );
    assert.equal(proto.producerName, 'driftwatch');
    assert.equal(proto.producerVersion, '0.1.0');
    assert.equal(proto.docString, 'a relu MLP');
    const metadata: Record<string, string> = {};
    for (const { key, value } of proto.metadataProps) metadata[key ?? ''] = value ?? '';
    assert.deepEqual(metadata, {
      'driftwatch.format': '1',
      'driftwatch.model_family': 'mlp',
      'driftwatch.feature_names': JSON.stringify(featureNames),
      'driftwatch.activation': 'relu',
    });
    const graph = proto.graph as onnxProto.onnx.GraphProto;
    const shape = (info: onnxProto.onnx.IValueInfoProto) =>
      info.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue));
    assert.deepEqual(
      graph.input.map((info) => [info.name, info.type?.tensorType?.elemType, shape(info)]),
      [['features', onnx.TensorProto.DataType.FLOAT, ['N', featureNames.length]]],
    );
    assert.deepEqual(
      graph.output.map((info) => [info.name, info.type?.tensorType?.elemType, shape(info)]),
      [['probability', onnx.TensorProto.DataType.FLOAT, ['N', 1]]],
    );
    assert.deepEqual(
      graph.node.map((node) => node.opType),
      ['Cast', 'Sub', 'Div', 'MatMul', 'Add', 'Relu', 'MatMul', 'Add', 'Sigmoid', 'Cast'],
    );
    const logistic = onnx.ModelProto.decode(exportOnnx(models.logistic))
      .graph as onnxProto.onnx.GraphProto;
    assert.deepEqual(
      logistic.node.map((node) => node.opType),
      ['Cast', 'Sub', 'Div', 'MatMul', 'Add', 'Sigmoid', 'Cast'],
    );
  });

  it('stores the parameters as float64, hidden weights transposed to [features, units]', () => {
    const model = models.tanh;
    assert.equal(model.family, 'mlp');
    const graph = onnx.ModelProto.decode(exportOnnx(model)).graph as onnxProto.onnx.GraphProto;
    const tensor = graph.initializer.find(
      (t) => t.name === 'hidden_weights',
    ) as onnxProto.onnx.TensorProto;
    assert.equal(tensor.dataType, onnx.TensorProto.DataType.DOUBLE);
    const units = model.hidden.weights.length;
    assert.deepEqual(tensor.dims.map(Number), [featureNames.length, units]);
    const raw = tensor.rawData;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let j = 0; j < featureNames.length; j++) {
      for (let unit = 0; unit < units; unit++) {
        assert.equal(view.getFloat64((j * units + unit) * 8, true), model.hidden.weights[unit]![j]);
      }
    }
  });

  it('rejects a malformed model or options with DW_MODEL_INVALID', () => {
    const model = models.logistic as LogisticModel;
    const invalid: [unknown, unknown][] = [
      [{ ...model, weights: [1] }, {}],
      [{ ...model, family: 'forest' }, {}],
      [
        { ...model, standardization: { mean: model.standardization.mean, scale: [0, 1, 1, 1, 1] } },
        {},
      ],
      [model, { docString: 5 }],
    ];
    for (const [bad, options] of invalid) {
      assert.throws(
        () => exportOnnx(bad as LogisticModel, options as object),
        (error: unknown) => error instanceof ModelError && error.code === 'DW_MODEL_INVALID',
      );
    }
  });
});
