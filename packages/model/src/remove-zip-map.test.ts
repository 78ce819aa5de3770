import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import onnxProto from 'onnx-proto';

import { ModelError } from './errors.js';
import { readClassifierGraph } from './read-classifier-graph.js';
import { removeZipMap } from './remove-zip-map.js';
import { byomBytes } from './testing/byom-fixtures.js';

const { onnx } = onnxProto;

describe('removeZipMap', () => {
  it("puts the ZipMap's [N, K] input in its output's place and keeps the rest", () => {
    const bytes = byomBytes('binary-logreg-zipmap.onnx');
    const before = onnx.ModelProto.decode(bytes);
    const after = onnx.ModelProto.decode(removeZipMap(bytes, 'output_probability'));
    assert.deepEqual(
      after.graph?.node?.map((node) => node.opType),
      before.graph?.node?.map((node) => node.opType).filter((op) => op !== 'ZipMap'),
    );
    assert.deepEqual(readClassifierGraph(onnx.ModelProto.encode(after).finish()).outputs, [
      { name: 'output_label', type: 'tensor(int64)', shape: [null] },
      { name: 'probabilities', type: 'tensor(float)', shape: [null, 2] },
    ]);
    assert.deepEqual(after.opsetImport, before.opsetImport);
    assert.deepEqual(after.graph?.input, before.graph?.input);
  });

  it('refuses an output no ZipMap makes', () => {
    assert.throws(
      () => removeZipMap(byomBytes('binary-forest.onnx'), 'probabilities'),
      (error: unknown) =>
        error instanceof ModelError &&
        error.code === 'DW_MODEL_UNINTERPRETABLE' &&
        error.message ===
          "cannot interpret the model's outputs: no ZipMap node makes output probabilities",
    );
  });
});
