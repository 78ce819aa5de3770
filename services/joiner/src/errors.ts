import { DriftwatchError } from '@driftwatch/errors';

/** - `DW_JOINER_STORE_UNAVAILABLE`: Redis did not answer (connection lost, failover, timeout). */
export type JoinerErrorCode = 'DW_JOINER_STORE_UNAVAILABLE';

/** A Redis failure that retrying the batch may fix, so the bus retries it rather than failing. */
export class JoinStoreUnavailableError extends DriftwatchError<JoinerErrorCode> {
  override readonly name = 'JoinStoreUnavailableError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('DW_JOINER_STORE_UNAVAILABLE', message, { ...options, retriable: true });
  }
}
