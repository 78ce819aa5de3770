import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { RetrainPolicy, type PolicyOutcome, type RetrainPolicyOptions } from './retrain-policy.js';

const off: RetrainPolicyOptions = {
  onDrift: false,
  onDataDrift: false,
  accuracyBelow: 0,
  rearmMargin: 0.02,
  intervalMs: 0,
  afterLabeled: 0,
  minRows: 0,
  inFlightTimeoutMs: 60_000,
};

const neverAnswered = (): boolean => false;

/** Feeds `count` labeled ticks one ms apart; returns every outcome with the tick index. */
function feed(
  policy: RetrainPolicy,
  count: number,
  tick: (i: number) => { windowAccuracy?: number; now?: number; edgeCase?: boolean } = () => ({}),
  isAnswered: (requestId: string) => boolean = neverAnswered,
): { at: number; outcome: PolicyOutcome }[] {
  const outcomes: { at: number; outcome: PolicyOutcome }[] = [];
  for (let i = 0; i < count; i++) {
    const { windowAccuracy, now = 1_000 + i, edgeCase } = tick(i);
    const outcome = policy.onLabeled(
      { ts: 1_000 + i, now, windowAccuracy, windowStart: 500 + i, edgeCase: edgeCase ?? false },
      isAnswered,
    );
    if (!outcome) continue;
    outcomes.push({ at: i, outcome });
    if (!outcome.deduplicated) policy.requested(`request-${i}`, now);
  }
  return outcomes;
}

