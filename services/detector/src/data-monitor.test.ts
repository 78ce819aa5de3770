import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from '@driftwatch/drift';
import { buildQuantileProfile } from '@driftwatch/learn';
import { fitMultivariateReference } from '@driftwatch/model';
import type { ReferenceProfile } from '@driftwatch/topics';

import { DataMonitor, type DataMonitorOptions, type DataSignal } from './data-monitor.js';
import type { EstimateSignal } from './estimated-performance.js';

const options: DataMonitorOptions = {
  window: 500,
  kind: 'tumbling',
  psiThreshold: 0.2,
  rearmRatio: 0.5,
  ksAlpha: 0,
  cbpeMaxDrop: 0.05,
  cbpeRearmMargin: 0.02,
};

function uniformRows(
  length: number,
  seed: number,
  shift: (i: number) => number = () => 0,
): number[][] {
  const random = mulberry32(seed);
  return Array.from({ length }, (_, i) => [random() * 10 + shift(i), random() * 10, random() * 10]);
}

function referenceOf(withSample: boolean): ReferenceProfile {
  const rows = uniformRows(5000, 1);
  const profile = buildQuantileProfile({ featureNames: ['x1', 'x2', 'x3'], rows, bins: 10 });
  return {
    classProbabilities: [],
    cbpe: null,
    rows: null,
    classCbpe: null,
    multivariate: null,
    features: profile.features.map((f, column) => ({
      name: f.name,
      edges: [...f.edges],
      proportions: [...f.proportions],
      sample: withSample ? rows.slice(0, 500).map((row) => row[column] ?? 0) : [],
    })),
    score: null,
  };
}

function run(
  monitor: DataMonitor,
  rows: number[][],
  offset = 0,
): ((DataSignal | EstimateSignal) & { at: number })[] {
  const signals: ((DataSignal | EstimateSignal) & { at: number })[] = [];
  rows.forEach((row, i) => {
    const observation = {
      features: { x1: row[0] ?? 0, x2: row[1] ?? 0, x3: row[2] ?? 0 },
      score: 0.5,
      ts: 10_000 + offset + i,
    };
    for (const signal of monitor.observe(observation)) signals.push({ ...signal, at: offset + i });
  });
  return signals;
}

describe('DataMonitor', () => {
  it('stays quiet while the inputs look like the training data', () => {
    assert.deepEqual(run(new DataMonitor(referenceOf(false), options), uniformRows(20_000, 2)), []);
  });

  it('alerts once for the one feature that moved, and again only after it came back and moved again', () => {
    const shift = (i: number): number => ((i >= 4000 && i < 8000) || i >= 12_000 ? 4 : 0);
    const signals = run(
      new DataMonitor(referenceOf(false), options),
      uniformRows(16_000, 3, shift),
    );
    assert.deepEqual(
      signals.map((s) => [s.detector, s.feature, s.at]),
      [
        ['psi', 'x1', 4499],
        ['psi', 'x1', 12_499],
      ],
    );
    const [first] = signals;
    assert.ok((first?.statistic ?? 0) > 0.2);
    assert.equal(first?.windowStart, 10_000 + 4000);
    assert.equal(first.windowEnd, 10_000 + 4499);
    assert.equal(first.severity, 'critical');
  });

  it('a sliding window alerts within one window of the shift', () => {
    const monitor = new DataMonitor(referenceOf(false), { ...options, kind: 'sliding' });
    const signals = run(
      monitor,
      uniformRows(8000, 4, (i) => (i >= 4000 ? 4 : 0)),
    );
    assert.equal(signals.length, 1);
    assert.ok((signals[0]?.at ?? 0) > 4000 && (signals[0]?.at ?? 0) < 4500);
  });

  it('KS gives a second opinion when a reference sample is carried', () => {
    const monitor = new DataMonitor(referenceOf(true), { ...options, ksAlpha: 0.001 });
    const signals = run(
      monitor,
      uniformRows(8000, 5, (i) => (i >= 4000 ? 4 : 0)),
    );
    assert.deepEqual(
      signals.map((s) => [s.detector, s.feature]),
      [
        ['psi', 'x1'],
        ['ks', 'x1'],
      ],
    );
    assert.ok((signals[1]?.statistic ?? 1) < 0.001, 'the KS alert carries its p-value');
  });

  it('resumes from a JSON snapshot exactly', () => {
    const rows = uniformRows(12_000, 6, (i) => (i >= 5000 ? 3 : 0));
    const sliding = { ...options, kind: 'sliding' as const, ksAlpha: 0.01 };
    const uninterrupted = run(new DataMonitor(referenceOf(true), sliding), rows);
    for (const split of [0, 1, 4999, 5250, 11_999]) {
      const first = new DataMonitor(referenceOf(true), sliding);
      const before = run(first, rows.slice(0, split));
      const state = JSON.parse(JSON.stringify(first.toJSON())) as ReturnType<DataMonitor['toJSON']>;
      assert.ok(DataMonitor.fits(sliding, state));
      const after = run(
        new DataMonitor(referenceOf(true), sliding, state),
        rows.slice(split),
        split,
      );
      assert.deepEqual([...before, ...after], uninterrupted, `split at ${split}`);
    }
  });

  it('judges a version whose multivariate reference does not revive feature by feature, and keeps running', () => {
    const rows = uniformRows(3_000, 8);
    const fitted = fitMultivariateReference(['x1', 'x2', 'x3'], rows);
    assert.ok(fitted);
    // Shares the schema lets through (each in [0, 1]) but that do not add up to 1.
    const broken = {
      ...fitted,
      clusters: { ...fitted.clusters, shares: fitted.clusters.shares.map(() => 0.5) },
    };
    const monitor = new DataMonitor({ ...referenceOf(false), multivariate: broken }, options);
    assert.equal(monitor.multivariate(), null);
    const shifted = uniformRows(4_000, 9, (i) => (i >= 2_000 ? 3 : 0));
    assert.ok(run(monitor, shifted).some((signal) => signal.detector === 'psi'));
    const working = new DataMonitor({ ...referenceOf(false), multivariate: fitted }, options);
    run(working, uniformRows(1_000, 10));
    assert.notEqual(working.multivariate()?.clusterPsi, undefined);
  });
});

