import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import avro from 'avsc';
import type { Schema, Type } from 'avsc';

/**
 * The subset of the Confluent Schema Registry REST API that `@kafkajs/confluent-schema-registry`
 * calls to register Avro schemas and to look them up by id, served from memory over `node:http`.
 * It stands in for the real registry in tests (docker-compose runs the real one):
 *
 * - `GET /config/{subject}` → `{compatibilityLevel}`, or 404 / 40408 while the subject has no
 *   level of its own (the client takes that to mean "first registration").
 * - `PUT /config/{subject}` `{compatibility}` → `{compatibility}`; 422 / 42203 for an unknown level.
 * - `POST /subjects/{subject}/versions` `{schema, schemaType?, references?}` → `{id}`. Ids are
 *   global: the same schema gets the same id under every subject, and registering a subject's
 *   existing schema again adds no version. A new schema is checked against the subject's level
 *   (default BACKWARD) with avsc's schema resolution: 409 / 409 when incompatible, 422 / 42201
 *   when it is not a valid Avro schema (only Avro, without references, is supported).
 * - `GET /schemas/ids/{id}` → `{schema}`; 404 / 40403 for an unknown id.
 * - `GET /subjects` → names; `GET /subjects/{subject}/versions/{version|latest}` →
 *   `{subject, version, id, schema}`; 404 / 40401 and 40402 when missing.
 *
 * Errors have the registry's body `{error_code, message}`; responses and accepted request bodies
 * use `application/vnd.schemaregistry.v1+json` (or plain JSON), anything else is 415.
 */
export class InMemorySchemaRegistry {
  readonly url: string;
  /** Every request served, as `METHOD /path`, for asserting what a client asked. */
  readonly requests: string[] = [];
  /**
   * `'backend-unavailable'`: every request fails as when the registry's Kafka store is down
   * (500 / 50001). `'no-response'`: requests are accepted and never answered.
   */
  fault: 'backend-unavailable' | 'no-response' | null = null;

  readonly #server: Server;
  readonly #schemas: { text: string; type: Type }[] = [];
  readonly #subjects = new Map<string, number[]>();
  readonly #compatibility = new Map<string, CompatibilityLevel>();

