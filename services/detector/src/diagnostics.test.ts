import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { deadLetterCodes } from '@driftwatch/topics';
import { Registry } from 'prom-client';

import { alertDetectors, createDetectorDiagnostics } from './diagnostics.js';

async function samples(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((line) => /^[a-z]/.test(line));
}

const psi = [{ feature: 'x1', psi: 0.01 }];

describe('the detector diagnostics', () => {
  it('expose topics and dead-letter codes at 0 at start', async () => {
    const registry = new Registry();
    createDetectorDiagnostics(registry, { consumedTopics: ['predictions-labeled'] });
    const lines = await samples(registry);
    assert.ok(
      lines.includes('driftwatch_detector_records_consumed_total{topic="predictions-labeled"} 0'),
    );
    for (const code of deadLetterCodes) {
      assert.ok(lines.includes(`driftwatch_detector_dead_letters_total{code="${code}"} 0`), code);
    }
  });

  it("create a model's alert and retrain series at 0 when it first reports on a version", async () => {
    const registry = new Registry();
    const diagnostics = createDetectorDiagnostics(registry);
    assert.ok(!(await samples(registry)).some((line) => line.includes('model="sea"')));
    diagnostics.dataMetrics('sea', 1, psi);
    const lines = await samples(registry);
    for (const { kind, detector } of alertDetectors) {
      assert.ok(
        lines.includes(
          `driftwatch_detector_alerts_total{model="sea",kind="${kind}",detector="${detector}"} 0`,
        ),
        `${kind}/${detector}`,
      );
    }
    assert.ok(
      lines.includes('driftwatch_detector_retrain_requests_total{model="sea",reason="drift"} 0'),
    );
    assert.ok(
      lines.includes(
        'driftwatch_detector_stale_version_records_total{model="sea",stream="data"} 0',
      ),
    );
  });

  it('bucket label delay from 100 ms to 7 days', async () => {
    const registry = new Registry();
    const diagnostics = createDetectorDiagnostics(registry);
    diagnostics.labelDelay('sea', 300);
    const bounds = (await samples(registry))
      .filter((line) => line.startsWith('driftwatch_detector_label_delay_seconds_bucket'))
      .map((line) => /le="([^"]+)"/.exec(line)?.[1]);
    assert.equal(bounds[0], '0.1');
    assert.equal(bounds.at(-2), '604800');
    assert.equal(bounds.length, 21);
  });
});
