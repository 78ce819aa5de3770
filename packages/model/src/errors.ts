import { DriftwatchError } from '@driftwatch/errors';

/**
 * - `DW_MODEL_CHECKSUM_MISMATCH`: the ONNX bytes do not hash to the SHA-256 they came with.
 * - `DW_MODEL_INVALID`: onnxruntime cannot load the graph, or its inputs/outputs are not ours.
 * - `DW_MODEL_EXPORT_MISMATCH`: the exported ONNX does not score like the in-memory model.
 * - `DW_MODEL_RELEASED`: a scorer was used after `release()`.
 * - `DW_MODEL_SCORING_FAILED`: onnxruntime failed on a batch it had accepted.
 * - `DW_MODEL_INVALID_INPUT`: the caller passed a matrix or rows of the wrong shape or values.
 * - `DW_MODEL_NOT_ONNX`: the bytes do not decode as an ONNX model at all.
 * - `DW_MODEL_UNINTERPRETABLE`: a classifier trained elsewhere has inputs or outputs the loader
 *   cannot read as features in and class probabilities out (including outputs shaped like
 *   probabilities whose values are not).
 * - `DW_MODEL_FEATURE_MISMATCH`: the feature names (given, or found in the model) disagree with
 *   the model's inputs.
 * - `DW_MODEL_CLASS_MISMATCH`: the class labels (given, or found in the model) disagree with the
 *   model's probability output.
 */
export type ModelErrorCode =
  | 'DW_MODEL_CHECKSUM_MISMATCH'
  | 'DW_MODEL_INVALID'
  | 'DW_MODEL_EXPORT_MISMATCH'
  | 'DW_MODEL_RELEASED'
  | 'DW_MODEL_SCORING_FAILED'
  | 'DW_MODEL_INVALID_INPUT'
  | 'DW_MODEL_NOT_ONNX'
  | 'DW_MODEL_UNINTERPRETABLE'
  | 'DW_MODEL_FEATURE_MISMATCH'
  | 'DW_MODEL_CLASS_MISMATCH';

/**
 * Errors of the model runtime. None is retriable: the same bytes fail the same checksum, the same
 * graph fails to load the same way, the same export disagrees the same way. `details` carries the
 * numbers a log line or a rejected model-version record should show (checksums, the worst row).
 */
export class ModelError extends DriftwatchError<ModelErrorCode> {
  override readonly name = 'ModelError';
  readonly details: Readonly<Record<string, string | number>>;

  constructor(
    code: ModelErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, string | number> } = {},
  ) {
    super(code, message, { cause: options.cause, retriable: false });
    this.details = Object.freeze({ ...options.details });
  }
}
