/**
 * The base of every driftwatch error. `code` says what happened and is one of the throwing
 * package's closed set (`DW_<PACKAGE>_…`), so a caller never mistakes one package's failure for
 * another's; `retriable` says whether the same call may succeed later (a broker restart, Redis
 * back) and is kept apart from the code, as kafkajs keeps it, because one kind of failure can be
 * either depending on the cause. The bus retries only what is retriable.
 */
export class DriftwatchError<Code extends string = string> extends Error {
  override readonly name: string = 'DriftwatchError';
  readonly code: Code;
  readonly retriable: boolean;

  constructor(code: Code, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}
