import { modelClassCount, parseTrainedModel, type TrainedModel } from '@driftwatch/learn';
import onnxProto from 'onnx-proto';

import { ModelError } from './errors.js';
import {
  CLASS_PROBABILITIES_NAME,
  FORMAT_VERSION,
  INPUT_NAME,
  IR_VERSION,
  METADATA_ACTIVATION,
  METADATA_CLASS_COUNT,
  METADATA_FEATURE_NAMES,
  METADATA_FORMAT,
  METADATA_MODEL_FAMILY,
  OPSET_VERSION,
  OUTPUT_NAME,
} from './onnx-layout.js';

const { onnx } = onnxProto;
const DataType = onnx.TensorProto.DataType;

export interface ExportOnnxOptions {
  /** Recorded as the model's `producer_version` (e.g. the trainer's version). */
  readonly producerVersion?: string;
  /** Recorded as the model's `doc_string` (e.g. "churn v12, trained on …"). */
  readonly docString?: string;
}

/**
 * Encodes a trained model as an ONNX `ModelProto` that scores raw features:
 *
 *     features float32 [N, F] → Cast(double) → Sub(mean) → Div(scale)
 *       logistic: → MatMul(weights) → Add(bias) → Sigmoid
 *       mlp:      → MatMul → Add → Tanh | Relu → MatMul → Add → Sigmoid
 *     → Cast(float) → probability float32 [N, 1]
 *
 * A multiclass model (K ≥ 3 classes, `SoftmaxRegression` or `SoftmaxMlp`) ends in K logits
 * instead, and in every class's probability:
 *
 *     … → MatMul → Add → Softmax(axis 1) → Cast(float) → probabilities float32 [N, K]
 *
 * The arithmetic runs in float64 with the model's float64 parameters, so the only rounding
 * beyond the TypeScript reference (`predictProbabilities` from `@driftwatch/learn`) is the float32
 * output; in float32, standardizing a feature far from zero (an amount around 10⁶ with a spread of
 * 1) would lose the very digits that carry the signal.
 *
 * The bytes are deterministic: the same model and options give the same bytes (no timestamps, no
 * generated ids), so a retrained model's checksum changes only when the model does. Metadata
 * (`metadata_props`): `driftwatch.feature_names` (JSON array in input column order),
 * `driftwatch.model_family`, `driftwatch.format`, for multiclass models `driftwatch.class_count`
 * (K in decimal) and, for MLPs, `driftwatch.activation`. `OnnxScorer` reads them back.
 *
 * Throws `ModelError` `DW_MODEL_INVALID` when the model is malformed.
 *
 * @example
 * ```ts
 * const model = {
 *   family: 'logistic',
 *   featureNames: ['x'],
 *   standardization: { mean: [0], scale: [1] },
 *   weights: [2],
 *   bias: 0,
 * };
 * const bytes = exportOnnx(model);
 * sha256Hex(bytes) === sha256Hex(exportOnnx(model)); // => true
 * const scorer = await OnnxScorer.load(bytes, { expectedSha256: sha256Hex(bytes) });
 * Array.from(await scorer.score(Float32Array.from([0, 1]), 2)); // => [0.5, 0.8807970881462097]
 * await scorer.release();
 * ```
 */
