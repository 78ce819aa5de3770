import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { InputRecord } from '@driftwatch/bus';
import { createCodecs, topicNames, type LabeledPrediction } from '@driftwatch/topics';

import { readTrainingWindow } from './read-training-window.js';

const names = topicNames('unit.');
const codecs = await createCodecs({ schemaRegistryUrl: '', names });

function labeled(id: string, model: string): LabeledPrediction {
  return {
    id,
    model,
    modelVersion: 1,
    ts: 1,
    scoredAt: 1,
    score: 0.7,
    predicted: 1,
    features: { x1: 0.5 },
    label: 1,
    labelTs: 2,
    labelDelayMs: 1,
  };
}

function record(offset: number, key: string, value: Buffer | null): InputRecord {
  return {
    topic: names.predictionsLabeled,
    partition: 0,
    offset: String(offset),
    key: Buffer.from(key),
    value,
    timestamp: String(offset),
    headers: {},
  };
}

describe('readTrainingWindow', () => {
  it("decodes the model's records in order, skipping other models and records that do not decode", async () => {
    const encode = (message: LabeledPrediction) => codecs.predictionsLabeled.encode(message);
    const topic = [
      record(0, 'sea', await encode(labeled('a', 'sea'))),
      record(1, 'elec2', await encode(labeled('b', 'elec2'))),
      record(2, 'sea', Buffer.from('{not json')),
      record(3, 'sea', await encode(labeled('c', 'sea'))),
    ];
    const asked: [number, number][] = [];
    const read = readTrainingWindow({
      readRecords: (fromTs, toTs, keep) => {
        asked.push([fromTs, toTs]);
        return Promise.resolve(topic.filter(keep));
      },
      codec: codecs.predictionsLabeled,
    });
    const window = await read('sea', 100, 200);
    assert.deepEqual(asked, [[100, 200]]);
    assert.deepEqual(
      window.map((row) => row.id),
      ['a', 'c'],
    );
  });

  it("keeps only the request's offsets of the model's partition, where records share a millisecond", async () => {
    const encode = (message: LabeledPrediction) => codecs.predictionsLabeled.encode(message);
    const topic = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map(async (id, offset) => ({
        ...record(offset, 'sea', await encode(labeled(id, 'sea'))),
        timestamp: '150',
      })),
    );
    const otherPartition = {
      ...record(9, 'sea', await encode(labeled('z', 'sea'))),
      partition: 1,
    };
    const read = readTrainingWindow({
      readRecords: (_fromTs, _toTs, keep) =>
        Promise.resolve([...topic, otherPartition].filter(keep)),
      codec: codecs.predictionsLabeled,
    });
    const ids = async (fromOffset: number | null, toOffset: number) =>
      (await read('sea', 100, 200, { partition: 0, fromOffset, toOffset })).map((row) => row.id);
    assert.deepEqual(await ids(1, 3), ['b', 'c', 'd', 'z']);
    assert.deepEqual(await ids(null, 1), ['a', 'b', 'z']);
    assert.deepEqual(
      (await read('sea', 100, 200, null)).map((row) => row.id),
      ['a', 'b', 'c', 'd', 'e', 'z'],
    );
  });

  it('lets a failure that is not about the bytes through (the bus retries it)', async () => {
    const outage = Object.assign(new Error('broker gone'), { retriable: true });
    const read = readTrainingWindow({
      readRecords: () => Promise.reject(outage),
      codec: codecs.predictionsLabeled,
    });
    await assert.rejects(read('sea', 0, 1), outage);
  });
});
