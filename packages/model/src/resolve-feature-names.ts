import type { FeatureNamesSource } from './classifier-interpretation.js';
import { METADATA_FEATURE_NAMES } from './onnx-layout.js';
import { readClassifierGraph } from './read-classifier-graph.js';
import { resolveClassifierInputs } from './resolve-classifier-inputs.js';

export interface ResolvedFeatureNames {
  /** In the model's input order. */
  readonly featureNames: readonly string[];
  readonly source: Exclude<FeatureNamesSource, 'fallback'>;
}

/**
 * The feature names a classifier trained elsewhere will be read with, found from the graph alone,
 * before any reference row is read: `featureNames` when given, checked against the model's inputs;
 * else the model's own — its inputs' names when it takes one [N, 1] input per feature, else its
 * `driftwatch.feature_names` metadata; else null, when the model names none (one [N, F] input,
 * no metadata) and the caller must. These are the names, in the order, that `inspectClassifier`
 * uses with the same hint, so a caller can read exactly those columns of a reference file before
 * inspecting the model on its rows. Refuses as `inspectClassifier` does: bytes that are not ONNX
 * (`DW_MODEL_NOT_ONNX`), inputs it cannot read (`DW_MODEL_UNINTERPRETABLE`), names that do not
 * count the model's features (`DW_MODEL_FEATURE_MISMATCH`).
 *
 * @example
 * ```ts
 * const bytes = exportOnnx({
 *   family: 'logistic',
 *   featureNames: ['a', 'b'],
 *   standardization: { mean: [0, 0], scale: [1, 1] },
 *   weights: [1, -1],
 *   bias: 0,
 * });
 * resolveFeatureNames(bytes); // => {"featureNames":["a","b"],"source":"metadata"}
 * resolveFeatureNames(bytes, ['x', 'y']); // => {"featureNames":["x","y"],"source":"hint"}
 * let error;
 * try { resolveFeatureNames(bytes, ['x']); } catch (thrown) { error = thrown; }
 * error.code; // => "DW_MODEL_FEATURE_MISMATCH"
 * ```
 */
export function resolveFeatureNames(
  onnxBytes: Uint8Array,
  featureNames?: readonly string[],
): ResolvedFeatureNames | null {
  const graph = readClassifierGraph(onnxBytes);
  // One input names no feature (an exporter's `float_input` is not one); without metadata or a
  // hint, the names must come from the caller.
  if (
    featureNames === undefined &&
    graph.inputs.length <= 1 &&
    graph.metadata[METADATA_FEATURE_NAMES] === undefined
  ) {
    return null;
  }
  const inputs = resolveClassifierInputs(graph.inputs, graph.metadata, featureNames, undefined);
  const { featureNamesSource: source } = inputs;
  if (source === 'fallback') return null;
  return { featureNames: inputs.featureNames, source };
}
