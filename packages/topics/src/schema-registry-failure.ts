import { DecodeError, SchemaRegistryError } from './errors.js';
import { subjectCompatibility } from './subject-compatibility.js';

/** Sent as the registry client's id; its HTTP errors start with it (`driftwatch - …`). */
export const registryClientId = 'driftwatch';

/** The registry client's ResponseError (not exported by it): an HTTP request that failed. */
interface RegistryResponseError extends Error {
  status: number;
}

function isResponseError(error: unknown): error is RegistryResponseError {
  return (
    error instanceof Error && typeof (error as Partial<RegistryResponseError>).status === 'number'
  );
}

/**
 * Whether trying again later may work. The client's HTTP layer (mappersmith) reports a failure to
 * talk to the registry at all — connection refused or reset, DNS, a timeout — as status 400 with
 * the socket error as the message, and the registry does not answer 400 to the well-formed
 * requests the client sends, so a 400 means "unreachable" here.
 */
function isUnavailable(status: number): boolean {
  return status === 400 || status === 408 || status === 429 || status >= 500;
}

function registrySaid(error: Error): string {
  const prefix = `${registryClientId} - `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** Classifies a failure to register a topic's schema under `subject`. */
export function registrationFailure(error: unknown, subject: string): Error {
  if (isResponseError(error)) {
    if (isUnavailable(error.status)) {
      return new SchemaRegistryError(
        'DW_SCHEMA_REGISTRY_UNAVAILABLE',
        `Schema Registry unavailable while registering subject "${subject}": ${registrySaid(error)}`,
        { retriable: true, status: error.status, cause: error },
      );
    }
    return new SchemaRegistryError(
      'DW_SCHEMA_REGISTRY_REJECTED',
      `Schema Registry rejected the schema for subject "${subject}" (HTTP ${error.status}): ${registrySaid(error)}`,
      { retriable: false, status: error.status, cause: error },
    );
  }
  // The client refuses to register into a subject whose own compatibility level is not the one it
  // registers with (BACKWARD): an operator set another (claimSubjectCompatibility leaves it).
  if (error instanceof Error && error.name === 'ConfluentSchemaRegistryCompatibilityError') {
    return new SchemaRegistryError(
      'DW_SCHEMA_REGISTRY_REJECTED',
      `cannot register the schema for subject "${subject}": ${error.message}. ` +
        `driftwatch registers with ${subjectCompatibility} compatibility; set the subject's level to it with PUT /config/${subject} {"compatibility":"${subjectCompatibility}"}`,
      { retriable: false, cause: error },
    );
  }
  // Anything else is our own doing (an unreadable .avsc): a programmer error, passed on as is.
  return error instanceof Error ? error : new Error(String(error));
}

/** Classifies a failure to fetch the schema a record names by id. */
export function schemaLookupFailure(error: unknown, schemaId: number): Error {
  if (isResponseError(error)) {
    // As Confluent's own deserializers do: a record naming an id this registry never issued
    // (written against another registry, or a corrupt header) will not become readable by waiting.
    if (error.status === 404) {
      return new DecodeError(
        'DW_MALFORMED_AVRO',
        `schema id ${schemaId} is not registered in the Schema Registry: ${registrySaid(error)}`,
        { cause: error },
      );
    }
    if (isUnavailable(error.status)) {
      return new SchemaRegistryError(
        'DW_SCHEMA_REGISTRY_UNAVAILABLE',
        `Schema Registry unavailable while looking up schema id ${schemaId}: ${registrySaid(error)}`,
        { retriable: true, status: error.status, cause: error },
      );
    }
    return new SchemaRegistryError(
      'DW_SCHEMA_REGISTRY_REJECTED',
      `Schema Registry refused to look up schema id ${schemaId} (HTTP ${error.status}): ${registrySaid(error)}`,
      { retriable: false, status: error.status, cause: error },
    );
  }
  // The registry answered with a schema the client cannot read records with.
  const reason = error instanceof Error ? error.message : String(error);
  return new DecodeError(
    'DW_MALFORMED_AVRO',
    `schema id ${schemaId} cannot be used to read the record: ${reason}`,
    { cause: error },
  );
}
