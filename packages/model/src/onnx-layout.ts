/**
 * The contract between `exportOnnx` and `OnnxScorer`: tensor names, the opset, and the metadata
 * keys that carry what the graph alone cannot say (which column is which feature).
 */
export const INPUT_NAME = 'features';
/** A binary export's output: P(class 1), float32 [N, 1]. */
export const OUTPUT_NAME = 'probability';
/** A multiclass export's output: every class's probability, float32 [N, K]. */
export const CLASS_PROBABILITIES_NAME = 'probabilities';

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

/** K, in decimal, on multiclass exports only: its absence means a binary export. */
export const METADATA_CLASS_COUNT = 'driftwatch.class_count';

/**
 * Bumped if the graph's input, output or metadata contract ever changes. Multiclass exports (the
 * class-count metadata, the `probabilities` output) extended format 1 without changing a byte of a
 * binary export.
 */
export const FORMAT_VERSION = '1';
