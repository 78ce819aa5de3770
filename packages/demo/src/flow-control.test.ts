import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { CommittedOffsets, PartitionWatermarks } from '@driftwatch/bus';

import { pipelineFlowControl, type Hold } from './flow-control.js';

/** A broker whose consumer reads `step` more records of every partition each time it is asked. */
function fakeAdmin(high: number, step: number) {
  let committed = 0;
  let asked = 0;
  return {
    get asked() {
      return asked;
    },
    fetchOffsets: ({ topics }: { groupId: string; topics: string[] }) => {
      asked++;
      committed = Math.min(high, committed + step);
      return Promise.resolve(
        topics.map((topic): CommittedOffsets => ({
          topic,
          partitions: [{ partition: 0, offset: String(committed) }],
        })),
      );
    },
    listTopics: () => Promise.resolve(['events', 'labels']),
    fetchTopicOffsets: (): Promise<PartitionWatermarks[]> =>
      Promise.resolve([{ partition: 0, low: '0', high: String(high) }]),
  };
}

const stages = [{ name: 'inference', groupId: 'g', topics: ['events', 'not-yet-created'] }];

describe('pipelineFlowControl', () => {
  it('holds while a stage has more than maxLag records to read, and says why once', async () => {
    const admin = fakeAdmin(1000, 100);
    const holds: Hold[] = [];
    const flow = pipelineFlowControl({
      admin,
      stages,
      maxLag: 200,
      pollMs: 1,
      onHold: (hold) => holds.push(hold),
    });
    assert.equal(flow.every, 50);
    await flow.admit();
    // 1000 → 900 … → 200 unread: the eighth look lets it go.
    assert.equal(admin.asked, 8);
    assert.deepEqual(holds, [
      { kind: 'lag', cause: 'inference', reason: 'inference has 900 records to read', lag: 900 },
    ]);
  });

  it('holds for the caller’s reason once the stages are caught up', async () => {
    let unanswered = 3;
    const holds: string[] = [];
    const flow = pipelineFlowControl({
      admin: fakeAdmin(10, 10),
      stages,
      maxLag: 50,
      pollMs: 1,
      holdWhile: () => Promise.resolve(unanswered-- > 0 ? 'retrain request r1 unanswered' : null),
      onHold: (hold) => holds.push(hold.reason),
    });
    await flow.admit();
    assert.equal(unanswered, -1);
    assert.deepEqual(holds, ['retrain request r1 unanswered']);
  });

  it('stops holding when the signal aborts', async () => {
    const flow = pipelineFlowControl({ admin: fakeAdmin(1000, 0), stages, maxLag: 50, pollMs: 1 });
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 20);
    await flow.admit(controller.signal);
    assert.ok(controller.signal.aborted);
  });

  it('refuses a max lag a commit marker could hold forever', () => {
    for (const maxLag of [0, 49, 100.5, NaN]) {
      assert.throws(() => pipelineFlowControl({ admin: fakeAdmin(0, 0), stages, maxLag }), {
        code: 'DW_DEMO_BAD_OPTION',
        message: /at least 50/,
      });
    }
  });
});
