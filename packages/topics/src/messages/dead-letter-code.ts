/**
 * Why a record went to `dead-letter`: the closed set dashboards, alert rules and
 * `driftwatch dead-letters --code` match on. These are the wire's vocabulary, shared by every
 * service, so they carry no package prefix; a new way to fail adds a code here first.
 *
 * - `DW_EMPTY_MESSAGE`, `DW_MALFORMED_JSON`, `DW_MALFORMED_AVRO`, `DW_SCHEMA_VIOLATION`: the bytes
 *   are not the topic's message (see {@link DecodeError}).
 * - `DW_UNKNOWN_MODEL`: an event for a model no promoted version serves.
 * - `DW_MISSING_FEATURE`, `DW_NON_FINITE_FEATURE`: an event lacks a feature the model takes (or
 *   the `embedding` of the length its version declares), or carries NaN/±Infinity for it.
 * - `DW_SCORING_FAILED`: the model failed on the event or returned a non-finite score.
 * - `DW_UNKNOWN_CLASS`: a label names none of the classes of the version that scored its event.
 * - `DW_RECORD_TOO_LARGE`: the record is over the service's `MAX_RECORD_BYTES`; refused unread,
 *   so a huge record can neither exhaust memory nor produce output over the broker's limit.
 * - `DW_HANDLER_FAILED`: the service threw on the record in a way retrying cannot fix (a bug
 *   the record triggers); isolated from its batch so the records around it still go through.
 */
export const deadLetterCodes = [
  'DW_EMPTY_MESSAGE',
  'DW_MALFORMED_JSON',
  'DW_MALFORMED_AVRO',
  'DW_SCHEMA_VIOLATION',
  'DW_UNKNOWN_MODEL',
  'DW_MISSING_FEATURE',
  'DW_NON_FINITE_FEATURE',
  'DW_SCORING_FAILED',
  'DW_UNKNOWN_CLASS',
  'DW_RECORD_TOO_LARGE',
  'DW_HANDLER_FAILED',
] as const;
export type DeadLetterCode = (typeof deadLetterCodes)[number];
