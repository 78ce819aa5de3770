import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { LogisticModel, SoftmaxRegressionModel } from '@driftwatch/learn';
import onnxProto from 'onnx-proto';

import { ModelError } from './errors.js';
import { exportOnnx } from './export-onnx.js';
import { sha256Hex } from './sha256-hex.js';
import {
  featureNames,
  multiclassCount,
  trainedModels,
  trainedMulticlassModels,
} from './testing/seeded-models.js';

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

  it('writes the same bytes as before multiclass exports existed', () => {
    // SHA-256 of these seeded models' exports when only binary models existed: a multiclass
    // change must leave every binary export byte-identical.
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(models).map(([name, model]) => [name, sha256Hex(exportOnnx(model))]),
      ),
      {
        logistic: '71ad53e27d5a4b48f75f1987216a242d39f90524f2824dc57ce447b365f5445b',
        tanh: 'eee4f12cd8127df5214b58d2f852c657e158dbe2c9df696a6f87aaf04c165a25',
        relu: 'b7b8074fdc51dc9bf9da8bdb3485f43d78006f5af44b75c76103ae545d74186b',
      },
    );
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

describe('exportOnnx (multiclass)', () => {
  const multiclass = trainedMulticlassModels();
  const shape = (info: onnxProto.onnx.IValueInfoProto) =>
    info.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue));

  it('is byte-deterministic, and the bytes follow the model', () => {
    for (const model of Object.values(multiclass)) {
      const first = exportOnnx(model, { producerVersion: '1.2.3' });
      assert.deepEqual(exportOnnx(structuredClone(model), { producerVersion: '1.2.3' }), first);
    }
    const model = multiclass.logistic as SoftmaxRegressionModel;
    const nudged = { ...model, bias: model.bias.map((b, k) => (k === 2 ? b + 1e-12 : b)) };
    assert.notEqual(sha256Hex(exportOnnx(nudged)), sha256Hex(exportOnnx(model)));
  });

  it('ends in a softmax over K logits, output probabilities float32 [N, K], K in the metadata', () => {
    const proto = onnx.ModelProto.decode(exportOnnx(multiclass.relu));
    const metadata: Record<string, string> = {};
    for (const { key, value } of proto.metadataProps) metadata[key ?? ''] = value ?? '';
    assert.deepEqual(metadata, {
      'driftwatch.format': '1',
      'driftwatch.model_family': 'mlp',
      'driftwatch.feature_names': JSON.stringify(featureNames),
      'driftwatch.class_count': String(multiclassCount),
      'driftwatch.activation': 'relu',
    });
    const graph = proto.graph as onnxProto.onnx.GraphProto;
    assert.equal(graph.name, 'driftwatch_mlp_softmax');
    assert.deepEqual(
      graph.output.map((info) => [info.name, info.type?.tensorType?.elemType, shape(info)]),
      [['probabilities', onnx.TensorProto.DataType.FLOAT, ['N', multiclassCount]]],
    );
    assert.deepEqual(
      graph.node.map((node) => node.opType),
      ['Cast', 'Sub', 'Div', 'MatMul', 'Add', 'Relu', 'MatMul', 'Add', 'Softmax', 'Cast'],
    );
    const softmax = graph.node.find((node) => node.opType === 'Softmax')!;
    assert.deepEqual(
      (softmax.attribute ?? []).map((a) => [a.name, Number(a.i)]),
      [['axis', 1]],
    );
    const logistic = onnx.ModelProto.decode(exportOnnx(multiclass.logistic))
      .graph as onnxProto.onnx.GraphProto;
    assert.deepEqual(
      logistic.node.map((node) => node.opType),
      ['Cast', 'Sub', 'Div', 'MatMul', 'Add', 'Softmax', 'Cast'],
    );
  });

  it('stores the class weights as float64 [features, classes], transposed', () => {
    const model = multiclass.logistic as SoftmaxRegressionModel;
    const graph = onnx.ModelProto.decode(exportOnnx(model)).graph as onnxProto.onnx.GraphProto;
    const tensor = graph.initializer.find(
      (t) => t.name === 'weights',
    ) as onnxProto.onnx.TensorProto;
    assert.equal(tensor.dataType, onnx.TensorProto.DataType.DOUBLE);
    assert.deepEqual(tensor.dims.map(Number), [featureNames.length, multiclassCount]);
    const view = new DataView(
      tensor.rawData.buffer,
      tensor.rawData.byteOffset,
      tensor.rawData.byteLength,
    );
    for (let j = 0; j < featureNames.length; j++) {
      for (let k = 0; k < multiclassCount; k++) {
        assert.equal(view.getFloat64((j * multiclassCount + k) * 8, true), model.weights[k]![j]);
      }
    }
  });

  it('rejects a malformed multiclass model with DW_MODEL_INVALID', () => {
    const model = multiclass.logistic as SoftmaxRegressionModel;
    for (const bad of [
      { ...model, classCount: 2 },
      { ...model, bias: [0, 0] },
      { ...model, weights: model.weights.slice(1) },
    ]) {
      assert.throws(
        () => exportOnnx(bad),
        (error: unknown) => error instanceof ModelError && error.code === 'DW_MODEL_INVALID',
      );
    }
  });
});
