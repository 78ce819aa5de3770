import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { deadLetterCodes } from '@driftwatch/topics';
import { Registry } from 'prom-client';

import { createTrainerDiagnostics } from './diagnostics.js';

async function samples(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((line) => /^[a-z]/.test(line));
}

describe('the trainer diagnostics', () => {
  it('expose every dead-letter code at 0 at start', async () => {
    const registry = new Registry();
    createTrainerDiagnostics(registry);
    const lines = await samples(registry);
    for (const code of deadLetterCodes) {
      assert.ok(lines.includes(`driftwatch_trainer_dead_letters_total{code="${code}"} 0`), code);
    }
  });

  it("create a model's version, skip and command series at 0 when a version of it is first read", async () => {
    const registry = new Registry();
    const diagnostics = createTrainerDiagnostics(registry);
    diagnostics.modelSeen('sea');
    diagnostics.modelSeen('sea');
    const lines = await samples(registry);
    for (const status of ['promoted', 'rejected']) {
      assert.ok(
        lines.includes(`driftwatch_trainer_versions_total{model="sea",status="${status}"} 0`),
        status,
      );
    }
    assert.ok(
      lines.includes(
        'driftwatch_trainer_requests_skipped_total{model="sea",reason="not-enough-data"} 0',
      ),
    );
    assert.ok(
      lines.includes('driftwatch_trainer_command_runs_total{model="sea",verdict="usable"} 0'),
    );
  });
});
