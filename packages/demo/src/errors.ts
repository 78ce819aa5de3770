import { DriftwatchError } from '@driftwatch/errors';

/**
 * - `DW_DEMO_SEND_FAILED`: Kafka did not take a replay's batch through its retries; the message
 *   says how many events and labels were sent before it.
 * - `DW_DEMO_BAD_OPTION`: an option of the replay is out of range (a rate, a model name), or a
 *   closed loop's row has a label none of its classes names.
 * - `DW_DEMO_SERVICE_EXITED`: a service the demo started exited while it was asked for its
 *   metrics; the message names its log.
 */
export type DemoErrorCode = 'DW_DEMO_BAD_OPTION' | 'DW_DEMO_SERVICE_EXITED' | 'DW_DEMO_SEND_FAILED';

/**
 * An expected failure of the demo package: the message is one line a person can act on. None is
 * retriable: the same options fail the same way.
 */
export class DemoError extends DriftwatchError<DemoErrorCode> {
  override readonly name = 'DemoError';
  readonly input: string | undefined;

  constructor(
    code: DemoErrorCode,
    message: string,
    options: { input?: string; cause?: unknown } = {},
  ) {
    const { input, ...rest } = options;
    super(code, message, { ...rest, retriable: false });
    this.input = input;
  }
}
