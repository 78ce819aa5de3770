import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

const require = createRequire(import.meta.url);
const groupingModule = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');

type Grouping = (options: {
  topic: string;
  partitionMetadata: readonly { partitionId: number }[];
  messages: readonly { value: string; partition: number }[];
  partitioner: (options: { message: { partition: number } }) => number;
}) => Record<string, { value: string; partition: number }[]>;

// patches/kafkajs+2.2.4.patch, applied by `npm ci` (postinstall: patch-package --error-on-fail).
describe('kafkajs as patched', () => {
  it('groups a send by partition without copying each partition’s messages per message', async () => {
    const source = await readFile(groupingModule, 'utf8');
    assert.doesNotMatch(
      source,
      /\[\.\.\.current, message\]/,
      'the quadratic grouping of kafkajs 2.2.4 is back: run `npm ci` (patch-package applies patches/)',
    );
  });

  it('keeps every message, in the order sent, under the partition the partitioner chose', () => {
    const group = require(groupingModule) as Grouping;
    const messages = Array.from({ length: 1000 }, (_, index) => ({
      value: `m${String(index)}`,
      partition: (index * 7) % 3,
    }));
    const grouped = group({
      topic: 't',
      partitionMetadata: [{ partitionId: 0 }, { partitionId: 1 }, { partitionId: 2 }],
      messages,
      partitioner: ({ message }) => message.partition,
    });
    assert.deepEqual(Object.keys(grouped).sort(), ['0', '1', '2']);
    for (const partition of [0, 1, 2]) {
      assert.deepEqual(
        grouped[String(partition)],
        messages.filter((message) => message.partition === partition),
      );
    }
    assert.deepEqual(
      group({ topic: 't', partitionMetadata: [], messages, partitioner: () => 0 }),
      {},
    );
  });
});
