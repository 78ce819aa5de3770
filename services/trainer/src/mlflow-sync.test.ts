import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { ModelRegistry } from '@driftwatch/bus';
import { createLogger } from '@driftwatch/service-kit';
import type { ModelVersion } from '@driftwatch/topics';

import { startMlflowSync } from './mlflow-sync.js';
import { irisChampion } from './testing/iris-retraining.js';

/** A tracker that records what it was asked to track, failing while `down` says so. */
function recordingTracker(down: () => boolean) {
  const calls: number[][] = [];
  return {
    calls,
    track: async (versions: readonly ModelVersion[]) => {
      await sleep(5);
      if (down()) throw new Error('MLflow is down');
      calls.push(versions.map((v) => v.version));
      return { logged: [], restated: [], champion: null };
    },
  };
}

/** A sync over `registry` through `tracker`, counting its failures. */
function syncOf(
  tracker: ReturnType<typeof recordingTracker>,
  registry: ModelRegistry,
  intervalMs: number,
) {
  const counted = { failures: 0 };
  const sync = startMlflowSync({
    tracker,
    registry,
    logger: createLogger('trainer', 'silent'),
    diagnostics: { mlflowSynced: () => {}, mlflowFailed: () => (counted.failures += 1) },
    intervalMs,
  });
  return { sync, counted };
}

async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 2000 && !condition(); attempt += 1) await sleep(5);
  assert.ok(condition(), 'the condition never held');
}

describe('startMlflowSync', () => {
  it('syncs at start and on every poke, including one that comes mid-sync', async () => {
    const registry = new ModelRegistry();
    const v1 = await irisChampion();
    registry.apply(v1);
    const tracker = recordingTracker(() => false);
    const { sync, counted } = syncOf(tracker, registry, 60_000);
    await until(() => tracker.calls.length === 1);
    registry.apply({ ...v1, version: 2, parentVersion: 1 });
    sync.poke();
    // Poked while that sync runs: a third one follows it rather than being lost.
    await sleep(1);
    registry.apply({ ...v1, version: 3, parentVersion: 2 });
    sync.poke();
    await until(() => tracker.calls.at(-1)?.length === 3);
    await sync.stop();
    assert.deepEqual(tracker.calls.at(-1), [1, 2, 3]);
    assert.equal(counted.failures, 0);
  });

  it('retries on its interval while MLflow is down, and catches up when it is back', async () => {
    const registry = new ModelRegistry();
    registry.apply(await irisChampion());
    let down = true;
    const tracker = recordingTracker(() => down);
    const { sync, counted } = syncOf(tracker, registry, 20);
    await until(() => counted.failures >= 3);
    assert.equal(tracker.calls.length, 0);
    down = false;
    await until(() => tracker.calls.length === 1);
    const settledFailures = counted.failures;
    await sleep(100);
    assert.equal(counted.failures, settledFailures, 'no retries once it worked');
    assert.equal(tracker.calls.length, 1, 'and no sync until poked');
    await sync.stop();
  });
});
