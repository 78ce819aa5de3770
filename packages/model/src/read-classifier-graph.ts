import onnxProto from 'onnx-proto';

import { describeOnnxValue, type OnnxValueDescription } from './describe-onnx-value.js';
import { ModelError } from './errors.js';
import { longToNumber } from './long-to-number.js';

const { onnx } = onnxProto;

/** Class labels an exporter wrote on one node (a classifier or a ZipMap), as text. */
export interface NodeClassLabels {
  readonly opType: string;
  readonly nodeName: string;
  /** The node's first input: for a ZipMap, the [N, K] probabilities tensor it turns into maps. */
  readonly input: string;
  readonly outputs: readonly string[];
  readonly labels: readonly string[];
}

/** What the classifier loader reads from a ModelProto before onnxruntime sees it. */
export interface ClassifierGraph {
  readonly proto: onnxProto.onnx.ModelProto;
  /** Graph inputs the caller feeds (initializers that old exporters also list are left out). */
  readonly inputs: readonly OnnxValueDescription[];
  readonly outputs: readonly OnnxValueDescription[];
  /** Every `metadata_props` entry, e.g. `driftwatch.feature_names`. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly classLabelNodes: readonly NodeClassLabels[];
}

/**
 * The attributes through which ONNX-ML nodes list their classes: `ZipMap` and
 * `TreeEnsembleClassifier` say `classlabels_int64s`, `LinearClassifier` and `SVMClassifier`
 * `classlabels_ints`, all of them `classlabels_strings` for string classes.
 */
const CLASS_LABEL_ATTRIBUTES = new Set([
  'classlabels_strings',
  'classlabels_int64s',
  'classlabels_ints',
]);

/**
 * Decodes ONNX bytes and describes the graph's inputs, outputs, metadata and class labels.
 * Refuses with `DW_MODEL_NOT_ONNX` bytes that are not a ModelProto with a graph; says nothing yet
 * about whether the graph is a classifier the loader can use.
 */
export function readClassifierGraph(bytes: Uint8Array): ClassifierGraph {
  if (bytes.length === 0) throw notOnnx('the file is empty');
  let proto: onnxProto.onnx.ModelProto;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw notOnnx(`cannot decode a ModelProto (${(error as Error).message})`, error);
  }
  // Protobuf decodes many byte strings into some message; a model has at least an IR version
  // and a graph, which arbitrary bytes almost never spell.
  const irVersion = longToNumber(proto.irVersion as unknown) ?? 0;
  const graph = proto.graph;
  if (irVersion <= 0 || !graph) throw notOnnx(irVersion <= 0 ? 'no IR version' : 'no graph');
  const initializers = new Set((graph.initializer ?? []).map((tensor) => tensor.name));
  const metadata: Record<string, string> = {};
  for (const { key, value } of proto.metadataProps) {
    if (typeof key === 'string' && typeof value === 'string') metadata[key] = value;
  }
  return {
    proto,
    inputs: (graph.input ?? [])
      .filter((value) => !initializers.has(value.name))
      .map(describeOnnxValue),
    outputs: (graph.output ?? []).map(describeOnnxValue),
    metadata,
    classLabelNodes: (graph.node ?? []).flatMap((node) => {
      const attribute = (node.attribute ?? []).find(
        (candidate) =>
          CLASS_LABEL_ATTRIBUTES.has(candidate.name ?? '') &&
          (candidate.strings?.length || candidate.ints?.length),
      );
      if (!attribute) return [];
      const strings = attribute.strings ?? [];
      const labels =
        strings.length > 0
          ? strings.map((text) => Buffer.from(text).toString('utf8'))
          : // Long's toString is exact where toNumber would round past 2^53.
            (attribute.ints ?? []).map((value) => String(value));
      return [
        {
          opType: node.opType ?? '',
          nodeName: node.name ?? '',
          input: node.input?.[0] ?? '',
          outputs: [...(node.output ?? [])],
          labels,
        },
      ];
    }),
  };
}

function notOnnx(reason: string, cause?: unknown): ModelError {
  return new ModelError('DW_MODEL_NOT_ONNX', `not an ONNX file: ${reason}`, { cause });
}