export function exportOnnx(model: TrainedModel, options: ExportOnnxOptions = {}): Uint8Array {
  let checked: TrainedModel;
  try {
    checked = parseTrainedModel(model);
  } catch (error) {
    throw new ModelError('DW_MODEL_INVALID', (error as Error).message, { cause: error });
  }
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && typeof value !== 'string') {
      throw new ModelError('DW_MODEL_INVALID', `option ${name} must be a string`);
    }
  }
  const width = checked.featureNames.length;
  const initializers: onnxProto.onnx.ITensorProto[] = [
    doubleTensor('standardization_mean', [width], checked.standardization.mean),
    doubleTensor('standardization_scale', [width], checked.standardization.scale),
  ];
  const nodes: onnxProto.onnx.INodeProto[] = [
    node('Cast', [INPUT_NAME], ['features_f64'], [castTo(DataType.DOUBLE)]),
    node('Sub', ['features_f64', 'standardization_mean'], ['centered']),
    node('Div', ['centered', 'standardization_scale'], ['standardized']),
  ];
  const metadata: [string, string][] = [
    [METADATA_FORMAT, FORMAT_VERSION],
    [METADATA_MODEL_FAMILY, checked.family],
    [METADATA_FEATURE_NAMES, JSON.stringify(checked.featureNames)],
  ];
  const classCount = modelClassCount(checked);
  const multiclass = classCount > 2;
  // Output rows of the last layer: 1 (the logit of class 1) or K (one logit per class).
  const outputs = multiclass ? classCount : 1;
  if (multiclass) metadata.push([METADATA_CLASS_COUNT, String(classCount)]);
  if (checked.family === 'logistic') {
    // MatMul wants [F, outputs]; a multiclass model keeps one row per class ([K, F]).
    const weights = 'classCount' in checked ? transpose(checked.weights, width) : checked.weights;
    const bias = 'classCount' in checked ? checked.bias : [checked.bias];
    initializers.push(
      doubleTensor('weights', [width, outputs], weights),
      doubleTensor('bias', [outputs], bias),
    );
    nodes.push(
      node('MatMul', ['standardized', 'weights'], ['linear']),
      node('Add', ['linear', 'bias'], [multiclass ? 'logits' : 'logit']),
    );
  } else {
    const units = checked.hidden.weights.length;
    const outputWeights =
      'classCount' in checked ? transpose(checked.output.weights, units) : checked.output.weights;
    const outputBias = 'classCount' in checked ? checked.output.bias : [checked.output.bias];
    initializers.push(
      // MatMul wants [F, H]; the model keeps one row per hidden unit ([H, F]).
      doubleTensor('hidden_weights', [width, units], transpose(checked.hidden.weights, width)),
      doubleTensor('hidden_bias', [units], checked.hidden.bias),
      doubleTensor('output_weights', [units, outputs], outputWeights),
      doubleTensor('output_bias', [outputs], outputBias),
    );
    nodes.push(
      node('MatMul', ['standardized', 'hidden_weights'], ['hidden_linear']),
      node('Add', ['hidden_linear', 'hidden_bias'], ['hidden_preactivation']),
      node(checked.activation === 'tanh' ? 'Tanh' : 'Relu', ['hidden_preactivation'], ['hidden']),
      node('MatMul', ['hidden', 'output_weights'], ['output_linear']),
      node('Add', ['output_linear', 'output_bias'], [multiclass ? 'logits' : 'logit']),
    );
    metadata.push([METADATA_ACTIVATION, checked.activation]);
  }
  if (multiclass) {
    nodes.push(
      node('Softmax', ['logits'], ['probabilities_f64'], [intAttribute('axis', 1)]),
      node('Cast', ['probabilities_f64'], [CLASS_PROBABILITIES_NAME], [castTo(DataType.FLOAT)]),
    );
  } else {
    nodes.push(
      node('Sigmoid', ['logit'], ['probability_f64']),
      node('Cast', ['probability_f64'], [OUTPUT_NAME], [castTo(DataType.FLOAT)]),
    );
  }

  const graph = onnx.GraphProto.create({
    name: multiclass ? `driftwatch_${checked.family}_softmax` : `driftwatch_${checked.family}`,
    node: nodes,
    initializer: initializers,
    input: [tensorValueInfo(INPUT_NAME, width)],
    output: [
      multiclass
        ? tensorValueInfo(CLASS_PROBABILITIES_NAME, classCount)
        : tensorValueInfo(OUTPUT_NAME, 1),
    ],
  });
  const proto = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    producerName: 'driftwatch',
    graph,
    metadataProps: metadata.map(([key, value]) => ({ key, value })),
  });
  if (options.producerVersion !== undefined) proto.producerVersion = options.producerVersion;
  if (options.docString !== undefined) proto.docString = options.docString;
  // A plain Uint8Array (protobufjs hands back a Node Buffer), exactly the encoded length.
  return new Uint8Array(onnx.ModelProto.encode(proto).finish());
}

/** Float64 values, little-endian in `raw_data` whatever the host's byte order. */
function doubleTensor(
  name: string,
  dims: number[],
  values: readonly number[],
): onnxProto.onnx.ITensorProto {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((value, i) => {
    view.setFloat64(i * 8, value, true);
  });
  return { name, dims, dataType: DataType.DOUBLE, rawData: raw };
}

function node(
  opType: string,
  input: string[],
  output: string[],
  attribute: onnxProto.onnx.IAttributeProto[] = [],
): onnxProto.onnx.INodeProto {
  // Named after their output, which the graph already keeps unique.
  return { opType, input, output, name: output[0] ?? opType, attribute };
}

function castTo(dataType: number): onnxProto.onnx.IAttributeProto {
  return intAttribute('to', dataType);
}

function intAttribute(name: string, value: number): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

/** `rows` ([R][columns]) transposed and flattened row-major: [columns][R]. */
function transpose(rows: readonly (readonly number[])[], columns: number): number[] {
  const flat: number[] = [];
  for (let j = 0; j < columns; j++) {
    for (const row of rows) flat.push(row[j] ?? 0);
  }
  return flat;
}

/** A float32 `[N, columns]` tensor with a symbolic batch dimension. */
function tensorValueInfo(name: string, columns: number): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: DataType.FLOAT,
        shape: { dim: [{ dimParam: 'N' }, { dimValue: columns }] },
      },
    },
  };
}