  private constructor(server: Server) {
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(): Promise<InMemorySchemaRegistry> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const registry = new InMemorySchemaRegistry(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      registry.#serve(request, response).catch((error: unknown) => {
        reply(response, 500, { error_code: 50001, message: String(error) });
      });
    });
    return registry;
  }

  /** Stops listening and drops open connections: clients then see "connection refused". */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://registry').pathname;
    const body = await readBody(request);
    this.requests.push(`${method} ${decodeURIComponent(path)}`);
    if (this.fault === 'no-response') return;
    if (this.fault === 'backend-unavailable') {
      reply(response, 500, { error_code: 50001, message: 'Error in the backend data store' });
      return;
    }
    try {
      if (body.length > 0 && !acceptsMediaType(request.headers['content-type'])) {
        throw new RegistryProblem(415, 415, 'HTTP 415 Unsupported Media Type');
      }
      reply(response, 200, this.#route(method, path.split('/').slice(1), body));
    } catch (error) {
      if (!(error instanceof RegistryProblem)) throw error;
      reply(response, error.status, { error_code: error.errorCode, message: error.message });
    }
  }

  #route(method: string, segments: readonly string[], body: string): unknown {
    const [resource, name, sub, version, ...rest] = segments.map(decodeURIComponent);
    const allow = (allowed: string): void => {
      if (method !== allowed) throw new RegistryProblem(405, 405, 'HTTP 405 Method Not Allowed');
    };
    if (rest.length === 0) {
      if (resource === 'config' && name !== undefined && sub === undefined) {
        if (method === 'PUT') return this.#updateConfig(name, parseJson(body));
        allow('GET');
        return this.#config(name);
      }
      if (resource === 'schemas' && name === 'ids' && sub !== undefined && version === undefined) {
        allow('GET');
        return this.#schemaById(sub);
      }
      if (resource === 'subjects' && name === undefined) {
        allow('GET');
        return [...this.#subjects.keys()];
      }
      if (resource === 'subjects' && name !== undefined && sub === 'versions') {
        if (version === undefined) {
          allow('POST');
          return this.#register(name, parseJson(body));
        }
        allow('GET');
        return this.#version(name, version);
      }
    }
    throw new RegistryProblem(404, 404, 'HTTP 404 Not Found');
  }

  #config(subject: string): unknown {
    const level = this.#compatibility.get(subject);
    if (level === undefined) {
      throw new RegistryProblem(
        404,
        40408,
        `Subject '${subject}' does not have subject-level compatibility configured`,
      );
    }
    return { compatibilityLevel: level };
  }

  #updateConfig(subject: string, body: unknown): unknown {
    const level = (body as { compatibility?: unknown } | null)?.compatibility;
    if (!isCompatibilityLevel(level)) {
      throw new RegistryProblem(422, 42203, 'Invalid compatibility level');
    }
    this.#compatibility.set(subject, level);
    return { compatibility: level };
  }

  #schemaById(id: string): unknown {
    const schema = /^\d+$/.test(id) ? this.#schemas[Number(id) - 1] : undefined;
    if (schema === undefined) throw new RegistryProblem(404, 40403, `Schema ${id} not found`);
    return { schema: schema.text };
  }

  #version(subject: string, version: string): unknown {
    const ids = this.#subjects.get(subject);
    if (ids === undefined) throw new RegistryProblem(404, 40401, `Subject '${subject}' not found.`);
    const number = version === 'latest' || version === '-1' ? ids.length : Number(version);
    const id = Number.isInteger(number) ? ids[number - 1] : undefined;
    const schema = id === undefined ? undefined : this.#schemas[id - 1];
    if (id === undefined || schema === undefined) {
      throw new RegistryProblem(404, 40402, `Version ${version} not found.`);
    }
    return { subject, version: number, id, schema: schema.text };
  }

  #register(subject: string, body: unknown): unknown {
    const { schema, schemaType, references } = (body ?? {}) as Record<string, unknown>;
    if (schemaType !== undefined && schemaType !== 'AVRO') {
      throw new RegistryProblem(
        422,
        42201,
        `Invalid schema: schemaType ${JSON.stringify(schemaType)} is not supported here`,
      );
    }
    if (Array.isArray(references) && references.length > 0) {
      throw new RegistryProblem(422, 42201, 'Invalid schema: references are not supported here');
    }
    if (typeof schema !== 'string') throw new RegistryProblem(422, 42201, 'Empty schema');
    let text: string;
    let type: Type;
    try {
      text = JSON.stringify(JSON.parse(schema));
      type = avro.Type.forSchema(JSON.parse(schema) as Schema);
    } catch (error) {
      throw new RegistryProblem(
        422,
        42201,
        `Invalid schema ${schema}: ${(error as Error).message}`,
      );
    }
    const versions = this.#subjects.get(subject) ?? [];
    const known = this.#schemas.findIndex((entry) => entry.text === text) + 1;
    if (known > 0 && versions.includes(known)) return { id: known };

    const level = this.#compatibility.get(subject) ?? 'BACKWARD';
    const against = level.endsWith('_TRANSITIVE') ? versions : versions.slice(-1);
    for (const earlierId of against) {
      const earlier = this.#schemas[earlierId - 1];
      if (earlier === undefined) continue;
      const problem = incompatibility(level, type, earlier.type);
      if (problem !== undefined) {
        throw new RegistryProblem(
          409,
          409,
          `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${problem}]`,
        );
      }
    }
    let id = known;
    if (id === 0) {
      this.#schemas.push({ text, type });
      id = this.#schemas.length;
    }
    this.#subjects.set(subject, [...versions, id]);
    return { id };
  }
}

const compatibilityLevels = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;
type CompatibilityLevel = (typeof compatibilityLevels)[number];

function isCompatibilityLevel(value: unknown): value is CompatibilityLevel {
  return compatibilityLevels.some((level) => level === value);
}

/**
 * Why `candidate` may not follow `earlier` under `level`, or undefined. BACKWARD: readers with the
 * new schema read data written with the old one; FORWARD: the other way round; FULL: both.
 */
function incompatibility(
  level: CompatibilityLevel,
  candidate: Type,
  earlier: Type,
): string | undefined {
  const checks: [reader: Type, writer: Type][] = [];
  if (level.startsWith('BACKWARD') || level.startsWith('FULL')) checks.push([candidate, earlier]);
  if (level.startsWith('FORWARD') || level.startsWith('FULL')) checks.push([earlier, candidate]);
  for (const [reader, writer] of checks) {
    try {
      reader.createResolver(writer);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return undefined;
}

class RegistryProblem extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

const registryMediaType = 'application/vnd.schemaregistry.v1+json';
const acceptedMediaTypes = [
  registryMediaType,
  'application/vnd.schemaregistry+json',
  'application/json',
  'application/octet-stream',
];

function acceptsMediaType(header: string | undefined): boolean {
  const mediaType = header?.split(';')[0]?.trim().toLowerCase();
  return mediaType !== undefined && acceptedMediaTypes.includes(mediaType);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new RegistryProblem(400, 400, `Unrecognized JSON: ${(error as Error).message}`);
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': registryMediaType });
  response.end(JSON.stringify(body));
}
