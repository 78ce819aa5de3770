/**
 * - `DW_DEMO_BAD_OPTION`: an option of the replay is out of range (a rate, a model name).
 */
export type DemoErrorCode = 'DW_DEMO_BAD_OPTION';

/** An expected failure of the demo package: the message is one line a person can act on. */
export class DemoError extends Error {
  override readonly name = 'DemoError';
  readonly code: DemoErrorCode;
  /** None is: the same options fail the same way. */
  readonly retriable = false;
  readonly input: string | undefined;

  constructor(
    code: DemoErrorCode,
    message: string,
    options: { input?: string; cause?: unknown } = {},
  ) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
    this.input = options.input;
  }
}
