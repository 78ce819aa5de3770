import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { chaosPlan, type FleetMember } from './chaos-plan.js';

const members: FleetMember[] = [
  { name: 'inference-1', service: 'inference' },
  { name: 'inference-2', service: 'inference' },
  { name: 'joiner-1', service: 'joiner' },
  { name: 'joiner-2', service: 'joiner' },
  { name: 'detector-1', service: 'detector' },
  { name: 'detector-2', service: 'detector' },
  { name: 'trainer-1', service: 'trainer' },
];

describe('chaosPlan', () => {
  it('is the same plan for the same seed, and another for another seed', () => {
    const options = { events: 20_000, members, kills: 20 };
    assert.deepEqual(chaosPlan({ seed: 1, ...options }), chaosPlan({ seed: 1, ...options }));
    assert.notDeepEqual(chaosPlan({ seed: 1, ...options }), chaosPlan({ seed: 2, ...options }));
  });

  it('kills as often as asked, every service at least once, and restarts Redis and the broker once', () => {
    const plan = chaosPlan({ seed: 3, events: 4000, members, kills: 6 });
    const kills = plan.flatMap((step) => (step.action.kind === 'kill' ? [step.action.member] : []));
    assert.equal(kills.length, 6);
    for (const service of ['inference', 'joiner', 'detector', 'trainer']) {
      assert.ok(
        kills.some((name) => name.startsWith(service)),
        `${service} killed: ${kills.join(', ')}`,
      );
    }
    assert.equal(plan.filter((step) => step.action.kind === 'restart-redis').length, 1);
    assert.equal(plan.filter((step) => step.action.kind === 'restart-broker').length, 1);
    assert.equal(plan.filter((step) => step.action.kind === 'freeze').length, 0);
  });

  it('places every action inside the stream, in order of the event it waits for', () => {
    const plan = chaosPlan({
      seed: 5,
      events: 1000,
      members,
      kills: 20,
      freezes: 8,
      stormCycles: 3,
    });
    assert.equal(plan.length, 20 + 2 + 8 + 6);
    for (const [k, step] of plan.entries()) {
      assert.ok(step.atEvent >= 50 && step.atEvent < 1000, `${step.atEvent}`);
      assert.ok(k === 0 || (plan[k - 1]?.atEvent ?? 0) <= step.atEvent);
    }
  });

  it('freezes each service in turn, and storms only services that run two instances', () => {
    const plan = chaosPlan({
      seed: 9,
      events: 1000,
      members,
      kills: 0,
      freezes: 8,
      stormCycles: 5,
    });
    const frozen = plan.flatMap((s) => (s.action.kind === 'freeze' ? [s.action.member] : []));
    for (const service of ['inference', 'joiner', 'detector', 'trainer']) {
      assert.equal(frozen.filter((name) => name.startsWith(service)).length, 2);
    }
    const stormed = plan.flatMap((s) =>
      s.action.kind === 'add-instance' ? [s.action.service] : [],
    );
    assert.equal(stormed.length, 5);
    assert.ok(!stormed.includes('trainer'));
  });

  it('refuses a plan without events or members', () => {
    assert.throws(() => chaosPlan({ seed: 1, events: 0, members, kills: 1 }), RangeError);
    assert.throws(() => chaosPlan({ seed: 1, events: 10, members: [], kills: 1 }), RangeError);
  });
});
