import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from '@driftwatch/drift';
import { fitMultivariateReference } from '@driftwatch/model';
import type { MultivariateReference } from '@driftwatch/topics';

import { MultivariateMonitor } from './multivariate-monitor.js';

const names = ['a', 'b', 'c'];

/** Rows of three correlated features from two blobs; `blobShare` of them from the second. */
function rows(count: number, seed: number, options: { blobShare?: number; broken?: boolean } = {}) {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const centre = random() < (options.blobShare ?? 0.1) ? 4 : 0;
    const a = centre + random();
    const c = options.broken ? 2 * random() - a : a + 0.1 * random();
    return { a, b: centre + random(), c };
  });
}

function reference(): MultivariateReference {
  const fitted = fitMultivariateReference(
    names,
    rows(5_000, 1).map((row) => [row.a, row.b, row.c]),
  );
  assert.ok(fitted);
  return fitted;
}

function run(monitor: MultivariateMonitor, events: ReturnType<typeof rows>, from = 0) {
  return events.flatMap((features, i) =>
    monitor.observe(features, from + i, from + i).map((signal) => ({ ...signal, at: from + i })),
  );
}

describe('MultivariateMonitor', () => {
  it('stays silent over 50,000 predictions drawn like the reference', () => {
    const monitor = new MultivariateMonitor(reference(), { window: 1_000, psiThreshold: 0.2 });
    assert.deepEqual(run(monitor, rows(50_000, 2)), []);
    assert.ok((monitor.last.clusterPsi ?? 1) < 0.1);
    assert.ok(monitor.last.reconstructionError !== undefined);
  });

  it('alerts cluster occupancy once when a rare part of the reference becomes common, naming the cluster', () => {
    const monitor = new MultivariateMonitor(reference(), { window: 1_000, psiThreshold: 0.2 });
    const signals = run(monitor, [...rows(3_000, 3), ...rows(5_000, 4, { blobShare: 0.6 })]);
    const occupancy = signals.filter((signal) => signal.detector === 'cluster-occupancy');
    assert.equal(occupancy.length, 1, 'one alert per episode');
    const [alert] = occupancy;
    assert.ok(alert);
    assert.equal(alert.at, 3_999, 'at the end of the first window after the change');
    assert.match(alert.summary, /cluster \d+ grew from \d+\.\d% to \d+\.\d%/);
    assert.ok(alert.statistic > 0.2);
  });

  it('alerts reconstruction error when a correlation breaks though each feature keeps its spread', () => {
    const monitor = new MultivariateMonitor(reference(), { window: 1_000, psiThreshold: 0.2 });
    const signals = run(monitor, [...rows(2_000, 5), ...rows(2_000, 6, { broken: true })]);
    const reconstruction = signals.filter((signal) => signal.detector === 'reconstruction');
    assert.equal(reconstruction.length, 1);
    const [alert] = reconstruction;
    assert.ok(alert);
    assert.equal(alert.at, 2_999);
    assert.ok(alert.statistic > alert.threshold);
    assert.match(alert.summary, /reconstruction error .* above/);
  });

  it('continues from a JSON snapshot exactly, and skips rows with a missing feature', () => {
    const events = [...rows(2_500, 7), ...rows(3_000, 8, { blobShare: 0.7, broken: true })];
    const whole = new MultivariateMonitor(reference(), { window: 1_000, psiThreshold: 0.2 });
    const first = new MultivariateMonitor(reference(), { window: 1_000, psiThreshold: 0.2 });
    const expected = run(whole, events);
    assert.equal(expected.length, 2);
    assert.deepEqual(run(first, events.slice(0, 2_700)), []);
    const state = JSON.parse(JSON.stringify(first.toJSON())) as ReturnType<typeof first.toJSON>;
    const resumed = new MultivariateMonitor(
      reference(),
      { window: 1_000, psiThreshold: 0.2 },
      state,
    );
    assert.deepEqual(run(resumed, events.slice(2_700), 2_700), expected);
    assert.deepEqual(resumed.observe({ a: 1, b: null, c: 1 }, 0, 0), []);
    assert.deepEqual(resumed.toJSON(), whole.toJSON(), 'the missing row was not counted');
  });
});
