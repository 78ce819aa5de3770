import { DriftwatchError } from '@driftwatch/errors';

export type StackErrorCode =
  | 'DW_STACK_NO_JAVA'
  | 'DW_STACK_NO_MAVEN'
  | 'DW_STACK_MAVEN_UNREACHABLE'
  | 'DW_STACK_KAFKA_VERSION_UNKNOWN'
  | 'DW_STACK_PROVISION_FAILED'
  | 'DW_STACK_PORT_TAKEN'
  | 'DW_STACK_NO_REDIS'
  | 'DW_STACK_NO_PROMETHEUS'
  | 'DW_STACK_START_FAILED'
  | 'DW_STACK_BAD_ADDRESS';

/**
 * Which failures may pass by themselves: Maven Central out of reach is the network's doing and a
 * later `stack:up` can succeed as it is; everything else needs the person to change something
 * (install Java, free a port, fix a variable) first.
 */
const retriableCodes: ReadonlySet<StackErrorCode> = new Set(['DW_STACK_MAVEN_UNREACHABLE']);

/** A problem a newcomer can fix: the message says what is wrong and what to do. */
export class StackError extends DriftwatchError<StackErrorCode> {
  override readonly name = 'StackError';

  constructor(code: StackErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, retriable: retriableCodes.has(code) });
  }
}
