/**
 * Apicurio 2.4 on H2 failed concurrent first registrations of different subjects (HTTP 500, a
 * unique index violation on content ids), and a service registers its topics' schemas side by
 * side, so every Avro service start against the stack's registry could fail. The stack now gives
 * the registry one database connection; two services starting together must both succeed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createCodecs, topicIds, topicNames } from '@driftwatch/topics';

import { uniqueName } from '../support/environment.js';
import { stackSchemaRegistryUrl, subjectVersions } from '../support/stack-schema-registry.js';

const registryUrl = await stackSchemaRegistryUrl();

describe(
  "concurrent first registrations against the stack's schema registry",
  {
    timeout: 60_000,
    skip:
      registryUrl === undefined
        ? 'the stack runs no schema registry (npm run stack:up -- --with-registry, or DRIFTWATCH_SCHEMA_REGISTRY=1)'
        : false,
  },
  () => {
    it('registers every topic of two services starting at once, each schema once', async () => {
      const url = registryUrl ?? '';
      const names = topicNames(`${uniqueName('concurrent')}.`);
      await Promise.all([
        createCodecs({ schemaRegistryUrl: url, names }),
        createCodecs({ schemaRegistryUrl: url, names }),
      ]);
      for (const id of topicIds) {
        assert.deepEqual(await subjectVersions(url, `${names[id]}-value`), [1], id);
      }
    });
  },
);
