import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ModelRegistry } from '@driftwatch/bus';
import { modelVersionSchema, validate } from '@driftwatch/topics';

import { decideCandidate } from './decide-candidate.js';
import { CliError } from './errors.js';
import { fakeModelVersion } from './testing/fake-model-version.js';

function registryOf(...statuses: ('promoted' | 'rejected' | 'candidate')[]): ModelRegistry {
  const registry = new ModelRegistry();
  statuses.forEach((status, i) =>
    registry.apply(
      fakeModelVersion({ model: 'churn', version: i + 1, parentVersion: i || null, status }),
    ),
  );
  return registry;
}

const refusal = (code: string, pattern: RegExp) => (error: unknown) =>
  error instanceof CliError && error.code === code && pattern.test(error.message);

describe('decideCandidate', () => {
  it('promotes a candidate: the same version, promoted, with who and why on its record', () => {
    const registry = registryOf('promoted', 'candidate');
    const candidate = registry.get('churn', 2);
    const record = decideCandidate(registry, {
      model: 'churn',
      version: 2,
      decision: 'promote',
      by: 'alice',
      reason: 'golden set better',
    });
    assert.deepEqual(validate(modelVersionSchema, record), record, 'the topic schema takes it');
    assert.deepEqual(
      { ...record, status: 'candidate', decidedBy: null, reason: candidate?.reason },
      candidate,
      'nothing but the decision changes',
    );
    assert.equal(record.status, 'promoted');
    assert.equal(record.decidedBy, 'alice');
    assert.equal(
      record.reason,
      'promoted by alice: golden set better (trainer: accuracy check of v2)',
    );
    registry.apply(record);
    assert.equal(registry.latestPromoted('churn')?.version, 2);
  });

  it('splits traffic with a candidate, which stays one, and then promotes it', () => {
    const registry = registryOf('promoted', 'candidate');
    const split = decideCandidate(registry, {
      model: 'churn',
      version: 2,
      decision: 'promote',
      by: 'alice',
      reason: 'try it on a tenth',
      traffic: 0.1,
    });
    assert.deepEqual(validate(modelVersionSchema, split), split);
    assert.equal(split.status, 'candidate');
    assert.equal(split.traffic, 0.1);
    assert.equal(
      split.reason,
      'A/B split at 10% of events by alice: try it on a tenth (trainer: accuracy check of v2)',
    );
    registry.apply(split);
    assert.equal(registry.latestPromoted('churn')?.version, 1, 'a split does not serve it');
    const promoted = decideCandidate(registry, {
      model: 'churn',
      version: 2,
      decision: 'promote',
      by: 'bob',
      reason: 'the tenth did better',
    });
    assert.equal(promoted.status, 'promoted');
    assert.equal(promoted.traffic, null);
    assert.equal(
      promoted.reason,
      'promoted by bob: the tenth did better (trainer: accuracy check of v2)',
      "the trainer's reason, not the split's, stays",
    );
  });

  it('rejects a candidate, which then never serves', () => {
    const registry = registryOf('promoted', 'candidate');
    const record = decideCandidate(registry, {
      model: 'churn',
      version: 2,
      decision: 'reject',
      by: 'bob',
    });
    assert.equal(record.status, 'rejected');
    assert.match(record.reason, /^rejected by bob: no reason given \(trainer: /);
    registry.apply(record);
    assert.equal(registry.latestPromoted('churn')?.version, 1);
  });

  it('refuses what is not a candidate awaiting a decision, saying what it is', () => {
    const registry = registryOf('promoted', 'rejected', 'candidate', 'promoted');
    const decide = (version: number, decision: 'promote' | 'reject') => () =>
      decideCandidate(registry, { model: 'churn', version, decision, by: 'alice' });
    assert.throws(
      decide(1, 'promote'),
      refusal('DW_CLI_NOT_A_CANDIDATE', /churn v1 is promoted, not a candidate/),
    );
    assert.throws(decide(2, 'reject'), refusal('DW_CLI_NOT_A_CANDIDATE', /v2 is rejected/));
    assert.throws(
      decide(3, 'promote'),
      refusal('DW_CLI_NOT_A_CANDIDATE', /older than the serving v4: .* reject it instead/),
    );
    assert.equal(
      decide(3, 'reject')().status,
      'rejected',
      'an old candidate can still be rejected',
    );
    assert.throws(
      decide(9, 'promote'),
      refusal('DW_CLI_UNKNOWN_MODEL', /churn has no v9 \(it has v1, v2, v3, v4\)/),
    );
    assert.throws(
      () => decideCandidate(registry, { model: 'iris', version: 1, decision: 'promote', by: 'a' }),
      refusal('DW_CLI_UNKNOWN_MODEL', /no version of model "iris"/),
    );
    const decided = {
      ...fakeModelVersion({ model: 'churn', version: 5, parentVersion: 4, status: 'rejected' }),
      decidedBy: 'carol',
    };
    registry.apply(decided);
    assert.throws(
      decide(5, 'promote'),
      refusal('DW_CLI_NOT_A_CANDIDATE', /v5 is rejected \(by carol\)/),
    );
  });

  it('puts a candidate on trial as a shadow with its rule; a shadow can be promoted or rejected early, not split', () => {
    const registry = registryOf('promoted', 'candidate');
    const rule = { minLabeled: 5000, minGain: 0.01, mcnemarAlpha: 0.01 };
    const record = decideCandidate(registry, {
      model: 'churn',
      version: 2,
      decision: 'promote',
      by: 'alice',
      shadow: rule,
    });
    assert.deepEqual(validate(modelVersionSchema, record), record, 'the topic schema takes it');
    assert.equal(record.status, 'shadow');
    assert.deepEqual(record.shadowTrial, { ...rule, evidence: null });
    assert.match(
      record.reason,
      /^on trial as a shadow by alice until 5000 labeled events decide: /,
    );
    registry.apply(record);
    assert.throws(
      () =>
        decideCandidate(registry, {
          model: 'churn',
          version: 2,
          decision: 'promote',
          by: 'bob',
          traffic: 0.1,
        }),
      refusal('DW_CLI_NOT_A_CANDIDATE', /v2 is a shadow: it scores every event already/),
    );
    assert.throws(
      () =>
        decideCandidate(registryOf('candidate'), {
          model: 'churn',
          version: 1,
          decision: 'promote',
          by: 'bob',
          shadow: rule,
        }),
      refusal(
        'DW_CLI_NOT_A_CANDIDATE',
        /no version of churn serves, so a shadow would have nothing/,
      ),
    );
    const early = decideCandidate(registry, {
      model: 'churn',
      version: 2,
      decision: 'reject',
      by: 'bob',
    });
    assert.deepEqual([early.status, early.decidedBy], ['rejected', 'bob']);
  });
});
