import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';

import { SchemaRegistryError } from './errors.js';
import { claimSubjectCompatibility } from './subject-compatibility.js';
import { InMemorySchemaRegistry } from './testing/in-memory-schema-registry.js';

async function startRegistry(t: TestContext): Promise<InMemorySchemaRegistry> {
  const registry = await InMemorySchemaRegistry.start();
  t.after(() => registry.close());
  return registry;
}

async function levelOf(registry: InMemorySchemaRegistry, subject: string): Promise<unknown> {
  return (await fetch(`${registry.url}/config/${subject}`)).json();
}

describe('claimSubjectCompatibility', () => {
  it('gives a subject without a level BACKWARD, before any schema is registered under it', async (t) => {
    const registry = await startRegistry(t);
    await claimSubjectCompatibility({
      registryUrl: registry.url,
      subject: 'a-value',
      timeoutMs: 5000,
    });
    assert.deepEqual(registry.requests, ['GET /config/a-value', 'PUT /config/a-value']);
    assert.deepEqual(await levelOf(registry, 'a-value'), { compatibilityLevel: 'BACKWARD' });
  });

  it('leaves a level an operator set alone, asking once', async (t) => {
    const registry = await startRegistry(t);
    await fetch(`${registry.url}/config/a-value`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ compatibility: 'FULL' }),
    });
    registry.requests.length = 0;
    await claimSubjectCompatibility({
      registryUrl: registry.url,
      subject: 'a-value',
      timeoutMs: 5000,
    });
    assert.deepEqual(await levelOf(registry, 'a-value'), { compatibilityLevel: 'FULL' });
    assert.deepEqual(registry.requests.slice(0, 1), ['GET /config/a-value']);
    assert.equal(registry.requests.filter((request) => request.startsWith('PUT')).length, 0);
  });

  it('an unavailable registry is a retriable SchemaRegistryError naming the subject', async (t) => {
    const registry = await startRegistry(t);
    registry.fault = 'backend-unavailable';
    await assert.rejects(
      claimSubjectCompatibility({ registryUrl: registry.url, subject: 'a-value', timeoutMs: 5000 }),
      (error: unknown) => {
        assert.ok(error instanceof SchemaRegistryError);
        assert.equal(error.code, 'DW_SCHEMA_REGISTRY_UNAVAILABLE');
        assert.equal(error.retriable, true);
        assert.equal(error.status, 500);
        assert.match(error.message, /"a-value".*HTTP 500/);
        return true;
      },
    );
    registry.fault = 'no-response';
    await assert.rejects(
      claimSubjectCompatibility({ registryUrl: registry.url, subject: 'a-value', timeoutMs: 100 }),
      (error: unknown) =>
        error instanceof SchemaRegistryError &&
        error.code === 'DW_SCHEMA_REGISTRY_UNAVAILABLE' &&
        error.retriable,
    );
  });
});
