import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Producer, TopicMessages } from '@driftwatch/bus';
import type { FlowControl } from './flow-control.js';
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

  it('stops its clock while flow control holds: after a hold, events keep their pace', async () => {
    const names = topicNames('test-replay.');
    const codecs = await createCodecs({ schemaRegistryUrl: '', names });
    const sent: { kind: string; key: string; value: Buffer }[] = [];
    const producer = {
      sendBatch: ({ topicMessages }: { topicMessages: TopicMessages[] }) => {
        for (const { topic, messages } of topicMessages) {
          const kind = topic === names.events ? 'event' : 'label';
          for (const { key, value } of messages)
            sent.push({ kind, key: String(key), value: value as Buffer });
        }
        return Promise.resolve([]);
      },
    } as unknown as Producer;
    const holds: number[] = [];
    const flowControl: FlowControl = {
      every: 5,
      admit: async () => {
        holds.push(sent.filter((m) => m.kind === 'event').length);
        await new Promise((resolve) => setTimeout(resolve, 30));
      },
    };
    const summary = await replayStream({
      producer,
      codecs,
      names,
      model: 'sea',
      streamName: 'sea',
      rows: Array.from({ length: 40 }, (_, index) => ({ index, features: { x: index }, label: 1 })),
      schedule: { seed: 1, labelDelay: { kind: 'fixed', ms: 10 } },
      rate: 1000,
      flowControl,
    });
    // Asked before events 0, 5, …, 35, each time after everything due had been sent.
    assert.deepEqual(holds, [0, 5, 10, 15, 20, 25, 30, 35]);
    assert.ok(summary.heldMs >= 8 * 30, `held ${summary.heldMs} ms`);
    // The clock stops while held: the stamps after a hold are later by the hold (30 ms, less a
    // timer's early millisecond), where a clock that ran on would stamp them 1 ms apart.
    const events = sent.filter((m) => m.kind === 'event');
    const stamps = await Promise.all(
      events.map(async (m) => (await codecs.events.decode(m.value)).ts),
    );
    for (const at of holds.slice(1)) {
      const gap = (stamps[at] ?? NaN) - (stamps[at - 1] ?? NaN);
      assert.ok(gap >= 1 + 29, `events ${at - 1} and ${at} stamped ${gap} ms apart`);
    }
    // Every label still follows its event, and nothing is lost.
    assert.equal(events.length, 40);
    for (const label of sent.filter((m) => m.kind === 'label')) {
      const event = sent.findIndex((m) => m.kind === 'event' && m.key === label.key);
      assert.ok(event >= 0 && event < sent.indexOf(label), label.key);
    }
  });
});
