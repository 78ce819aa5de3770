import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Producer } from '@driftwatch/bus';
import { createCodecs, topicNames } from '@driftwatch/topics';

import { replayStream } from './replay-stream.js';

// What it sends, and when, is tested against the local broker in test/integration/replay-stream.test.ts.
describe('replayStream', () => {
  it('rejects a bad model, stream name, rate or label delay before sending anything', async () => {
    const untouchable = new Proxy({} as Producer, {
      get: () => {
        throw new Error('the producer was used');
      },
    });
    const names = topicNames('test-replay.');
    const base = {
      producer: untouchable,
      codecs: await createCodecs({ schemaRegistryUrl: '', names }),
      names,
      model: 'sea',
      streamName: 'sea',
      rows: [{ index: 0, features: { x: 1 }, label: 1 as const }],
      schedule: { seed: 1, labelDelay: { kind: 'fixed', ms: 10 } as const },
      rate: 10,
    };
    await assert.rejects(replayStream({ ...base, model: 'has space' }), {
      code: 'DW_DEMO_BAD_OPTION',
      message: /model name "has space" may hold only letters/,
    });
    await assert.rejects(replayStream({ ...base, rate: 0 }), { code: 'DW_DEMO_BAD_OPTION' });
    await assert.rejects(replayStream({ ...base, rate: NaN }), { code: 'DW_DEMO_BAD_OPTION' });
    await assert.rejects(replayStream({ ...base, streamName: '-bad' }), {
      code: 'DW_DATASET_INVALID_OPTION',
    });
    await assert.rejects(
      replayStream({
        ...base,
        schedule: { seed: 1, labelDelay: { kind: 'exponential', meanMs: 0 } },
      }),
      { code: 'DW_DATASET_INVALID_OPTION', message: /labelDelay\.meanMs/ },
    );
    await assert.rejects(
      replayStream({
        ...base,
        schedule: { seed: 1, labelDelay: { kind: 'uniform', minMs: 5, maxMs: 2 } },
      }),
      // In the caller's milliseconds, not the schedule's internal microseconds.
      { code: 'DW_DATASET_INVALID_OPTION', message: /at least minMs \(5\), got 2$/ },
    );
  });
});
