/**
 * The contract between `exportOnnx` and `OnnxScorer`: tensor names, the opset, and the metadata
 * keys that carry what the graph alone cannot say (which column is which feature).
 */
export const INPUT_NAME = 'features';
export const OUTPUT_NAME = 'probability';

/** ONNX IR version 8 (ONNX 1.10) and the default-domain opset 13, both long supported by ORT. */
export const IR_VERSION = 8;
export const OPSET_VERSION = 13;

export const METADATA_FORMAT = 'driftwatch.format';
export const METADATA_FEATURE_NAMES = 'driftwatch.feature_names';
export const METADATA_MODEL_FAMILY = 'driftwatch.model_family';
export const METADATA_ACTIVATION = 'driftwatch.activation';
/**
 * Class labels (JSON array) in the order of the probability output: written by training programs
 * (examples/sklearn-trainer/train.py) whose classifier node only knows class indices.
 */
export const METADATA_CLASSES = 'driftwatch.classes';

/** Bumped if the graph's input, output or metadata contract ever changes. */
export const FORMAT_VERSION = '1';
