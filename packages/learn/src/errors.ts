import { DriftwatchError, optionChecks } from '@driftwatch/errors';

/**
 * - `DW_LEARN_INVALID_OPTION`: an option is missing, out of range or of the wrong kind.
 * - `DW_LEARN_INVALID_INPUT`: rows, labels or feature names are malformed (wrong width, NaN).
 * - `DW_LEARN_ONE_CLASS`: the training labels hold one class only, so there is nothing to learn
 *   to tell apart — a property of the data window, not a bug in the caller.
 * - `DW_LEARN_MISSING_CLASS`: a multiclass fit has no training row of some class (while at least
 *   two are present), so nothing can be learned about it — also a property of the data window.
 * - `DW_LEARN_NOT_CONVERGED`: a fit did not reach its tolerance.
 */
export type LearnErrorCode =
  | 'DW_LEARN_INVALID_OPTION'
  | 'DW_LEARN_INVALID_INPUT'
  | 'DW_LEARN_ONE_CLASS'
  | 'DW_LEARN_MISSING_CLASS'
  | 'DW_LEARN_NOT_CONVERGED';

/**
 * The one error type this package throws. None is retriable: the same inputs fail the same way,
 * since everything here is deterministic.
 */
export class LearnError extends DriftwatchError<LearnErrorCode> {
  override readonly name = 'LearnError';

  constructor(code: LearnErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, retriable: false });
  }
}

/** This package's option checks: each throws `DW_LEARN_INVALID_OPTION`. */
export const option = optionChecks((message) => new LearnError('DW_LEARN_INVALID_OPTION', message));
