import type { ClassifierInterpretation, FeatureNamesSource } from './classifier-interpretation.js';
import { formatOnnxValue, type OnnxValueDescription } from './describe-onnx-value.js';
import { ModelError } from './errors.js';
import { formatList } from './format-list.js';
import { isUniqueNames } from './is-unique-names.js';
import { METADATA_FEATURE_NAMES } from './onnx-layout.js';

export interface ClassifierInputs {
  readonly inputLayout: ClassifierInterpretation['inputLayout'];
  /** The graph inputs to feed, in order: one for `matrix`, one per feature for `per-feature`. */
  readonly inputNames: readonly string[];
  readonly featureNames: readonly string[];
  readonly featureNamesSource: FeatureNamesSource;
}

const EXPECTED_INPUTS = 'expected one float tensor [N, F] or one float [N, 1] tensor per feature';

/**
 * Reads the input layout and names the features. Layouts: one float tensor [N, F]
 * (torch.onnx.export, tf2onnx, skl2onnx with one input), or several float [N, 1] tensors, one per
 * feature (skl2onnx given named columns). A single [N, 1] input is the first layout with F = 1:
 * an exporter's generic input name (`float_input`) is not a feature name.
 *
 * Feature names, first found: `hinted`; the inputs' own names (per-feature layout); the model's
 * `driftwatch.feature_names` metadata; `fallback`. Whichever is used must count as many names as
 * the model has features (`DW_MODEL_FEATURE_MISMATCH`); hinted names that are exactly the inputs'
 * names in another order are taken in the inputs' order, since such inputs are fed by name.
 */
export function resolveClassifierInputs(
  inputs: readonly OnnxValueDescription[],
  metadata: Readonly<Record<string, string>>,
  hinted: readonly string[] | undefined,
  fallback: readonly string[] | undefined,
): ClassifierInputs {
  const found = inputs.map(formatOnnxValue).join(', ') || 'none';
  const uninterpretable = (why: string): ModelError =>
    new ModelError(
      'DW_MODEL_UNINTERPRETABLE',
      `cannot interpret the model's inputs: ${why}; found ${found}; ${EXPECTED_INPUTS}`,
    );
  const [input] = inputs;
  if (!input) throw uninterpretable('it has none');
  const notFloat = inputs.filter((input) => input.type !== 'tensor(float)');
  if (notFloat.length > 0) {
    throw uninterpretable(`${notFloat.map((input) => input.name).join(', ')} not float tensors`);
  }

  if (inputs.length > 1) {
    const notColumns = inputs.filter((input) => !isColumn(input));
    if (notColumns.length > 0) {
      throw uninterpretable(
        `${inputs.length} inputs, not all [N, 1] (${notColumns.map((input) => input.name).join(', ')})`,
      );
    }
    const inputNames = inputs.map((input) => input.name);
    const what = `${inputs.length} inputs, one per feature (${formatList(inputNames)})`;
    if (hinted) {
      const sameNames =
        hinted.length === inputNames.length && inputNames.every((name) => hinted.includes(name));
      return {
        inputLayout: 'per-feature',
        inputNames,
        featureNames: sameNames ? inputNames : counted(hinted, inputs.length, what, 'hint'),
        featureNamesSource: 'hint',
      };
    }
    return {
      inputLayout: 'per-feature',
      inputNames,
      featureNames: inputNames,
      featureNamesSource: 'input-names',
    };
  }

  if (input.shape.length !== 2) {
    throw uninterpretable(`${input.name} has ${input.shape.length} dimensions, not 2`);
  }
  const declared = input.shape[1];
  // A symbolic width cannot be checked here; onnxruntime refuses a wrong one on the first run.
  const width = typeof declared === 'number' ? declared : undefined;
  const what = `${width ?? 'F'} features (${formatOnnxValue(input)})`;
  const fromMetadata = metadataNames(metadata);
  const [names, source]: [readonly string[] | undefined, FeatureNamesSource] = hinted
    ? [hinted, 'hint']
    : fromMetadata
      ? [fromMetadata, 'metadata']
      : [fallback, 'fallback'];
  if (!names) {
    throw new ModelError(
      'DW_MODEL_FEATURE_MISMATCH',
      `the model does not name its ${what}: no ${METADATA_FEATURE_NAMES} metadata, and no feature names were given`,
    );
  }
  return {
    inputLayout: 'matrix',
    inputNames: [input.name],
    featureNames: counted(names, width, what, source),
    featureNamesSource: source,
  };
}

function isColumn(input: OnnxValueDescription): boolean {
  return input.shape.length === 2 && input.shape[1] === 1;
}

const GIVEN: Record<FeatureNamesSource, (count: number) => string> = {
  hint: (count) => `${count} feature names were given`,
  'input-names': (count) => `it has ${count} inputs`,
  metadata: (count) => `its ${METADATA_FEATURE_NAMES} metadata names ${count}`,
  fallback: (count) => `${count} fallback feature names were given`,
};

function counted(
  names: readonly string[],
  expected: number | undefined,
  what: string,
  source: FeatureNamesSource,
): readonly string[] {
  if (expected !== undefined && names.length !== expected) {
    throw new ModelError(
      'DW_MODEL_FEATURE_MISMATCH',
      `the model takes ${what} but ${GIVEN[source](names.length)}: ${formatList(names)}`,
      { details: { expected, given: names.length, source } },
    );
  }
  return names;
}

/** `driftwatch.feature_names` as train.py in examples/sklearn-trainer writes it, if usable. */
function metadataNames(metadata: Readonly<Record<string, string>>): string[] | undefined {
  const json = metadata[METADATA_FEATURE_NAMES];
  if (json === undefined) return undefined;
  let names: unknown;
  try {
    names = JSON.parse(json);
  } catch (error) {
    throw new ModelError(
      'DW_MODEL_FEATURE_MISMATCH',
      `the model's ${METADATA_FEATURE_NAMES} metadata is not JSON: ${json.slice(0, 80)}`,
      { cause: error },
    );
  }
  if (!isUniqueNames(names)) {
    throw new ModelError(
      'DW_MODEL_FEATURE_MISMATCH',
      `the model's ${METADATA_FEATURE_NAMES} metadata must be a JSON array of unique non-empty names, got ${json.slice(0, 80)}`,
    );
  }
  return names;
}
