import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { deadLetterCodes } from '@driftwatch/topics';
import { Registry } from 'prom-client';

import { createJoinerDiagnostics } from './diagnostics.js';

async function samples(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((line) => /^[a-z]/.test(line));
}

describe('the joiner diagnostics', () => {
  it('expose topics, join transitions and dead-letter codes at 0 before the first record', async () => {
    const registry = new Registry();
    createJoinerDiagnostics(registry, { consumedTopics: ['predictions', 'labels'] });
    const lines = await samples(registry);
    for (const topic of ['predictions', 'labels']) {
      assert.ok(
        lines.includes(`driftwatch_joiner_records_consumed_total{topic="${topic}"} 0`),
        topic,
      );
    }
    assert.ok(
      lines.includes('driftwatch_joiner_transitions_total{side="label",effect="duplicate"} 0'),
    );
    for (const code of deadLetterCodes) {
      assert.ok(lines.includes(`driftwatch_joiner_dead_letters_total{code="${code}"} 0`), code);
    }
  });

  it('bucket label delay from 100 ms to 7 days, so a 1–5 s delay is read between 1, 2.5 and 5', async () => {
    const registry = new Registry();
    const diagnostics = createJoinerDiagnostics(registry);
    for (const ms of [1200, 2000, 3000, 4000, 4800]) diagnostics.joined('sea', ms);
    const lines = await samples(registry);
    const buckets = lines
      .filter((line) => line.startsWith('driftwatch_joiner_label_delay_seconds_bucket'))
      .map((line) => [/le="([^"]+)"/.exec(line)?.[1], line.split(' ')[1]]);
    assert.deepEqual(
      buckets.map(([le]) => le),
      [
        '0.1',
        '0.25',
        '0.5',
        '1',
        '2.5',
        '5',
        '10',
        '30',
        '60',
        '300',
        '900',
        '1800',
        '3600',
        '10800',
        '21600',
        '43200',
        '86400',
        '172800',
        '259200',
        '604800',
        '+Inf',
      ],
    );
    assert.deepEqual(
      buckets.slice(3, 6).map(([, count]) => count),
      ['0', '2', '5'],
    );
  });
});
