import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { BatchContext, BatchHandler, RecordBatch } from '@driftwatch/bus';

import { restoreAfterRebalance } from './restore-after-rebalance.js';
import { StateStore, type Snapshotable } from './state-store.js';

const store = <State extends Snapshotable<Json>, Json>(): StateStore<State, Json> =>
  new StateStore<State, Json>(() => undefined);
const batchOf = (partition: number): RecordBatch => ({ topic: 't', partition, records: [] });
const context = {} as BatchContext;

describe('restoreAfterRebalance', () => {
  it('every batch after a join, however many are in hand at once, waits for one catch-up', async () => {
    let catchUps = 0;
    let release = (): void => undefined;
    const caughtUp = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handled: number[] = [];
    const inner: BatchHandler = (batch) => {
      handled.push(batch.partition);
      return Promise.resolve([]);
    };
    const { handle, onGroupJoin } = restoreAfterRebalance(inner, {
      catchUp: () => {
        catchUps++;
        return caughtUp;
      },
      concept: store(),
      data: store(),
      policies: store(),
    });
    onGroupJoin();
    const first = handle(batchOf(0), context);
    const second = handle(batchOf(1), context);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(handled, [], 'no batch handled before the changelog was caught up');
    release();
    await Promise.all([first, second]);
    assert.deepEqual(handled, [0, 1]);
    assert.equal(catchUps, 1);
    await handle(batchOf(2), context);
    assert.equal(catchUps, 1, 'no catch-up without a join');
  });

  it('a catch-up that fails is tried again by the next batch, not waited on until the next join', async () => {
    let catchUps = 0;
    const handled: number[] = [];
    const { handle, onGroupJoin } = restoreAfterRebalance(
      (batch) => {
        handled.push(batch.partition);
        return Promise.resolve([]);
      },
      {
        catchUp: () => {
          catchUps++;
          return catchUps === 1 ? Promise.reject(new Error('brokers away')) : Promise.resolve();
        },
        concept: store(),
        data: store(),
        policies: store(),
      },
    );
    onGroupJoin();
    await assert.rejects(handle(batchOf(0), context), /brokers away/);
    assert.deepEqual(handled, []);
    await handle(batchOf(0), context);
    assert.equal(catchUps, 2);
    assert.deepEqual(handled, [0]);
  });
});
