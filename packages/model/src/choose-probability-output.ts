import { formatOnnxValue, type OnnxValueDescription } from './describe-onnx-value.js';
import { ModelError } from './errors.js';
import type { ClassifierGraph, NodeClassLabels } from './read-classifier-graph.js';

export interface ProbabilityOutput {
  readonly output: OnnxValueDescription;
  /** `single` is an [N, 1] output that a hint, its name or its values still have to call a
   * probability or a logit. */
  readonly kind: 'probabilities' | 'zipmap' | 'single';
  /** The tensor to fetch: the output itself, or the [N, K] input of the ZipMap node. */
  readonly tensor: string;
  /** K: the probabilities' width, the ZipMap's label count, 2 for a single output. */
  readonly classCount: number;
  /** The node that makes a `zipmap` output, with its class labels. */
  readonly zipMap?: NodeClassLabels;
  /** The other outputs, all labels. */
  readonly ignored: readonly string[];
}

const EXPECTED_OUTPUTS =
  'expected one probabilities tensor [N, K] with K ≥ 2, one ZipMap sequence of maps, or one ' +
  '[N, 1] probability or logit, beside at most a label tensor [N]';

/**
 * Picks the output that holds the class probabilities, by preference: a float [N, K] tensor
 * (K ≥ 2); a ZipMap sequence of maps; a single float [N, 1] tensor. Every other output must be a
 * predicted label (an integer or string tensor [N] or [N, 1]), which is ignored: the label is a
 * function of the probabilities, and driftwatch predicts from those with its own threshold.
 *
 * Refuses (`DW_MODEL_UNINTERPRETABLE`) naming every output found and what was expected when no
 * output qualifies, when two qualify equally, or when an output is neither a label nor the
 * probabilities: reading a model with extra heads would be a guess.
 */
export function chooseProbabilityOutput(graph: ClassifierGraph): ProbabilityOutput {
  const { outputs } = graph;
  const refuse = (why: string): ModelError =>
    new ModelError(
      'DW_MODEL_UNINTERPRETABLE',
      `cannot interpret the model's outputs: ${why}; found ${outputs.map(formatOnnxValue).join(', ') || 'none'}; ${EXPECTED_OUTPUTS}`,
    );
  const byPreference = [
    outputs.filter((output) => isFloatMatrix(output) && (output.shape[1] as number) >= 2),
    outputs.filter(isSequenceOfMaps),
    outputs.filter((output) => isFloatMatrix(output) && output.shape[1] === 1),
  ];
  const candidates = byPreference.find((group) => group.length > 0) ?? [];
  const [output] = candidates;
  if (!output) throw refuse('none holds probabilities');
  if (candidates.length > 1) {
    throw refuse(
      `${candidates.length} outputs (${candidates.map((candidate) => candidate.name).join(', ')}) could each hold the probabilities`,
    );
  }
  const others = outputs.filter((other) => other !== output);
  const unknown = others.filter((other) => !isLabel(other));
  if (unknown.length > 0) {
    throw refuse(
      `${unknown.map((other) => other.name).join(', ')} beside ${output.name}, neither a label nor probabilities`,
    );
  }
  const ignored = others.map((other) => other.name);

  if (isSequenceOfMaps(output)) {
    const zipMap = graph.classLabelNodes.find(
      (node) => node.opType === 'ZipMap' && node.outputs.includes(output.name),
    );
    if (!zipMap) {
      throw refuse(
        `${output.name} is a sequence of maps that no ZipMap node with class labels makes`,
      );
    }
    return {
      output,
      kind: 'zipmap',
      tensor: zipMap.input,
      classCount: zipMap.labels.length,
      zipMap,
      ignored,
    };
  }
  const width = output.shape[1] as number;
  return {
    output,
    kind: width === 1 ? 'single' : 'probabilities',
    tensor: output.name,
    classCount: width === 1 ? 2 : width,
    ignored,
  };
}

function isFloatMatrix(output: OnnxValueDescription): boolean {
  return (
    (output.type === 'tensor(float)' || output.type === 'tensor(double)') &&
    output.shape.length === 2 &&
    typeof output.shape[1] === 'number'
  );
}

function isSequenceOfMaps(output: OnnxValueDescription): boolean {
  return output.type.startsWith('seq(map(');
}

/** An integer or string tensor with one value per row: what classifiers output as the label. */
function isLabel(output: OnnxValueDescription): boolean {
  const labelType = /^tensor\((string|u?int(8|16|32|64))\)$/.test(output.type);
  const perRow = output.shape.length <= 1 || (output.shape.length === 2 && output.shape[1] === 1);
  return labelType && perRow;
}
