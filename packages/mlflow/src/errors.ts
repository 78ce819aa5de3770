import { DriftwatchError } from '@driftwatch/errors';

/**
 * - `DW_MLFLOW_UNREACHABLE`: no answer from the tracking server (refused, reset, timed out).
 *   Retriable.
 * - `DW_MLFLOW_REFUSED`: the server answered with an error (`error_code` and message in the text);
 *   retriable when it is a 5xx or 429.
 * - `DW_MLFLOW_BAD_RESPONSE`: a 2xx answer without what the API documents.
 */
export type MlflowErrorCode =
  'DW_MLFLOW_UNREACHABLE' | 'DW_MLFLOW_REFUSED' | 'DW_MLFLOW_BAD_RESPONSE';

/** Errors of talking to MLflow; `status` and `errorCode` are the server's, when it answered. */
export class MlflowError extends DriftwatchError<MlflowErrorCode> {
  override readonly name = 'MlflowError';
  readonly status: number | undefined;
  readonly errorCode: string | undefined;

  constructor(
    code: MlflowErrorCode,
    message: string,
    options: { status?: number; errorCode?: string; retriable: boolean; cause?: unknown },
  ) {
    const { status, errorCode, ...rest } = options;
    super(code, message, rest);
    this.status = status;
    this.errorCode = errorCode;
  }
}
