import { readStackConfig, schemaRegistryStatus } from '@driftwatch/stack';

/**
 * The Confluent-API URL of the local stack's schema registry (Apicurio) when it runs, for tests
 * that want the real server; undefined when the stack has none. `npm test` enables it, and then a
 * registry that is not running is an error rather than a reason to test against something else.
 */
export async function stackSchemaRegistryUrl(): Promise<string | undefined> {
  const config = readStackConfig(process.env);
  const status = await schemaRegistryStatus(config);
  if (status.state === 'running') return config.schemaRegistry.url;
  if (config.schemaRegistry.enabled) {
    throw new Error(
      `DRIFTWATCH_SCHEMA_REGISTRY is on but the stack's schema registry on ${status.address} is ${status.state}: ` +
        'run `npm run stack:up -- --with-registry` (with the same variables) first',
    );
  }
  return undefined;
}

const confluentContentType = 'application/vnd.schemaregistry.v1+json';

/**
 * Registers `schema` (Avro, as an object) as a new subject the way driftwatch's registry client
 * (@kafkajs/confluent-schema-registry) does: the schema, then the subject's own compatibility
 * level, BACKWARD. The level matters on Apicurio: a subject without one reads as NONE there (on
 * Confluent's registry, as unset), and the client then refuses to register into it.
 */
export async function registerSchema(
  registryUrl: string,
  subject: string,
  schema: unknown,
): Promise<number> {
  const registered = await fetch(`${registryUrl}/subjects/${subject}/versions`, {
    method: 'POST',
    headers: { 'content-type': confluentContentType },
    body: JSON.stringify({ schema: JSON.stringify(schema) }),
  });
  if (!registered.ok) throw new Error(`registering ${subject}: HTTP ${registered.status}`);
  const configured = await fetch(`${registryUrl}/config/${subject}`, {
    method: 'PUT',
    headers: { 'content-type': confluentContentType },
    body: JSON.stringify({ compatibility: 'BACKWARD' }),
  });
  if (!configured.ok) throw new Error(`configuring ${subject}: HTTP ${configured.status}`);
  return ((await registered.json()) as { id: number }).id;
}

/** The versions registered under `subject`, oldest first. */
export async function subjectVersions(registryUrl: string, subject: string): Promise<number[]> {
  const response = await fetch(`${registryUrl}/subjects/${subject}/versions`);
  if (!response.ok) throw new Error(`listing ${subject}: HTTP ${response.status}`);
  return (await response.json()) as number[];
}
