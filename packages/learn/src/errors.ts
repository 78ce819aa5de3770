export type LearnErrorCode = 'DW_INVALID_OPTION' | 'DW_INVALID_INPUT' | 'DW_NOT_CONVERGED';

/**
 * The one error type this package throws: bad options at construction, bad rows or labels at
 * fit/predict time, and a fit that cannot reach its tolerance. None is retriable: the same inputs
 * fail the same way, since everything here is deterministic.
 */
export class LearnError extends Error {
  override readonly name = 'LearnError';
  readonly code: LearnErrorCode;
  readonly retriable = false;

  constructor(code: LearnErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
