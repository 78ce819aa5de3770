import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { InputRecord } from '@driftwatch/bus';
import {
  createCodecs,
  SchemaRegistryError,
  topicNames,
  type Codec,
  type EdgeCaseRecord,
} from '@driftwatch/topics';

import { countEdgeCases } from './read-edge-cases.js';
import { fakeEdgeCase } from './testing/fake-edge-case.js';

const codecs = await createCodecs({ schemaRegistryUrl: '', names: topicNames('') });

function record(offset: number, value: Buffer | null): InputRecord {
  return {
    topic: 'edge-cases',
    partition: 0,
    offset: String(offset),
    key: null,
    value,
    timestamp: '1717200000050',
    headers: {},
  };
}

describe('countEdgeCases', () => {
  it('counts the edge cases of each version of each model, leaving out records that are not one', async () => {
    const records = await Promise.all(
      [
        { id: 'e1', model: 'sea', modelVersion: 1 },
        { id: 'e2', model: 'sea', modelVersion: 2 },
        { id: 'e3', model: 'sea', modelVersion: 2 },
        { id: 'e4', model: 'orientation', modelVersion: 1 },
        { id: 'e5', model: 'sea', modelVersion: 2 },
      ].map(async (fields, offset) =>
        record(offset, await codecs.edgeCases.encode(fakeEdgeCase(fields))),
      ),
    );
    records.push(record(5, Buffer.from('{"id":"e6"}')), record(6, null));

    const found = await countEdgeCases(codecs.edgeCases, records);

    assert.deepEqual(
      [...found].map(([model, versions]) => [model, [...versions]]),
      [
        [
          'sea',
          [
            [1, 1],
            [2, 3],
          ],
        ],
        ['orientation', [[1, 1]]],
      ],
    );
  });

  it('throws when the Schema Registry is down rather than count nothing', async () => {
    const unavailable: Codec<EdgeCaseRecord> = {
      ...codecs.edgeCases,
      decode: () =>
        Promise.reject(
          new SchemaRegistryError('DW_SCHEMA_REGISTRY_UNAVAILABLE', 'registry timed out', {
            retriable: true,
          }),
        ),
    };
    await assert.rejects(countEdgeCases(unavailable, [record(0, Buffer.from('{}'))]), {
      code: 'DW_SCHEMA_REGISTRY_UNAVAILABLE',
    });
  });
});
