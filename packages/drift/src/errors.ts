export type DriftErrorCode = 'DW_INVALID_OPTION' | 'DW_INVALID_INPUT';

/** The one error type this package throws: bad options at construction, bad values at update. */
export class DriftError extends Error {
  override readonly name = 'DriftError';
  readonly code: DriftErrorCode;

  constructor(code: DriftErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
