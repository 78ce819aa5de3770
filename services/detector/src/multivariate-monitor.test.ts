import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';

import { EdgeCaseFinder, mulberry32, ReferenceClusters } from '@driftwatch/drift';
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
    const monitor = new MultivariateMonitor(reference(), { window: 1_000, psiThreshold: 0.1 });
    assert.deepEqual(run(monitor, rows(50_000, 2)), []);
    assert.ok((monitor.last.clusterPsi ?? 1) < 0.1);
    assert.ok(monitor.last.reconstructionError !== undefined);
  });

  it('alerts cluster occupancy once when a rare part of the reference becomes common, naming the cluster', () => {
    const monitor = new MultivariateMonitor(reference(), { window: 1_000, psiThreshold: 0.1 });
    const signals = run(monitor, [...rows(3_000, 3), ...rows(5_000, 4, { blobShare: 0.6 })]);
    const occupancy = signals.filter((signal) => signal.detector === 'cluster-occupancy');
    assert.equal(occupancy.length, 1, 'one alert per episode');
    const [alert] = occupancy;
    assert.ok(alert);
    assert.equal(alert.at, 3_999, 'at the end of the first window after the change');
    assert.match(alert.summary, /cluster \d+ grew from \d+\.\d% to \d+\.\d%/);
    assert.ok(alert.statistic > 0.1);
  });

  it('alerts reconstruction error when a correlation breaks though each feature keeps its spread', () => {
    const monitor = new MultivariateMonitor(reference(), { window: 1_000, psiThreshold: 0.1 });
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
    const whole = new MultivariateMonitor(reference(), { window: 1_000, psiThreshold: 0.1 });
    const first = new MultivariateMonitor(reference(), { window: 1_000, psiThreshold: 0.1 });
    const expected = run(whole, events);
    assert.equal(expected.length, 2);
    assert.deepEqual(run(first, events.slice(0, 2_700)), []);
    const state = JSON.parse(JSON.stringify(first.toJSON())) as ReturnType<typeof first.toJSON>;
    const resumed = new MultivariateMonitor(
      reference(),
      { window: 1_000, psiThreshold: 0.1 },
      state,
    );
    assert.deepEqual(run(resumed, events.slice(2_700), 2_700), expected);
    assert.deepEqual(resumed.observe({ a: 1, b: null, c: 1 }, 0, 0), []);
    assert.deepEqual(resumed.toJSON(), whole.toJSON(), 'the missing row was not counted');
  });

  it('leaves out a row too far out to standardize, and keeps going', () => {
    const fitted = reference();
    // A near-constant reference column: standardizing divides by a tiny scale.
    const tiny = {
      ...fitted,
      clusters: {
        ...fitted.clusters,
        standardizer: { ...fitted.clusters.standardizer, scale: [1e-300, 1, 1] },
      },
    };
    const monitor = new MultivariateMonitor(tiny, { window: 10, psiThreshold: 0.1 });
    const before = monitor.toJSON();
    assert.deepEqual(monitor.observe({ a: 1e300, b: 0, c: 0 }, 0, 0), []);
    assert.deepEqual(monitor.toJSON(), before, 'nothing counted');
    for (const features of rows(20, 11)) monitor.observe(features, 1, 1);
    assert.notEqual(monitor.last.clusterPsi, undefined);
    // Only the projection overflows: its squared distance passes the largest double.
    const reconstruction = fitted.reconstruction;
    assert.ok(reconstruction);
    const projected = new MultivariateMonitor(
      {
        ...fitted,
        reconstruction: {
          ...reconstruction,
          standardizer: { ...reconstruction.standardizer, scale: [1e-10, 1, 1] },
        },
      },
      { window: 10, psiThreshold: 0.1 },
    );
    const untouched = projected.toJSON();
    assert.deepEqual(projected.observe({ a: 1e150, b: 0, c: 0 }, 0, 0), []);
    assert.deepEqual(projected.toJSON(), untouched);
  });

  it('digits (64 dimensions): classes withheld from the reference raise occupancy and reconstruction alerts and dominate the edge cases', () => {
    // scikit-learn's load_digits, as the k-means goldens' fixture script wrote it.
    const { rows, targets } = JSON.parse(
      gunzipSync(
        readFileSync(
          new URL('../../../test/fixtures/drift/sklearn/digits.json.gz', import.meta.url),
        ),
      ).toString('utf8'),
    ) as { rows: number[][]; targets: number[] };
    const known = rows.filter((_, i) => (targets[i] ?? 0) <= 6);
    const withheld = rows.filter((_, i) => (targets[i] ?? 0) > 6);
    const names = Array.from({ length: 64 }, (_, j) => `pixel${j}`);
    // Few clusters for few rows: PSI over k clusters of a window of w rows is about (k − 1)/w by chance.
    const fitted = fitMultivariateReference(names, known.slice(0, 900), { k: 8 });
    assert.ok(fitted?.reconstruction, 'clusters and a PCA of the known classes');
    const asEvent = (row: number[]) =>
      Object.fromEntries(names.map((name, j) => [name, row[j] ?? 0]));
    const monitor = new MultivariateMonitor(fitted, { window: 150, psiThreshold: 0.1 });
    const unseen = known.slice(900, 1200);
    const signals = [...unseen, ...withheld].flatMap((row, i) =>
      monitor.observe(asEvent(row), i, i).map((signal) => ({ detector: signal.detector, at: i })),
    );
    assert.deepEqual(
      signals.filter((signal) => signal.at < unseen.length),
      [],
      'unseen rows of the known classes raise nothing',
    );
    for (const detector of ['cluster-occupancy', 'reconstruction'] as const) {
      const alert = signals.find((signal) => signal.detector === detector);
      assert.ok(alert, `${detector} alerts once the withheld classes stream`);
      assert.ok(alert.at < unseen.length + 300, `${detector} at ${alert.at}`);
    }
    // Edge cases at the default k = 20, p99 and 3× growth, over windows of 150 rows.
    const clusters = fitMultivariateReference(names, known.slice(0, 900))?.clusters;
    assert.ok(clusters);
    const finder = new EdgeCaseFinder(ReferenceClusters.fromJSON(clusters), { window: 150 });
    const knownEdgeCases = unseen.filter((row) => finder.judge(row)).length;
    const withheldEdgeCases = withheld.filter((row) => finder.judge(row)).length;
    assert.ok(
      withheldEdgeCases > 3 * knownEdgeCases * (withheld.length / unseen.length),
      `edge cases: ${withheldEdgeCases} of ${withheld.length} withheld rows, ${knownEdgeCases} of ${unseen.length} known`,
    );
  });
});
