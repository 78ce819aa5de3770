import { DriftwatchError } from '@driftwatch/errors';

import type { DeadLetterCode } from './messages/dead-letter-code.js';

/** Decoding failures are dead-letter codes: the record goes to `dead-letter` with this code. */
export type DecodeErrorCode = Extract<
  DeadLetterCode,
  'DW_MALFORMED_JSON' | 'DW_SCHEMA_VIOLATION' | 'DW_MALFORMED_AVRO' | 'DW_EMPTY_MESSAGE'
>;

/**
 * A record that cannot be read as its topic's message. Never retriable: the same bytes fail the
 * same way, so the record goes to the dead-letter topic with this reason.
 */
export class DecodeError extends DriftwatchError<DecodeErrorCode> {
  override readonly name = 'DecodeError';

  constructor(code: DecodeErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, retriable: false });
  }
}

export type EncodeErrorCode = 'DW_TOPICS_UNENCODABLE_MESSAGE';

/**
 * A message that does not fit its topic's Avro schema: a bug in the producing code, so never
 * retriable. The message names the offending fields, not their values (an ONNX model is large).
 */
export class EncodeError extends DriftwatchError<EncodeErrorCode> {
  override readonly name = 'EncodeError';

  constructor(code: EncodeErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, retriable: false });
  }
}

export type SchemaRegistryErrorCode =
  'DW_SCHEMA_REGISTRY_UNAVAILABLE' | 'DW_SCHEMA_REGISTRY_REJECTED';

/**
 * The Schema Registry failed us, as opposed to the record being bad. Kept apart from
 * {@link DecodeError} because services act differently: an unavailable registry (unreachable,
 * timing out, 5xx) is retriable and the batch is retried, so good data is not dead-lettered; a
 * registry that rejects a request (an incompatible schema, bad credentials) is not.
 */
export class SchemaRegistryError extends DriftwatchError<SchemaRegistryErrorCode> {
  override readonly name = 'SchemaRegistryError';
  /** The HTTP status the registry answered with; undefined when it did not answer. */
  readonly status: number | undefined;

  constructor(
    code: SchemaRegistryErrorCode,
    message: string,
    options: { retriable: boolean; status?: number | undefined; cause?: unknown },
  ) {
    super(code, message, { retriable: options.retriable, cause: options.cause });
    this.status = options.status;
  }
}
