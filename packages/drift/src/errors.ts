import { DriftwatchError, optionChecks } from '@driftwatch/errors';

/**
 * - `DW_DRIFT_INVALID_OPTION`: an option is missing, out of range or of the wrong kind.
 * - `DW_DRIFT_INVALID_INPUT`: a value given to `update` (or a window) is not what it must be.
 * - `DW_DRIFT_INVALID_STATE`: a snapshot given to a `fromJSON` cannot be continued.
 */
export type DriftErrorCode =
  'DW_DRIFT_INVALID_OPTION' | 'DW_DRIFT_INVALID_INPUT' | 'DW_DRIFT_INVALID_STATE';

/**
 * The one error type this package throws. Never retriable: the same call fails the same way, so
 * callers (the bus's retry) pass it on.
 */
export class DriftError extends DriftwatchError<DriftErrorCode> {
  override readonly name = 'DriftError';

  constructor(code: DriftErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, retriable: false });
  }
}

/** This package's option checks: each throws `DW_DRIFT_INVALID_OPTION`. */
export const option = optionChecks((message) => new DriftError('DW_DRIFT_INVALID_OPTION', message));
