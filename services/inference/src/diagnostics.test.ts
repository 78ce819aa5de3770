import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { deadLetterCodes } from '@driftwatch/topics';
import { Registry } from 'prom-client';

import { createInferenceDiagnostics } from './diagnostics.js';

/** `name{labels} value` lines of the exposition, without help and type lines. */
async function samples(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((line) => /^[a-z]/.test(line));
}

const latencyBounds = [
  '0.001',
  '0.0025',
  '0.005',
  '0.01',
  '0.025',
  '0.05',
  '0.1',
  '0.25',
  '0.5',
  '1',
  '2.5',
  '5',
  '10',
  '30',
  '+Inf',
];

describe('the inference diagnostics', () => {
  it('expose every dead-letter code at 0 before the first dead letter', async () => {
    const registry = new Registry();
    createInferenceDiagnostics(registry);
    const lines = await samples(registry);
    for (const code of deadLetterCodes) {
      assert.ok(lines.includes(`driftwatch_inference_dead_letters_total{code="${code}"} 0`), code);
    }
    assert.ok(lines.includes('driftwatch_inference_events_consumed_total 0'));
  });

  it("create a model's prediction and load-failure series at 0 when a version is first served", async () => {
    const registry = new Registry();
    const diagnostics = createInferenceDiagnostics(registry);
    diagnostics.serving('sea', 2);
    const lines = await samples(registry);
    assert.ok(
      lines.includes('driftwatch_inference_predictions_total{model="sea",model_version="2"} 0'),
    );
    assert.ok(lines.includes('driftwatch_inference_model_load_failures_total{model="sea"} 0'));
  });

  it('bucket scoring time and event-to-prediction latency from 1 ms to 30 s', async () => {
    const registry = new Registry();
    const diagnostics = createInferenceDiagnostics(registry, { now: () => 10_000 });
    diagnostics.scored('sea', 1, 3, 0.002);
    // Events 1.5 s, 40 ms and 0 s old (a ts in the future counts as 0) when produced.
    diagnostics.predicted('sea', [8_500, 9_960, 10_100]);
    const lines = await samples(registry);
    const bounds = (name: string): string[] =>
      lines
        .filter((line) => line.startsWith(`${name}_bucket`))
        .map((line) => /le="([^"]+)"/.exec(line)?.[1] ?? '');
    assert.deepEqual(bounds('driftwatch_inference_scoring_duration_seconds'), latencyBounds);
    assert.deepEqual(bounds('driftwatch_inference_event_to_prediction_seconds'), latencyBounds);
    const count = (le: string): string | undefined =>
      lines
        .find((line) =>
          line.startsWith(
            `driftwatch_inference_event_to_prediction_seconds_bucket{le="${le}",model="sea"}`,
          ),
        )
        ?.split(' ')[1];
    assert.deepEqual(['0.001', '0.05', '1', '2.5'].map(count), ['1', '2', '2', '3']);
  });

  it('report consumer lag per partition from each batch', async () => {
    const registry = new Registry();
    const diagnostics = createInferenceDiagnostics(registry);
    diagnostics.batchProcessed({
      topic: 'events',
      partition: 0,
      records: 10,
      produced: 10,
      durationMs: 5,
      lag: 42,
    });
    assert.ok(
      (await samples(registry)).includes(
        'driftwatch_inference_consumer_lag_records{topic="events",partition="0"} 42',
      ),
    );
  });
});