describe('DataMonitor, multiclass', () => {
  /** Three classes' probabilities: class 0 likely while `moved` is false, class 2 after. */
  function probabilityRows(length: number, seed: number, moved: (i: number) => boolean) {
    const random = mulberry32(seed);
    return Array.from({ length }, (_, i) => {
      const high = 0.5 + random() * 0.4;
      const rest = (1 - high) / 2;
      return moved(i) ? [rest, rest, high] : [high, rest, rest];
    });
  }

  it("watches each class's probability against the reference, and names the class that moved", () => {
    const classes = ['setosa', 'versicolor', 'virginica'];
    const training = probabilityRows(5000, 11, () => false);
    const profile = buildQuantileProfile({ featureNames: classes, rows: training, bins: 10 });
    const reference: ReferenceProfile = {
      ...referenceOf(false),
      classProbabilities: profile.features.map((f) => ({
        name: f.name,
        edges: [...f.edges],
        proportions: [...f.proportions],
        sample: [],
      })),
    };
    const monitor = new DataMonitor(reference, options);
    const live = probabilityRows(4000, 12, (i) => i >= 2000);
    const inputs = uniformRows(4000, 13);
    const signals: { detector: string; feature: string | null; at: number }[] = [];
    live.forEach((probabilities, i) => {
      const row = inputs[i] ?? [];
      const observation = {
        features: { x1: row[0] ?? 0, x2: row[1] ?? 0, x3: row[2] ?? 0 },
        score: Math.max(...probabilities),
        probabilities,
        ts: i,
      };
      for (const signal of monitor.observe(observation)) {
        signals.push({ detector: signal.detector, feature: signal.feature, at: i });
      }
    });
    // Class 1's probability kept its distribution; classes 0 and 2 moved at 2,000 and alert at
    // the end of the first tumbling window after it.
    assert.deepEqual(signals, [
      { detector: 'psi-class-probability', feature: 'setosa', at: 2499 },
      { detector: 'psi-class-probability', feature: 'virginica', at: 2499 },
    ]);
    const gauges = monitor.psiByFeature().map((entry) => entry.feature);
    assert.deepEqual(gauges.slice(-3), [
      '<score:setosa>',
      '<score:versicolor>',
      '<score:virginica>',
    ]);
  });
});
