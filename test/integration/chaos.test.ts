/**
 * Issue 10's chaos suite, short and seeded: the four services (two instances each of inference,
 * joiner and detector) under load while instances are killed and restarted, frozen past their
 * session timeout and woken as zombies (issue 18), Redis restarts and the broker restarts — and
 * nothing lost, nothing duplicated. `npm run chaos` is the long run.
 * On an isolated stack, so the shared broker other tests use is never touched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { formatCounts, runChaos } from '../chaos/chaos-run.js';
import { isolatedStackEnv, runStackCli } from '../support/stack-cli.js';

describe('chaos, short and seeded, on an isolated stack', { timeout: 600_000 }, () => {
  let stackEnv: Record<string, string>;
  before(async () => {
    stackEnv = await isolatedStackEnv();
    const up = await runStackCli(['up'], stackEnv);
    assert.equal(up.code, 0, up.stderr);
  });
  after(async () => {
    await runStackCli(['down', '--wipe'], stackEnv);
  });

  it('six kills, eight freezes past the session timeout, a Redis restart and a broker restart lose and duplicate nothing', async (t) => {
    const report = await runChaos({
      seed: 7,
      events: 4000,
      rate: 100,
      kills: 6,
      // Two per service: each frozen member is evicted, its partitions move, and it wakes up a
      // zombie with a batch in hand (the services' session timeout is 10 s).
      freezes: 8,
      freezeMs: 12_000,
      stormCycles: 0,
      stackEnv,
      timeoutMs: 300_000,
    });
    t.diagnostic(formatCounts(report));
    for (const exit of report.unexpectedExits) {
      t.diagnostic(`unexpected exit of ${exit.member}: ${exit.lastErrors.join(' | ')}`);
    }
    assert.equal(report.kills, 6);
    assert.equal(report.freezes, 8);
    assert.deepEqual(
      report.unexpectedExits.map((exit) => exit.member),
      [],
      'no instance exits on its own: a rebalance, a fence or a broker restart is normal life',
    );
    assert.deepEqual(report.predictions.lost, [], 'every event has a prediction');
    assert.equal(
      report.predictions.duplicated,
      0,
      `predictions twice: ${JSON.stringify(report.predictions.duplicateExamples)}`,
    );
    assert.deepEqual(report.joined.lost, [], 'every label that arrived is joined');
    assert.equal(
      report.joined.duplicated,
      0,
      `joined twice: ${JSON.stringify(report.joined.duplicateExamples)}`,
    );
    assert.deepEqual(report.joined.unexpected, []);
    assert.deepEqual(report.alerts.missing, []);
    assert.deepEqual(report.alerts.extra, []);
    assert.deepEqual(report.requests.missing, []);
    assert.deepEqual(report.requests.extra, []);
    assert.deepEqual(report.versions.backwards, []);
    assert.deepEqual(report.versions.reused, []);
    assert.equal(report.lost, 0);
    assert.equal(report.duplicated, 0);
  });
});
