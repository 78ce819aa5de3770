import { SchemaRegistryError } from './errors.js';

/** The level the registry client registers with and insists a subject has (its default). */
export const subjectCompatibility = 'BACKWARD';

const confluentContentType = 'application/vnd.schemaregistry.v1+json';

/**
 * Gives a subject that has no compatibility level of its own driftwatch's, before its first
 * schema is registered. The registry client sets the level only after registering, so two
 * services registering a new subject at once raced: on Apicurio Registry the loser read the
 * winner's subject as NONE in between and refused to register. Claiming the level first leaves
 * nothing in between; a level an operator set is left alone (the client then says if it differs).
 */
export async function claimSubjectCompatibility(options: {
  registryUrl: string;
  subject: string;
  timeoutMs: number;
}): Promise<void> {
  const { registryUrl, subject, timeoutMs } = options;
  const url = `${registryUrl.replace(/\/+$/, '')}/config/${encodeURIComponent(subject)}`;
  const current = await request(url, { method: 'GET' }, options);
  if (current.status !== 404) return;
  await request(
    url,
    {
      method: 'PUT',
      headers: { 'content-type': confluentContentType },
      body: JSON.stringify({ compatibility: subjectCompatibility }),
    },
    { subject, timeoutMs },
  );
}

async function request(
  url: string,
  init: RequestInit,
  { subject, timeoutMs }: { subject: string; timeoutMs: number },
): Promise<Response> {
  const doing = `${init.method ?? 'GET'} /config/${subject}`;
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const reason = unreachable(error, timeoutMs);
    throw new SchemaRegistryError(
      'DW_SCHEMA_REGISTRY_UNAVAILABLE',
      `Schema Registry unavailable while setting the compatibility of subject "${subject}" (${doing}): ${reason}`,
      { retriable: true, cause: error },
    );
  }
  if (response.ok || (init.method === 'GET' && response.status === 404)) return response;
  const said = (await response.text()).slice(0, 500);
  const unavailable = response.status === 408 || response.status === 429 || response.status >= 500;
  throw new SchemaRegistryError(
    unavailable ? 'DW_SCHEMA_REGISTRY_UNAVAILABLE' : 'DW_SCHEMA_REGISTRY_REJECTED',
    `Schema Registry ${unavailable ? 'unavailable' : 'refused'} while setting the compatibility of subject "${subject}" (${doing}): HTTP ${response.status} ${said}`,
    { retriable: unavailable, status: response.status },
  );
}

/** fetch says only "fetch failed"; the socket's reason (ECONNREFUSED, …) is in its cause. */
function unreachable(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `Timeout: no answer within ${timeoutMs} ms`;
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return typeof cause?.code === 'string' ? `${message} (${cause.code})` : message;
}
