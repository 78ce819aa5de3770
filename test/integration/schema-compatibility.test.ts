/**
 * A schema change that breaks BACKWARD compatibility — a field added without a default, which
 * records written before the change do not have — is refused by the local stack's real schema
 * registry (Apicurio, whose own default is NONE; the stack sets BACKWARD as Confluent's default
 * is), and driftwatch says so: a non-retriable SchemaRegistryError from createCodecs, and a
 * service that stops at start with that error in its log instead of retrying forever.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';

import {
  createCodecs,
  SchemaRegistryError,
  topicCatalog,
  topicNames,
  type TopicId,
} from '@driftwatch/topics';

import { uniqueName } from '../support/environment.js';
import { runServiceUntilExit } from '../support/service-process.js';
import {
  registerSchema,
  stackSchemaRegistryUrl,
  subjectVersions,
} from '../support/stack-schema-registry.js';

const registryUrl = await stackSchemaRegistryUrl();

/** The topic's schema as an earlier release would have had it: without `field`. */
async function schemaWithout(id: TopicId, field: string): Promise<unknown> {
  const file = new URL(`../../schemas/${topicCatalog[id].avroSchemaFile}`, import.meta.url);
  const schema = JSON.parse(await readFile(file, 'utf8')) as {
    fields: { name: string }[];
  };
  assert.ok(
    schema.fields.some((candidate) => candidate.name === field),
    `${id} has a ${field} field`,
  );
  return { ...schema, fields: schema.fields.filter((candidate) => candidate.name !== field) };
}

describe(
  "a schema change that breaks BACKWARD compatibility, against the stack's schema registry",
  {
    timeout: 180_000,
    skip:
      registryUrl === undefined
        ? 'the stack runs no schema registry (npm run stack:up -- --with-registry, or DRIFTWATCH_SCHEMA_REGISTRY=1)'
        : false,
  },
  () => {
    const url = registryUrl ?? '';

    it('runs with BACKWARD as its global compatibility level', async () => {
      const response = await fetch(`${url}/config`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { compatibilityLevel: 'BACKWARD' });
    });

    it('refuses the change, and createCodecs reports it as DW_SCHEMA_REGISTRY_REJECTED, not retriable', async () => {
      const names = topicNames(`${uniqueName('compat')}.`);
      const subject = `${names.labels}-value`;
      await registerSchema(url, subject, await schemaWithout('labels', 'ts'));

      await assert.rejects(
        createCodecs({ schemaRegistryUrl: url, names, topics: ['labels'] }),
        (error: unknown) => {
          assert.ok(
            error instanceof SchemaRegistryError,
            `a SchemaRegistryError, got ${String(error)}`,
          );
          assert.equal(error.code, 'DW_SCHEMA_REGISTRY_REJECTED');
          assert.equal(error.retriable, false);
          assert.equal(error.status, 409);
          assert.match(
            error.message,
            new RegExp(`subject "${subject.replaceAll('.', '\\.')}" \\(HTTP 409\\): .*\\bts\\b`),
          );
          return true;
        },
      );
      assert.deepEqual(
        await subjectVersions(url, subject),
        [1],
        'the refused schema was not added',
      );
    });

    it('stops a service at start, with the rejection in its log, rather than retrying', async () => {
      const prefix = `${uniqueName('compat')}.`;
      const names = topicNames(prefix);
      await registerSchema(url, `${names.events}-value`, await schemaWithout('events', 'ts'));

      const { code, logs, stderr } = await runServiceUntilExit('inference', {
        TOPIC_PREFIX: prefix,
        SCHEMA_REGISTRY_URL: url,
      });
      assert.equal(code, 1, stderr);
      const failed = logs.find((entry) => entry['event'] === 'service.failed');
      assert.ok(failed, 'a service.failed log line');
      const err = failed['err'] as {
        code?: unknown;
        retriable?: unknown;
        status?: unknown;
        message?: unknown;
      };
      assert.equal(err.code, 'DW_SCHEMA_REGISTRY_REJECTED');
      assert.equal(err.retriable, false);
      assert.equal(err.status, 409, 'refused by the server, not by the client');
      assert.match(
        String(err.message),
        new RegExp(`subject "${names.events.replaceAll('.', '\\.')}-value"`),
      );
      assert.equal(
        logs.some((entry) => entry['event'] === 'schema_registry.retry'),
        false,
        'a refused schema is not retried',
      );
    });
  },
);
