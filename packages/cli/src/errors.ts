import { DriftwatchError } from '@driftwatch/errors';

/**
 * - `DW_CLI_BAD_DURATION`, `DW_CLI_BAD_LABEL_DELAY`, `DW_CLI_BAD_TIME`: an option's text does not
 *   parse as what it names.
 * - `DW_CLI_BAD_OPTION`: an option parses but is out of range (a rate, a fraction, a model name).
 * - `DW_CLI_KAFKA_UNREACHABLE`: no broker answered within the CLI's short timeouts.
 * - `DW_CLI_TOPIC_MISSING`: a topic the command must read or write does not exist.
 * - `DW_CLI_UNKNOWN_MODEL`: the registry holds no version of the model asked about, or not the
 *   version number asked about.
 * - `DW_CLI_NOT_A_CANDIDATE`: `promote` or `reject` named a version that is not a candidate
 *   awaiting a decision, or (`promote`) one older than the version serving.
 * - `DW_CLI_NO_ROLLBACK`: `rollback` has nowhere to go: no version serves, the serving one has no
 *   parent, or `--to` names the serving version or one that never served.
 * - `DW_CLI_EMPTY_RANGE`: the topics hold no record of the model in the time range asked about.
 * - `DW_CLI_UNKNOWN_SERVICE`, `DW_CLI_SERVICE_NOT_BUILT`: `run` cannot start the service.
 * - `DW_CLI_TIMEOUT`: Kafka answered but a read did not finish in time.
 * - `DW_CLI_MODEL_REFUSED`: `models register` refuses the model or its reference file (not ONNX,
 *   features or outputs it cannot read, a bad reference cell, a class the model does not list);
 *   nothing was published.
 */
export type CliErrorCode =
  | 'DW_CLI_BAD_DURATION'
  | 'DW_CLI_BAD_LABEL_DELAY'
  | 'DW_CLI_BAD_TIME'
  | 'DW_CLI_BAD_OPTION'
  | 'DW_CLI_KAFKA_UNREACHABLE'
  | 'DW_CLI_TOPIC_MISSING'
  | 'DW_CLI_UNKNOWN_MODEL'
  | 'DW_CLI_NOT_A_CANDIDATE'
  | 'DW_CLI_NO_ROLLBACK'
  | 'DW_CLI_EMPTY_RANGE'
  | 'DW_CLI_UNKNOWN_SERVICE'
  | 'DW_CLI_SERVICE_NOT_BUILT'
  | 'DW_CLI_TIMEOUT'
  | 'DW_CLI_MODEL_REFUSED';

/**
 * An expected failure of a command: the message is one line a person can act on, so `main` prints
 * it without a stack trace. `input` is the text the user gave, when the failure is about one.
 */
export class CliError extends DriftwatchError<CliErrorCode> {
  override readonly name = 'CliError';
  readonly input: string | undefined;

  constructor(
    code: CliErrorCode,
    message: string,
    options: { input?: string; retriable?: boolean; cause?: unknown } = {},
  ) {
    const { input, ...rest } = options;
    super(code, message, rest);
    this.input = input;
  }
}
