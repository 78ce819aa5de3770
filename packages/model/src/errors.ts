export type ModelErrorCode =
  | 'DW_MODEL_CHECKSUM_MISMATCH'
  | 'DW_MODEL_INVALID'
  | 'DW_MODEL_EXPORT_MISMATCH'
  | 'DW_MODEL_RELEASED'
  | 'DW_SCORING_FAILED'
  | 'DW_INVALID_INPUT';

/**
 * Errors of the model runtime. None is retriable: the same bytes fail the same checksum, the same
 * graph fails to load the same way, the same export disagrees the same way. `details` carries the
 * numbers a log line or a rejected model-version record should show (checksums, the worst row).
 */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly code: ModelErrorCode;
  readonly retriable = false;
  readonly details: Readonly<Record<string, string | number>>;

  constructor(
    code: ModelErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, string | number> } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.details = Object.freeze({ ...options.details });
  }
}
