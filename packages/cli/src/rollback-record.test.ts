import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ModelRegistry } from '@driftwatch/bus';
import { modelVersionSchema, validate, type ModelVersion } from '@driftwatch/topics';

import { CliError } from './errors.js';
import { rollbackRecord } from './rollback-record.js';
import { fakeModelVersion } from './testing/fake-model-version.js';

function registryOf(...versions: [number, number | null, ModelVersion['status']][]): ModelRegistry {
  const registry = new ModelRegistry();
  for (const [version, parentVersion, status] of versions) {
    registry.apply(fakeModelVersion({ model: 'churn', version, parentVersion, status }));
  }
  return registry;
}

const refusal = (pattern: RegExp) => (error: unknown) =>
  error instanceof CliError && error.code === 'DW_CLI_NO_ROLLBACK' && pattern.test(error.message);

describe('rollbackRecord', () => {
  it('serves what the serving version replaced, as a new version after the highest', () => {
    const registry = registryOf([1, null, 'promoted'], [2, 1, 'rejected'], [3, 1, 'promoted']);
    const record = rollbackRecord(registry, { model: 'churn', by: 'alice', now: 42 });
    assert.deepEqual(validate(modelVersionSchema, record), record);
    const target = registry.get('churn', 1);
    assert.deepEqual(
      {
        ...record,
        version: 1,
        parentVersion: null,
        createdAt: target?.createdAt,
        decidedBy: null,
        reason: 'bootstrap',
      },
      target,
      "the target's bytes, reference, metrics and window",
    );
    assert.equal(record.version, 4);
    assert.equal(record.parentVersion, 3);
    assert.equal(record.createdAt, 42);
    assert.equal(record.reason, 'rollback to v1 by alice: no reason given');
    registry.apply(record);
    assert.equal(registry.latestPromoted('churn')?.version, 4);
    // A second rollback undoes the first: back to what v4 replaced.
    const undo = rollbackRecord(registry, {
      model: 'churn',
      by: 'bob',
      reason: 'false alarm',
      now: 43,
    });
    assert.equal(undo.sha256, registry.get('churn', 3)?.sha256);
    assert.deepEqual([undo.version, undo.parentVersion], [5, 4]);
  });

  it('goes to the version --to names, if it once served', () => {
    const registry = registryOf([1, null, 'promoted'], [2, 1, 'promoted'], [3, 2, 'promoted']);
    const record = rollbackRecord(registry, { model: 'churn', to: 1, by: 'alice', now: 1 });
    assert.equal(record.sha256, registry.get('churn', 1)?.sha256);
    assert.deepEqual([record.version, record.parentVersion], [4, 3]);
  });

  it('refuses when there is nowhere to go, saying why', () => {
    const registry = registryOf([1, null, 'promoted'], [2, 1, 'rejected'], [3, 1, 'candidate']);
    const roll = (to?: number) => () =>
      rollbackRecord(registry, { model: 'churn', by: 'a', now: 1, ...(to ? { to } : {}) });
    assert.throws(roll(), refusal(/churn v1 serves and has no parent to roll back to/));
    assert.throws(roll(1), refusal(/to v1: it is the version serving/));
    assert.throws(roll(2), refusal(/to v2: it is rejected and never served/));
    assert.throws(
      roll(3),
      refusal(/to v3: it is a candidate and never served \(driftwatch promote/),
    );
    assert.throws(roll(9), refusal(/to v9: it does not exist/));
    assert.throws(
      () => rollbackRecord(registry, { model: 'iris', by: 'a', now: 1 }),
      refusal(/no version of model "iris" is serving/),
    );
  });
});