describe('RetrainPolicy', () => {
  it('asks nothing when every cause is off', () => {
    const policy = new RetrainPolicy(off);
    policy.onConceptAlert('a1', 1000, 0, neverAnswered);
    assert.deepEqual(
      feed(policy, 5000, () => ({ windowAccuracy: 0.1 })),
      [],
    );
  });

  it('drift: one request, after minRows labeled predictions following the alert', () => {
    const policy = new RetrainPolicy({ ...off, onDrift: true, minRows: 300 });
    feed(policy, 100);
    policy.onConceptAlert('alert-1', 1_099, 0, neverAnswered);
    const outcomes = feed(policy, 1000);
    assert.equal(outcomes.length, 1);
    const [first] = outcomes;
    assert.equal(first?.at, 299);
    assert.deepEqual(first.outcome.decision, {
      reason: 'drift',
      alertId: 'alert-1',
      fromTs: 1_099,
      toTs: 1_299,
    });
    assert.equal(first.outcome.deduplicated, false);
  });

  it('bounds a window by the offsets of its first and last labeled predictions, not by their shared milliseconds', () => {
    const policy = new RetrainPolicy({ ...off, onDrift: true, afterLabeled: 50, minRows: 10 });
    // Every record of a batch shares its millisecond; offsets still tell them apart.
    const tick = (offset: number) => ({
      ts: 7_000,
      now: 0,
      windowAccuracy: undefined,
      windowStart: 0,
      at: { partition: 2, offset },
    });
    policy.startVersion(7_000, { partition: 2, offset: 100 });
    for (let offset = 100; offset < 120; offset++) policy.onLabeled(tick(offset), neverAnswered);
    policy.onConceptAlert('alert-1', 7_000, 0, neverAnswered, { partition: 2, offset: 119 });
    const outcomes: (PolicyOutcome | null)[] = [];
    for (let offset = 120; offset < 130; offset++) {
      outcomes.push(policy.onLabeled(tick(offset), neverAnswered));
    }
    assert.deepEqual(outcomes.at(-1)?.decision.labeledOffsets, {
      partition: 2,
      fromOffset: 119,
      toOffset: 129,
    });
    policy.requested('drift-request', 0);
    // A volume request, once answered, spans the version from its first labeled prediction.
    const answered = (): boolean => true;
    let volume: PolicyOutcome | null = null;
    for (let offset = 130; offset < 150 && !volume; offset++) {
      volume = policy.onLabeled(tick(offset), answered);
    }
    assert.equal(volume?.decision.reason, 'volume');
    assert.deepEqual(volume.decision.labeledOffsets, {
      partition: 2,
      fromOffset: 100,
      toOffset: 149,
    });
  });

  it('drift: a second alert while the first request is in flight is deduplicated at once', () => {
    const policy = new RetrainPolicy({ ...off, onDrift: true, minRows: 10 });
    policy.onConceptAlert('alert-1', 0, 0, neverAnswered);
    assert.equal(policy.phase, 'waiting');
    assert.equal(feed(policy, 20).filter(({ outcome }) => !outcome.deduplicated).length, 1);
    assert.equal(policy.phase, 'in-flight');
    assert.deepEqual(policy.onConceptAlert('alert-2', 5, 0, neverAnswered), {
      decision: { reason: 'drift', alertId: 'alert-2', fromTs: 5, toTs: 5 },
      deduplicated: true,
    });
    assert.deepEqual(feed(policy, 20), []);
  });

  it('one drift tripping the concept and the data rules together makes one request', () => {
    for (const dataFirst of [false, true]) {
      const policy = new RetrainPolicy({ ...off, onDrift: true, onDataDrift: true, minRows: 10 });
      const outcomes: PolicyOutcome[] = [];
      const data = (): void => {
        const outcome = policy.onDataAlert('data-1', 0, 1_000, 1_000, neverAnswered);
        if (outcome) outcomes.push(outcome);
        if (outcome && !outcome.deduplicated) policy.requested('request-data', 1_000);
      };
      if (dataFirst) data();
      const concept = policy.onConceptAlert('concept-1', 1_000, 1_000, neverAnswered);
      if (concept) outcomes.push(concept);
      if (!dataFirst) data();
      outcomes.push(...feed(policy, 50).map(({ outcome }) => outcome));
      assert.deepEqual(
        outcomes.map((o) => [o.decision.alertId, o.deduplicated]),
        dataFirst
          ? [
              ['data-1', false],
              ['concept-1', true],
            ]
          : [
              ['data-1', true],
              ['concept-1', false],
            ],
        dataFirst ? 'data alert first' : 'concept alert first',
      );
    }
  });

  it('while waiting for rows, the other causes wait too', () => {
    const policy = new RetrainPolicy({ ...off, onDrift: true, afterLabeled: 5, minRows: 10 });
    policy.onConceptAlert('alert-1', 0, 0, neverAnswered);
    assert.deepEqual(
      feed(policy, 12).map(({ at, outcome }) => [at, outcome.decision.reason]),
      [[9, 'drift']],
    );
  });

  it('a new version ends a wait for rows', () => {
    const policy = new RetrainPolicy({ ...off, onDrift: true, minRows: 10 });
    policy.onConceptAlert('alert-1', 0, 0, neverAnswered);
    policy.startVersion(100);
    assert.equal(policy.phase, 'idle');
    assert.deepEqual(feed(policy, 20), []);
  });

  it('drift: once a model version answers the request, a new alert asks again', () => {
    const answered = new Set<string>();
    const policy = new RetrainPolicy({ ...off, onDrift: true, minRows: 10 });
    policy.onConceptAlert('alert-1', 0, 0, neverAnswered);
    const [first] = feed(policy, 20, undefined, (id) => answered.has(id));
    answered.add(`request-${first?.at ?? -1}`);
    assert.equal(
      policy.onConceptAlert('alert-2', 0, 0, (id) => answered.has(id)),
      null,
    );
    const second = feed(policy, 20, undefined, (id) => answered.has(id));
    assert.deepEqual(
      second.map(({ outcome }) => [outcome.decision.alertId, outcome.deduplicated]),
      [['alert-2', false]],
    );
  });

  it('incidents: alerts of one version close in time share the first alert id; a newer version or a gap opens another', () => {
    const policy = new RetrainPolicy({ ...off, incidentWindowMs: 1_000 });
    const incidentOf = (alertId: string, version: number, ts: number) =>
      policy.incidentOf(alertId, version, ts, 0, neverAnswered);
    assert.equal(incidentOf('a1', 1, 10_000), 'a1');
    // A data alert may carry an earlier timestamp than the concept alert before it.
    assert.equal(incidentOf('a2', 1, 9_500), 'a1');
    assert.equal(incidentOf('a3', 1, 10_900), 'a1');
    assert.equal(incidentOf('a4', 1, 11_800), 'a1', 'within the window of the latest');
    assert.equal(incidentOf('a5', 1, 12_801), 'a5', 'a gap of more than the window');
    assert.equal(incidentOf('a6', 2, 12_900), 'a6', 'a newer version');
    const alone = new RetrainPolicy(off);
    assert.equal(alone.incidentOf('b1', 1, 0, 0, neverAnswered), 'b1');
    assert.equal(alone.incidentOf('b2', 1, 0, 0, neverAnswered), 'b2', 'no window: each its own');
  });

  it('requests follow incidents: an incident asks once, from any rule; once its request is answered, a drift still there is a new incident that asks again', () => {
    const answered = new Set<string>();
    const isAnswered = (id: string): boolean => answered.has(id);
    const policy = new RetrainPolicy({
      ...off,
      onDrift: true,
      onDataDrift: true,
      minRows: 1,
      incidentWindowMs: 60_000,
    });
    const incident = policy.incidentOf('alert-1', 1, 1_000, 0, isAnswered);
    assert.equal(policy.onConceptAlert('alert-1', 1_000, 0, isAnswered, undefined, incident), null);
    const [request] = feed(policy, 1, () => ({ now: 0 }), isAnswered);
    assert.ok(request);
    assert.equal(request.outcome.decision.incidentId, 'alert-1');
    // Another rule sees the same drift while the request is in flight: same incident, no request.
    const same = policy.incidentOf('alert-2', 1, 30_000, 10, isAnswered);
    assert.equal(same, 'alert-1');
    assert.deepEqual(policy.onDataAlert('alert-2', 20_000, 30_000, 10, isAnswered, same), {
      decision: {
        reason: 'drift',
        alertId: 'alert-2',
        incidentId: 'alert-1',
        fromTs: 20_000,
        toTs: 30_000,
      },
      deduplicated: true,
    });
    // The challenger is rejected (the request answered) and the drift is still there, seconds
    // later: a new incident, which asks again.
    answered.add(`request-${request.at}`);
    const next = policy.incidentOf('alert-3', 1, 31_000, 20, isAnswered);
    assert.equal(next, 'alert-3');
    assert.equal(policy.onConceptAlert('alert-3', 31_000, 20, isAnswered, undefined, next), null);
    assert.equal(policy.phase, 'waiting');
  });

  it('an unanswered request stops blocking after the in-flight timeout', () => {
    const policy = new RetrainPolicy({
      ...off,
      onDrift: true,
      minRows: 1,
      inFlightTimeoutMs: 5_000,
    });
    policy.onConceptAlert('alert-1', 0, 0, neverAnswered);
    feed(policy, 2, () => ({ now: 0 }));
    assert.equal(policy.onConceptAlert('alert-2', 0, 4_999, neverAnswered)?.deduplicated, true);
    assert.equal(policy.onConceptAlert('alert-3', 0, 5_000, neverAnswered), null);
    assert.equal(policy.phase, 'waiting');
    assert.equal(feed(policy, 2, () => ({ now: 5_000 }))[0]?.outcome.deduplicated, false);
  });

  it('performance: one request when the full window falls below the floor, again only after recovery', () => {
    const policy = new RetrainPolicy({ ...off, accuracyBelow: 0.8, rearmMargin: 0.05 });
    const accuracy = (i: number): number =>
      i < 100 ? 0.9 : i < 200 ? 0.7 : i < 300 ? 0.83 : i < 400 ? 0.9 : 0.6;
    const outcomes = feed(
      policy,
      500,
      (i) => ({ windowAccuracy: accuracy(i) }),
      () => true,
    );
    assert.deepEqual(
      outcomes.map(({ at, outcome }) => [at, outcome.decision.reason, outcome.decision.fromTs]),
      [
        [100, 'performance', 600],
        [400, 'performance', 900],
      ],
    );
  });

  it('performance: a filling window (undefined accuracy) never triggers', () => {
    const policy = new RetrainPolicy({ ...off, accuracyBelow: 0.99 });
    assert.deepEqual(feed(policy, 100), []);
  });

  it('volume: exactly one request per version, at the Nth labeled prediction', () => {
    const policy = new RetrainPolicy({ ...off, afterLabeled: 250 });
    policy.startVersion(900);
    const outcomes = feed(policy, 1000, undefined, () => true);
    assert.deepEqual(
      outcomes.map(({ at, outcome }) => [at, outcome.decision.reason, outcome.decision.fromTs]),
      [[249, 'volume', 900]],
    );
    policy.startVersion(5_000);
    assert.equal(feed(policy, 250, undefined, () => true).length, 1);
  });

  it('edge cases: one request per N labeled edge cases of the version; those seen while one is in flight wait for it', () => {
    const policy = new RetrainPolicy({ ...off, afterEdgeCases: 20 });
    policy.startVersion(900);
    // Every tenth labeled prediction is an edge case.
    let answered = false;
    const first = feed(
      policy,
      1_000,
      (i) => ({ edgeCase: i % 10 === 0 }),
      () => answered,
    );
    assert.deepEqual(
      first.map(({ at, outcome }) => [at, outcome.decision.reason, outcome.decision.fromTs]),
      [[190, 'edge_cases', 900]],
      'at the 20th edge case, over the whole serving life; nothing while it is in flight',
    );
    answered = true;
    const later = feed(
      policy,
      60,
      (i) => ({ edgeCase: i % 2 === 0 }),
      () => answered,
    );
    assert.deepEqual(
      later.map(({ at, outcome }) => [at, outcome.deduplicated]),
      [
        [0, false],
        [40, false],
      ],
      'answered: the 80 that waited ask at once, then the next 20',
    );
    policy.startVersion(5_000);
    assert.deepEqual(
      feed(
        policy,
        19,
        () => ({ edgeCase: true }),
        () => true,
      ),
      [],
      'a new version starts counting afresh',
    );
  });

  it('edge cases at the reference’s own rate never ask; the same count at a higher rate does', () => {
    const policy = new RetrainPolicy({ ...off, afterEdgeCases: 200, edgeCaseShare: 0.02 });
    policy.startVersion(900);
    // 1% edge cases, as traffic drawn like the reference gives at p99: 500 of them, no request.
    assert.deepEqual(
      feed(
        policy,
        50_000,
        (i) => ({ edgeCase: i % 100 === 0 }),
        () => true,
      ),
      [],
    );
    // Then a third of the traffic lands where the reference was sparse: the share passes 2% within
    // a few dozen labeled predictions, and the 500 collected plus the new ask at once.
    const drifted = feed(
      policy,
      300,
      (i) => ({ edgeCase: i % 3 === 0 }),
      () => true,
    );
    assert.equal(drifted.length, 1);
    const [{ at, outcome } = assert.fail('asked')] = drifted;
    assert.equal(outcome.decision.reason, 'edge_cases');
    assert.ok(at > 20 && at < 120, `asked ${at} labeled predictions after the move`);
    // A new version's edge cases are judged against its own reference: its share starts afresh.
    assert.ok((policy.toJSON().recentEdgeCaseShare ?? 0) > 0.02);
    policy.startVersion(70_000);
    assert.equal(policy.toJSON().recentEdgeCaseShare, 0);
  });

  it('schedule: one request per interval of wall-clock time while traffic flows', () => {
    const policy = new RetrainPolicy({ ...off, intervalMs: 1000 });
    const outcomes = feed(
      policy,
      3500,
      (i) => ({ now: i }),
      () => true,
    );
    assert.deepEqual(
      outcomes.map(({ at, outcome }) => [at, outcome.decision.reason]),
      [
        [1000, 'schedule'],
        [2000, 'schedule'],
        [3000, 'schedule'],
      ],
    );
  });

  it('data drift: asks at once when on, never when off', () => {
    const on = new RetrainPolicy({ ...off, onDataDrift: true });
    assert.deepEqual(on.onDataAlert('d1', 10, 20, 30, neverAnswered), {
      decision: { reason: 'drift', alertId: 'd1', fromTs: 10, toTs: 20 },
      deduplicated: false,
    });
    assert.equal(new RetrainPolicy(off).onDataAlert('d1', 10, 20, 30, neverAnswered), null);
  });

  it('survives a snapshot: a restored policy continues where the original was', () => {
    const options = { ...off, onDrift: true, minRows: 100 };
    const original = new RetrainPolicy(options);
    policyAlertAndFeed(original, 60);
    const restored = new RetrainPolicy(
      options,
      JSON.parse(JSON.stringify(original.toJSON())) as ReturnType<RetrainPolicy['toJSON']>,
    );
    assert.deepEqual(
      feed(restored, 100).map(({ at }) => at),
      feed(original, 100).map(({ at }) => at),
    );
  });
});

function policyAlertAndFeed(policy: RetrainPolicy, count: number): void {
  policy.onConceptAlert('alert', 0, 0, neverAnswered);
  feed(policy, count);
}
