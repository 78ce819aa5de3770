export type DriftErrorCode = 'DW_INVALID_OPTION' | 'DW_INVALID_INPUT' | 'DW_INVALID_STATE';

/**
 * The one error type this package throws: bad options at construction, bad values at update, a
 * bad snapshot given to a `fromJSON` (`DW_INVALID_STATE`). Never retriable: the same call fails
 * the same way, so callers (the bus's retry) pass it on.
 */
export class DriftError extends Error {
  override readonly name = 'DriftError';
  readonly code: DriftErrorCode;
  readonly retriable = false;

  constructor(code: DriftErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
