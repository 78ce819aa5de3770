import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { InMemorySchemaRegistry } from './in-memory-schema-registry.js';

const mediaType = 'application/vnd.schemaregistry.v1+json';

function record(fields: readonly object[]): string {
  return JSON.stringify({ type: 'record', name: 'Reading', namespace: 'io.example', fields });
}

const v1 = record([{ name: 'id', type: 'string' }]);
const v2 = record([
  { name: 'id', type: 'string' },
  { name: 'unit', type: ['null', 'string'], default: null },
]);
const incompatible = record([
  { name: 'id', type: 'string' },
  { name: 'unit', type: 'string' },
]);

async function call(
  registry: InMemorySchemaRegistry,
  method: string,
  path: string,
  body?: unknown,
  contentType = mediaType,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${registry.url}${path}`, {
    method,
    headers: { 'content-type': contentType },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.equal(response.headers.get('content-type'), mediaType);
  return { status: response.status, body: await response.json() };
}

describe('InMemorySchemaRegistry, the in-test implementation of the Schema Registry REST subset', () => {
  it('gives a schema one global id, whatever the subject and however often it is registered', async (t) => {
    const registry = await InMemorySchemaRegistry.start();
    t.after(() => registry.close());

    const first = await call(registry, 'POST', '/subjects/a-value/versions', { schema: v1 });
    assert.deepEqual(first, { status: 200, body: { id: 1 } });
    // Whitespace does not make a different schema.
    const again = await call(registry, 'POST', '/subjects/a-value/versions', {
      schema: JSON.stringify(JSON.parse(v1), null, 2),
    });
    assert.deepEqual(again.body, { id: 1 });
    assert.deepEqual(
      (await call(registry, 'POST', '/subjects/b-value/versions', { schema: v1 })).body,
      {
        id: 1,
      },
    );
    assert.deepEqual(
      (await call(registry, 'POST', '/subjects/a-value/versions', { schema: v2 })).body,
      {
        id: 2,
      },
    );

    assert.deepEqual((await call(registry, 'GET', '/schemas/ids/2')).body, { schema: v2 });
    assert.deepEqual((await call(registry, 'GET', '/subjects')).body, ['a-value', 'b-value']);
    assert.deepEqual((await call(registry, 'GET', '/subjects/a-value/versions/latest')).body, {
      subject: 'a-value',
      version: 2,
      id: 2,
      schema: v2,
    });
    assert.deepEqual((await call(registry, 'GET', '/subjects/a-value/versions/1')).body, {
      subject: 'a-value',
      version: 1,
      id: 1,
      schema: v1,
    });
  });

  it('answers with the registry error codes', async (t) => {
    const registry = await InMemorySchemaRegistry.start();
    t.after(() => registry.close());
    await call(registry, 'POST', '/subjects/a-value/versions', { schema: v1 });

    const errorCode = async (method: string, path: string, body?: unknown): Promise<unknown> => {
      const { status, body: answer } = await call(registry, method, path, body);
      const { error_code: code, message } = answer as { error_code: number; message: string };
      assert.equal(typeof message, 'string');
      return [status, code];
    };
    assert.deepEqual(await errorCode('GET', '/schemas/ids/9'), [404, 40403]);
    assert.deepEqual(await errorCode('GET', '/subjects/nope/versions/latest'), [404, 40401]);
    assert.deepEqual(await errorCode('GET', '/subjects/a-value/versions/2'), [404, 40402]);
    assert.deepEqual(await errorCode('GET', '/config/a-value'), [404, 40408]);
    assert.deepEqual(
      await errorCode('POST', '/subjects/a-value/versions', { schema: '{"type":"record"}' }),
      [422, 42201],
    );
    assert.deepEqual(
      await errorCode('POST', '/subjects/a-value/versions', { schema: v1, schemaType: 'JSON' }),
      [422, 42201],
    );
    assert.deepEqual(
      await errorCode('PUT', '/config/a-value', { compatibility: 'SOME' }),
      [422, 42203],
    );
    assert.deepEqual(await errorCode('DELETE', '/schemas/ids/1'), [405, 405]);
    assert.deepEqual(await errorCode('GET', '/mode'), [404, 404]);
    const wrongType = await call(
      registry,
      'POST',
      '/subjects/a-value/versions',
      { schema: v2 },
      'text/plain',
    );
    assert.equal(wrongType.status, 415);
  });

  it('checks BACKWARD compatibility by default and the level set with PUT /config', async (t) => {
    const registry = await InMemorySchemaRegistry.start();
    t.after(() => registry.close());
    await call(registry, 'POST', '/subjects/a-value/versions', { schema: v1 });

    // A new required field cannot be read from old records.
    const refused = await call(registry, 'POST', '/subjects/a-value/versions', {
      schema: incompatible,
    });
    assert.equal(refused.status, 409);
    assert.deepEqual((refused.body as { error_code: number }).error_code, 409);
    assert.match((refused.body as { message: string }).message, /incompatible .* "a-value"/);

    assert.deepEqual(await call(registry, 'PUT', '/config/a-value', { compatibility: 'NONE' }), {
      status: 200,
      body: { compatibility: 'NONE' },
    });
    assert.deepEqual(await call(registry, 'GET', '/config/a-value'), {
      status: 200,
      body: { compatibilityLevel: 'NONE' },
    });
    const accepted = await call(registry, 'POST', '/subjects/a-value/versions', {
      schema: incompatible,
    });
    assert.deepEqual(accepted, { status: 200, body: { id: 2 } });
  });

  it('fails every request with 50001 while its backend is unavailable', async (t) => {
    const registry = await InMemorySchemaRegistry.start();
    t.after(() => registry.close());
    registry.fault = 'backend-unavailable';
    assert.deepEqual(await call(registry, 'GET', '/subjects'), {
      status: 500,
      body: { error_code: 50001, message: 'Error in the backend data store' },
    });
    registry.fault = null;
    assert.deepEqual(await call(registry, 'GET', '/subjects'), { status: 200, body: [] });
    assert.deepEqual(registry.requests, ['GET /subjects', 'GET /subjects']);
  });
});
