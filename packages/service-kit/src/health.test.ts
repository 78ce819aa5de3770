import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HealthChecks, type DependencyChange } from './health.js';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let at = 1_000_000;
  return { now: () => at, advance: (ms) => (at += ms) };
}

describe('HealthChecks dependencies', () => {
  it('a dependency never reached is reported, and unhealthy once past the grace', () => {
    const time = clock();
    const health = new HealthChecks({ graceMs: 10_000, now: time.now });
    health.dependency('redis');
    assert.deepEqual(health.unreachable(), [{ name: 'redis', reason: 'not reached yet' }]);
    assert.equal(health.report().healthy, true);
    time.advance(10_001);
    const report = health.report();
    assert.equal(report.healthy, false);
    assert.match(
      report.checks['redis']?.detail ?? '',
      /unreachable for 10 s \(grace 10 s\): not reached yet/,
    );
  });

  it('rides out a short outage, reports a long one, and recovers at once', () => {
    const time = clock();
    const changes: DependencyChange[] = [];
    const health = new HealthChecks({
      graceMs: 5000,
      now: time.now,
      onChange: (change) => changes.push(change),
    });
    const redis = health.dependency('redis');
    redis.up();
    time.advance(60_000);
    assert.deepEqual(health.report().checks['redis'], { healthy: true, detail: 'reachable' });
    redis.down('connect ECONNREFUSED 127.0.0.1:6379');
    redis.down('connect ECONNREFUSED 127.0.0.1:6379');
    time.advance(5000);
    assert.equal(health.report().healthy, true, 'within the grace');
    time.advance(1);
    assert.equal(health.report().healthy, false, 'past the grace');
    redis.up();
    assert.equal(health.report().healthy, true);
    assert.deepEqual(changes, [
      { name: 'redis', state: 'up', reason: undefined },
      { name: 'redis', state: 'down', reason: 'connect ECONNREFUSED 127.0.0.1:6379' },
      { name: 'redis', state: 'up', reason: undefined },
    ]);
  });

  it('is unhealthy when any check or dependency is', () => {
    const time = clock();
    const health = new HealthChecks({ graceMs: 0, now: time.now });
    health.dependency('kafka').up();
    health.set('model', true);
    health.watch('processor', () => true);
    assert.equal(health.report().healthy, true);
    health.dependency('redis').down('gone');
    time.advance(1);
    assert.deepEqual(
      Object.fromEntries(Object.entries(health.report().checks).map(([k, v]) => [k, v.healthy])),
      { model: true, processor: true, kafka: true, redis: false },
    );
  });
});
