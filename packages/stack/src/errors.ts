export type StackErrorCode =
  | 'DW_STACK_NO_JAVA'
  | 'DW_STACK_NO_MAVEN'
  | 'DW_STACK_MAVEN_UNREACHABLE'
  | 'DW_STACK_KAFKA_VERSION_UNKNOWN'
  | 'DW_STACK_PROVISION_FAILED'
  | 'DW_STACK_PORT_TAKEN'
  | 'DW_STACK_NO_REDIS'
  | 'DW_STACK_START_FAILED'
  | 'DW_STACK_BAD_ADDRESS';

/** A problem a newcomer can fix: the message says what is wrong and what to do. */
export class StackError extends Error {
  override readonly name = 'StackError';
  readonly code: StackErrorCode;

  constructor(code: StackErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
