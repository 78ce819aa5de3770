import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ConceptState, ConceptStateJson, DataState, DataStateJson } from './model-states.js';
import { restoreFromChangelog } from './restore-from-changelog.js';
import type { RetrainPolicy, RetrainPolicyState } from './retrain-policy.js';
import {
  formatSnapshotPosition,
  snapshotPositionHeader,
  snapshotPositionOf,
} from './snapshot-position.js';
import { StateStore } from './state-store.js';

/** Stores whose states are their snapshots' JSON, as far as these tests look. */
function jsonStores() {
  const revive = (_key: string, json: unknown): never => json as never;
  return {
    concept: new StateStore<ConceptState, ConceptStateJson>(revive),
    data: new StateStore<DataState, DataStateJson>(revive),
    policies: new StateStore<RetrainPolicy, RetrainPolicyState>(revive),
  };
}

function recordingLogger() {
  const warnings: unknown[] = [];
  return { warnings, warn: (fields: object) => warnings.push(fields) };
}

const snapshotRecord = (
  key: string,
  snapshot: { partition: number; offset: string; state: unknown },
  headers?: Record<string, string>,
) => ({
  key: Buffer.from(key),
  value: Buffer.from(JSON.stringify(snapshot)),
  offset: '0',
  ...(headers ? { headers } : {}),
});

describe('restoreFromChangelog', () => {
  it('skips, unparsed, a record whose header says it is no newer than the state held', () => {
    const stores = jsonStores();
    const logger = recordingLogger();
    const held = { partition: 1, offset: '40', state: { version: 3 } };
    restoreFromChangelog(
      snapshotRecord('data/sea', held, { [snapshotPositionHeader]: formatSnapshotPosition(held) }),
      stores,
      logger,
    );
    assert.deepEqual(stores.data.committedState('sea'), { version: 3 });

    // Not JSON at all: were it parsed, it would be logged as unreadable.
    for (const offset of ['40', '39']) {
      restoreFromChangelog(
        {
          key: Buffer.from('data/sea'),
          value: Buffer.from('{ not json'),
          offset: '1',
          headers: { [snapshotPositionHeader]: `1@${offset}` },
        },
        stores,
        logger,
      );
    }
    assert.deepEqual(logger.warnings, []);
    assert.deepEqual(stores.data.committedState('sea'), { version: 3 });
  });

  it('parses and keeps a record whose header says it is newer, or of another partition', () => {
    const stores = jsonStores();
    const logger = recordingLogger();
    for (const snapshot of [
      { partition: 1, offset: '40', state: { version: 3 } },
      { partition: 1, offset: '41', state: { version: 4 } },
      { partition: 2, offset: '7', state: { version: 5 } },
    ]) {
      restoreFromChangelog(
        snapshotRecord('concept/sea', snapshot, {
          [snapshotPositionHeader]: formatSnapshotPosition(snapshot),
        }),
        stores,
        logger,
      );
      assert.deepEqual(stores.concept.committedState('sea'), snapshot.state);
    }
    assert.deepEqual(logger.warnings, []);
  });

  it("parses a record without the header (an older release's), as before", () => {
    const stores = jsonStores();
    const logger = recordingLogger();
    const policy = { partition: -1, offset: '2', state: { revision: 2 } };
    restoreFromChangelog(snapshotRecord('policy/sea', policy), stores, logger);
    assert.deepEqual(stores.policies.committedState('sea'), { revision: 2 });
    restoreFromChangelog(
      { key: Buffer.from('policy/sea'), value: Buffer.from('{ not json'), offset: '1' },
      stores,
      logger,
    );
    assert.equal(logger.warnings.length, 1, 'parsed, so found unreadable');
  });

  it('reads back the position it writes, for input partitions and for policies (-1)', () => {
    for (const position of [
      { partition: 0, offset: '0' },
      { partition: 11, offset: '9223372036854775807' },
      { partition: -1, offset: '17' },
    ]) {
      const written = formatSnapshotPosition(position);
      assert.deepEqual(snapshotPositionOf({ [snapshotPositionHeader]: written }), position);
      assert.deepEqual(
        snapshotPositionOf({ [snapshotPositionHeader]: Buffer.from(written) }),
        position,
      );
    }
    for (const bad of [undefined, '', '1@', '@5', '1@-5', 'x@1', '1@5 ']) {
      assert.equal(
        snapshotPositionOf(bad === undefined ? {} : { [snapshotPositionHeader]: bad }),
        undefined,
        String(bad),
      );
    }
  });
});
