import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import onnxProto from 'onnx-proto';

import type {
  ClassesSource,
  ClassifierOutput,
  FeatureNamesSource,
} from './classifier-interpretation.js';
import { ModelError, type ModelErrorCode } from './errors.js';
import { inspectClassifier } from './inspect-classifier.js';
import {
  byomBytes,
  byomCsv,
  byomExpected,
  byomJson,
  featureColumns,
  featureRows,
  type ByomModel,
} from './testing/byom-fixtures.js';

const { onnx } = onnxProto;

function modelError(
  code: ModelErrorCode,
  ...messages: (RegExp | string)[]
): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ModelError, `not a ModelError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.retriable, false);
    assert.ok(!error.message.includes('\n'), `message spans lines: ${error.message}`);
    for (const message of messages) {
      if (typeof message === 'string')
        assert.ok(error.message.includes(message), `"${message}" not in: ${error.message}`);
      else assert.match(error.message, message);
    }
    return true;
  };
}

/** The options `models register` would pass for a reference file: its rows, its header. */
function reference(file: string): {
  fallbackFeatureNames: string[];
  referenceRows: Record<string, number>[];
  intraOpNumThreads: number;
} {
  const csv = byomCsv(file);
  return {
    fallbackFeatureNames: featureColumns(csv),
    referenceRows: featureRows(csv),
    intraOpNumThreads: 1,
  };
}

/** A fixture model decoded, changed by `edit`, encoded again. */
function edited(
  model: ByomModel,
  edit: (graph: onnxProto.onnx.GraphProto, proto: onnxProto.onnx.ModelProto) => void,
): Uint8Array {
  const proto = onnx.ModelProto.decode(byomBytes(`${model}.onnx`));
  edit(proto.graph as onnxProto.onnx.GraphProto, proto);
  return onnx.ModelProto.encode(proto).finish();
}

function withMetadata(model: ByomModel, entries: Record<string, string>): Uint8Array {
  return edited(model, (_, proto) => {
    for (const [key, value] of Object.entries(entries)) proto.metadataProps.push({ key, value });
  });
}

const readings: Record<
  ByomModel,
  {
    features: FeatureNamesSource;
    classes: ClassesSource;
    output: Omit<ClassifierOutput, 'name'>;
  }
> = {
  'binary-logreg-zipmap': {
    features: 'input-names',
    classes: 'model',
    output: { kind: 'zipmap', kindSource: 'shape', tensor: 'probabilities' },
  },
  'binary-forest': {
    features: 'fallback',
    classes: 'model',
    output: { kind: 'probabilities', kindSource: 'shape', tensor: 'probabilities' },
  },
  'multiclass-iris': {
    features: 'fallback',
    classes: 'model',
    output: { kind: 'probabilities', kindSource: 'shape', tensor: 'probabilities' },
  },
  'softmax-net': {
    features: 'fallback',
    classes: 'default',
    output: { kind: 'probabilities', kindSource: 'shape', tensor: 'output' },
  },
  'binary-logit': {
    features: 'fallback',
    classes: 'default',
    output: { kind: 'logit', kindSource: 'name', tensor: 'logit' },
  },
  'binary-sigmoid': {
    features: 'fallback',
    classes: 'default',
    output: { kind: 'probability', kindSource: 'values', tensor: 'probability' },
  },
};

describe('inspectClassifier', () => {
  for (const [model, reading] of Object.entries(readings) as [
    ByomModel,
    (typeof readings)[ByomModel],
  ][]) {
    it(`reads ${model}: features, classes, output, and where each came from`, async () => {
      const expected = byomExpected(model);
      const seen = await inspectClassifier(
        byomBytes(`${model}.onnx`),
        reference(`${model}.reference.csv`),
      );
      assert.deepEqual(seen.inputs, expected.inputs);
      assert.deepEqual(seen.outputs, expected.outputs);
      assert.equal(seen.inputLayout, expected.inputLayout === '[N,F]' ? 'matrix' : 'per-feature');
      assert.deepEqual(seen.featureNames, expected.features);
      assert.equal(seen.featureNamesSource, reading.features);
      assert.deepEqual(seen.classes, expected.classes.map(String));
      assert.equal(seen.classesSource, reading.classes);
      assert.deepEqual(seen.output, { name: expected.probabilityOutput.name, ...reading.output });
      assert.deepEqual(seen.ignoredOutputs, expected.labelOutput ? [expected.labelOutput] : []);
      assert.equal(seen.referenceRowsChecked, byomCsv(`${model}.reference.csv`).rows.length);
      const single = reading.output.kind === 'logit' || reading.output.kind === 'probability';
      assert.deepEqual(seen.pinnedHints, {
        featureNames: expected.features,
        classes: expected.classes.map(String),
        ...(single ? { outputKind: reading.output.kind } : {}),
      });
    });
  }

  it('tolerates the default-domain opset listed twice, as skl2onnx writes it', () => {
    const opsets = byomExpected('binary-forest').onnx.opsetImport.filter(
      ([domain]) => domain === '',
    );
    assert.equal(opsets.length, 2); // the forest and iris models above load with it
  });

  describe('hints win, and are checked', () => {
    it('takes feature names, classes and the output kind from hints', async () => {
      const seen = await inspectClassifier(byomBytes('binary-logit.onnx'), {
        featureNames: ['a', 'b', 'c', 'd'],
        classes: ['ok', 'fault'],
        outputKind: 'logit',
      });
      assert.deepEqual(seen.featureNames, ['a', 'b', 'c', 'd']);
      assert.equal(seen.featureNamesSource, 'hint');
      assert.deepEqual(seen.classes, ['ok', 'fault']);
      assert.equal(seen.classesSource, 'hint');
      assert.deepEqual(seen.output, {
        name: 'logit',
        kind: 'logit',
        kindSource: 'hint',
        tensor: 'logit',
      });
      assert.equal(seen.referenceRowsChecked, 0);
    });

    it('feeds per-feature inputs by name when the hint lists the same names in another order', async () => {
      const names = byomExpected('binary-logreg-zipmap').features;
      const seen = await inspectClassifier(byomBytes('binary-logreg-zipmap.onnx'), {
        featureNames: [...names].reverse(),
      });
      assert.deepEqual(seen.featureNames, names);
      const renamed = await inspectClassifier(byomBytes('binary-logreg-zipmap.onnx'), {
        featureNames: ['t', 'm', 's', 'u', 'd'],
      });
      assert.deepEqual(renamed.featureNames, ['t', 'm', 's', 'u', 'd']);
      assert.equal(renamed.featureNamesSource, 'hint');
    });

    it('refuses feature names that do not count the inputs', async () => {
      await assert.rejects(
        inspectClassifier(
          byomBytes('binary-forest.onnx'),
          reference('bad-missing-column.reference.csv'),
        ),
        modelError(
          'DW_MODEL_FEATURE_MISMATCH',
          'the model takes 8 features (float_input tensor(float) [?, 8]) but 7 fallback feature names were given: x1, x2, x3, x4, x5, x7, x8',
        ),
      );
      await assert.rejects(
        inspectClassifier(byomBytes('binary-logreg-zipmap.onnx'), { featureNames: ['a', 'b'] }),
        modelError(
          'DW_MODEL_FEATURE_MISMATCH',
          'the model takes 5 inputs, one per feature (tenure_months, monthly_charges, support_calls, usage_gb, discount_pct) but 2 feature names were given: a, b',
        ),
      );
      await assert.rejects(
        inspectClassifier(byomBytes('softmax-net.onnx'), {}),
        modelError(
          'DW_MODEL_FEATURE_MISMATCH',
          'the model does not name its 6 features (input tensor(float) [batch, 6]): no driftwatch.feature_names metadata, and no feature names were given',
        ),
      );
    });

    it('refuses classes that do not count the probabilities', async () => {
      await assert.rejects(
        inspectClassifier(byomBytes('multiclass-iris.onnx'), {
          featureNames: ['a', 'b', 'c', 'd'],
          classes: ['setosa', 'versicolor'],
        }),
        modelError(
          'DW_MODEL_CLASS_MISMATCH',
          'the model outputs 3 class probabilities (probabilities tensor(float) [?, 3]) but 2 classes were given: setosa, versicolor',
        ),
      );
      await assert.rejects(
        inspectClassifier(byomBytes('binary-sigmoid.onnx'), {
          featureNames: ['a', 'b', 'c', 'd'],
          classes: ['a', 'b', 'c'],
          outputKind: 'probability',
        }),
        modelError('DW_MODEL_CLASS_MISMATCH', 'one [N, 1] value, so 2 classes'),
      );
    });

    it('refuses an outputKind for a model whose output is [N, K] probabilities', async () => {
      await assert.rejects(
        inspectClassifier(byomBytes('softmax-net.onnx'), {
          featureNames: ['a', 'b', 'c', 'd', 'e', 'f'],
          outputKind: 'logit',
        }),
        modelError('DW_MODEL_INVALID_INPUT', 'outputKind "logit" is for a single [N, 1] output'),
      );
    });
  });

  describe('metadata written by a training program', () => {
    it('names features and classes from driftwatch.feature_names and driftwatch.classes', async () => {
      const bytes = withMetadata('softmax-net', {
        'driftwatch.feature_names': JSON.stringify(['s1', 's2', 's3', 's4', 's5', 's6']),
        'driftwatch.classes': JSON.stringify(['low', 'mid', 'high']),
      });
      const seen = await inspectClassifier(bytes, reference('softmax-net.reference.csv'));
      assert.equal(seen.featureNamesSource, 'metadata');
      assert.deepEqual(seen.classes, ['low', 'mid', 'high']);
      assert.equal(seen.classesSource, 'metadata');
      assert.equal(seen.metadata['driftwatch.classes'], '["low","mid","high"]');
    });

    it('prefers metadata classes to the labels on the classifier node (train.py leaves indices there)', async () => {
      const seen = await inspectClassifier(
        withMetadata('multiclass-iris', { 'driftwatch.classes': '[0, 1, 2]' }),
        reference('multiclass-iris.reference.csv'),
      );
      assert.deepEqual(seen.classes, ['0', '1', '2']);
      assert.equal(seen.classesSource, 'metadata');
    });

    it('refuses metadata that disagrees with the graph', async () => {
      await assert.rejects(
        inspectClassifier(
          withMetadata('softmax-net', { 'driftwatch.classes': '[0, 1]' }),
          reference('softmax-net.reference.csv'),
        ),
        modelError('DW_MODEL_CLASS_MISMATCH', 'but its driftwatch.classes metadata lists 2: 0, 1'),
      );
      await assert.rejects(
        inspectClassifier(
          withMetadata('softmax-net', { 'driftwatch.feature_names': '["s1"]' }),
          {},
        ),
        modelError(
          'DW_MODEL_FEATURE_MISMATCH',
          'the model takes 6 features (input tensor(float) [batch, 6]) but its driftwatch.feature_names metadata names 1: s1',
        ),
      );
      await assert.rejects(
        inspectClassifier(withMetadata('softmax-net', { 'driftwatch.feature_names': 's1,s2' }), {}),
        modelError('DW_MODEL_FEATURE_MISMATCH', 'driftwatch.feature_names metadata is not JSON'),
      );
    });
  });

  describe('an [N, 1] output: probability or logit', () => {
    const renamed = (name: string): Uint8Array =>
      edited('binary-logit', (graph) => {
        graph.output[0]!.name = name;
        graph.node[0]!.output = [name];
      });

    it('calls an output a logit when a reference value leaves [0, 1], whatever its name', async () => {
      const seen = await inspectClassifier(
        renamed('score'),
        reference('binary-logit.reference.csv'),
      );
      assert.deepEqual(seen.output, {
        name: 'score',
        kind: 'logit',
        kindSource: 'values',
        tensor: 'score',
      });
    });

    it('asks for a hint or reference rows when nothing says which', async () => {
      await assert.rejects(
        inspectClassifier(renamed('score'), { featureNames: ['f1', 'f2', 'f3', 'f4'] }),
        modelError(
          'DW_MODEL_UNINTERPRETABLE',
          'score tensor(float) [batch, 1] may be a probability or a logit, and neither outputKind nor reference rows say which',
        ),
      );
    });

    it('refuses a "probability" whose reference values leave [0, 1]', async () => {
      await assert.rejects(
        inspectClassifier(renamed('score'), {
          ...reference('binary-logit.reference.csv'),
          outputKind: 'probability',
        }),
        modelError(
          'DW_MODEL_UNINTERPRETABLE',
          /score tensor\(float\) \[batch, 1\] is read as a probability but ranges from -\d/,
        ),
      );
    });
  });

  describe('refusals of bad-inputs.json', () => {
    interface BadInput {
      file: string;
      pairWith: string;
      features?: string[];
      onReference?: { min: number; max: number; maxAbsRowSumMinusOne: number };
      cell?: { value: string; column: string; dataRow: number };
      missingColumn?: string;
    }
    const bad = new Map(
      (byomJson('bad-inputs.json') as { badInputs: BadInput[] }).badInputs.map((entry) => [
        entry.file,
        entry,
      ]),
    );
    const options = (file: string) => {
      const entry = bad.get(file)!;
      return {
        ...reference(entry.pairWith),
        ...(entry.features ? { featureNames: entry.features } : {}),
      };
    };

    it('not-a-model.onnx: not an ONNX file', async () => {
      await assert.rejects(
        inspectClassifier(byomBytes('not-a-model.onnx'), options('not-a-model.onnx')),
        modelError('DW_MODEL_NOT_ONNX', /^not an ONNX file: cannot decode a ModelProto \(.+\)$/),
      );
      await assert.rejects(
        inspectClassifier(new Uint8Array(0)),
        modelError('DW_MODEL_NOT_ONNX', 'not an ONNX file: the file is empty'),
      );
      // Decodable protobuf that is not a model: a lone, empty graph.
      await assert.rejects(
        inspectClassifier(onnx.ModelProto.encode({ producerName: 'x' }).finish()),
        modelError('DW_MODEL_NOT_ONNX', 'not an ONNX file: no IR version'),
      );
    });

    it('bad-regressor.onnx: [N, 3] shaped like probabilities, values are not', async () => {
      const { onReference } = bad.get('bad-regressor.onnx')!;
      const short = (value: number): string => String(Number(value.toPrecision(4)));
      await assert.rejects(
        inspectClassifier(byomBytes('bad-regressor.onnx'), options('bad-regressor.onnx')),
        modelError(
          'DW_MODEL_UNINTERPRETABLE',
          "cannot interpret the model's outputs: variable tensor(float) [?, 3] is shaped like [N, K] probabilities but its values are not probabilities",
          `on 1000 reference rows they range from ${short(onReference!.min)} to ${short(onReference!.max)} and row sums miss 1 by up to ${short(onReference!.maxAbsRowSumMinusOne)}`,
          /first at reference row 1: \[[-\d., ]+\]\); expected every row non-negative and summing to 1 ± 0\.001$/,
        ),
      );
    });

    it('bad-two-outputs.onnx: two [N, 1] outputs, neither a label nor probabilities', async () => {
      await assert.rejects(
        inspectClassifier(byomBytes('bad-two-outputs.onnx'), options('bad-two-outputs.onnx')),
        modelError(
          'DW_MODEL_UNINTERPRETABLE',
          "cannot interpret the model's outputs: 2 outputs (mean, variance) could each hold the probabilities; found mean tensor(float) [batch, 1], variance tensor(float) [batch, 1]; expected one probabilities tensor [N, K] with K ≥ 2, one ZipMap sequence of maps, or one [N, 1] probability or logit, beside at most a label tensor [N]",
        ),
      );
    });

    it('bad-non-numeric.reference.csv: names the reference row and column', async () => {
      const { cell } = bad.get('bad-non-numeric.reference.csv')!;
      await assert.rejects(
        inspectClassifier(
          byomBytes('binary-forest.onnx'),
          reference('bad-non-numeric.reference.csv'),
        ),
        modelError(
          'DW_MODEL_INVALID_INPUT',
          `reference row ${cell!.dataRow}: feature "${cell!.column}" is NaN`,
        ),
      );
    });

    it('bad-missing-column.reference.csv: names the missing column when the features are given', async () => {
      const { missingColumn } = bad.get('bad-missing-column.reference.csv')!;
      await assert.rejects(
        inspectClassifier(byomBytes('binary-forest.onnx'), {
          ...reference('bad-missing-column.reference.csv'),
          featureNames: byomExpected('binary-forest').features,
        }),
        modelError(
          'DW_MODEL_INVALID_INPUT',
          `reference row 1: feature "${missingColumn}" is missing`,
        ),
      );
    });
  });

  describe('outputs it cannot interpret', () => {
    const features = { featureNames: ['a', 'b', 'c', 'd', 'e', 'f'] };

    it('refuses an output beside the probabilities that is not a label', async () => {
      const bytes = edited('softmax-net', (graph) => {
        const perRow = {
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: { dim: [{ dimParam: 'batch' }] },
        };
        graph.output.push({ name: 'confidence', type: { tensorType: perRow } });
      });
      await assert.rejects(
        inspectClassifier(bytes, features),
        modelError(
          'DW_MODEL_UNINTERPRETABLE',
          'confidence beside output, neither a label nor probabilities',
          'confidence tensor(float) [batch]',
        ),
      );
    });

    it('refuses two outputs that could each be the probabilities', async () => {
      const bytes = edited('softmax-net', (graph) => {
        graph.output.push({ name: 'activated', type: graph.output[0]!.type! });
      });
      await assert.rejects(
        inspectClassifier(bytes, features),
        modelError(
          'DW_MODEL_UNINTERPRETABLE',
          '2 outputs (output, activated) could each hold the probabilities',
        ),
      );
    });

    it('refuses a model without outputs', async () => {
      const bytes = edited('softmax-net', (graph) => {
        graph.output = [];
      });
      await assert.rejects(
        inspectClassifier(bytes, features),
        modelError(
          'DW_MODEL_UNINTERPRETABLE',
          "cannot interpret the model's outputs: none holds probabilities; found none;",
        ),
      );
    });

    it('refuses inputs that are not float features', async () => {
      const bytes = edited('softmax-net', (graph) => {
        graph.input[0]!.type!.tensorType!.elemType = onnx.TensorProto.DataType.INT64;
      });
      await assert.rejects(
        inspectClassifier(bytes, features),
        modelError(
          'DW_MODEL_UNINTERPRETABLE',
          "cannot interpret the model's inputs: input not float tensors; found input tensor(int64) [batch, 6]; expected one float tensor [N, F] or one float [N, 1] tensor per feature",
        ),
      );
    });
  });
});
