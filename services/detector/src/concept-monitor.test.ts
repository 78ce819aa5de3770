import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { mulberry32 } from '@driftwatch/drift';

import {
  ConceptMonitor,
  type ConceptMonitorOptions,
  type ConceptMonitorState,
  type ConceptSignal,
  type LabeledObservation,
} from './concept-monitor.js';

const options: ConceptMonitorOptions = {
  window: 500,
  adwinDelta: 0.002,
  blockSize: 500,
  blockAccuracyThreshold: 0,
  accuracyThreshold: 0,
  rearmMargin: 0.02,
  adwinCooldown: 1000,
};

/** A classifier's labeled predictions whose error rate is `errorRate(i)`; ts = 1000 + i. */
function* predictions(
  length: number,
  errorRate: (i: number) => number,
  seed = 1,
): Generator<LabeledObservation> {
  const random = mulberry32(seed);
  for (let i = 0; i < length; i++) {
    const label = random() < 0.5 ? 1 : 0;
    const wrong = random() < errorRate(i);
    const predicted = (wrong ? 1 - label : label) as 0 | 1;
    yield { label, predicted, score: predicted === 1 ? 0.8 : 0.2, ts: 1000 + i };
  }
}

function run(monitor: ConceptMonitor, stream: Iterable<LabeledObservation>) {
  const signals: (ConceptSignal & { at: number })[] = [];
  let at = 0;
  for (const observation of stream) {
    for (const signal of monitor.observe(observation)) signals.push({ ...signal, at });
    at++;
  }
  return signals;
}

describe('ConceptMonitor', () => {
  it('raises no alert on a stationary error stream', () => {
    const signals = run(
      new ConceptMonitor(options),
      predictions(20_000, () => 0.1),
    );
    assert.deepEqual(signals, []);
  });

  it('raises one ADWIN alert for one abrupt rise of the error rate, soon after it', () => {
    const monitor = new ConceptMonitor(options);
    const signals = run(
      monitor,
      predictions(10_000, (i) => (i < 5000 ? 0.1 : 0.35)),
    );
    assert.equal(signals.length, 1, JSON.stringify(signals));
    const [alert] = signals;
    assert.equal(alert?.detector, 'adwin');
    assert.equal(alert.kind, 'concept');
    assert.ok(alert.at > 5000 && alert.at < 5600, `detected at ${alert.at}`);
    assert.ok(alert.statistic > alert.threshold, 'the error rate rose');
    assert.ok(alert.windowStart <= alert.windowEnd);
    assert.equal(alert.windowEnd, 1000 + alert.at);
    // In words, the old part of ADWIN's window against the new one, each as the stream had it.
    const match =
      /^the error rate rose from ([\d.]+)% over ([\d,]+) labeled predictions to ([\d.]+)% over the last ([\d,]+) \(ADWIN, delta 0.002\)$/.exec(
        alert.summary,
      );
    assert.ok(match, alert.summary);
    const [before, dropped, after, kept] = match.slice(1).map((n) => Number(n.replace(/,/g, '')));
    assert.equal((dropped ?? 0) + (kept ?? 0), alert.at + 1, 'the two parts are the stream so far');
    const errors = [...predictions(alert.at + 1, (i) => (i < 5000 ? 0.1 : 0.35))].map((p) =>
      p.label === p.predicted ? 0 : 1,
    );
    const rate = (part: number[]) => (100 * part.reduce((a, b) => a + b, 0)) / part.length;
    assert.equal(before, Number(rate(errors.slice(0, dropped)).toFixed(1)));
    assert.equal(after, Number(rate(errors.slice(dropped)).toFixed(1)));
    assert.ok(after > before);
  });

  it('does not alert when the model gets better', () => {
    const signals = run(
      new ConceptMonitor(options),
      predictions(10_000, (i) => (i < 5000 ? 0.35 : 0.05)),
    );
    assert.deepEqual(signals, []);
  });

  it('block accuracy: alerts once when blocks fall below the threshold, again only after a recovery', () => {
    const monitor = new ConceptMonitor({
      ...options,
      blockAccuracyThreshold: 0.8,
      adwinDelta: 1e-12,
    });
    const errorRate = (i: number): number =>
      i < 2000 ? 0.1 : i < 4000 ? 0.4 : i < 6000 ? 0.1 : 0.4;
    const blocks = run(monitor, predictions(8000, errorRate)).filter(
      (s) => s.detector === 'block-accuracy',
    );
    assert.deepEqual(
      blocks.map((s) => s.at),
      [2499, 6499],
    );
    assert.equal(blocks[0]?.windowStart, 1000 + 2000);
    assert.ok(blocks[0].statistic < 0.8);
  });

  it('window accuracy: a performance alert once the full window is below the floor', () => {
    const monitor = new ConceptMonitor({ ...options, accuracyThreshold: 0.8, adwinDelta: 1e-12 });
    const signals = run(
      monitor,
      predictions(6000, (i) => (i < 3000 ? 0.1 : 0.4)),
    );
    const performance = signals.filter((s) => s.kind === 'performance');
    assert.equal(performance.length, 1);
    assert.equal(performance[0]?.detector, 'window-accuracy');
    assert.equal(performance[0].severity, 'critical');
    assert.ok(performance[0].at > 3000);
  });

  it('reports sliding-window metrics', () => {
    const monitor = new ConceptMonitor(options);
    run(
      monitor,
      predictions(2000, () => 0.2),
    );
    const metrics = monitor.metrics();
    assert.equal(metrics.count, 500);
    assert.equal(metrics.labeled, 2000);
    assert.ok(Math.abs(metrics.accuracy - 0.8) < 0.06, `accuracy ${metrics.accuracy}`);
    assert.ok(metrics.adwinWidth > 0);
  });

  it('resumes from a JSON snapshot exactly as if it had never stopped', () => {
    const stream = [...predictions(12_000, (i) => (i < 4000 ? 0.1 : i < 8000 ? 0.4 : 0.1))];
    const full = { ...options, blockAccuracyThreshold: 0.75, accuracyThreshold: 0.7 };
    const uninterrupted = run(new ConceptMonitor(full), stream);
    for (const split of [0, 1, 3999, 4300, 7777, 11_999]) {
      const first = new ConceptMonitor(full);
      const before = run(first, stream.slice(0, split));
      const state = JSON.parse(JSON.stringify(first.toJSON())) as ReturnType<
        ConceptMonitor['toJSON']
      >;
      assert.ok(ConceptMonitor.fits(full, state));
      const after = run(new ConceptMonitor(full, state), stream.slice(split)).map((s) => ({
        ...s,
        at: s.at + split,
      }));
      assert.deepEqual([...before, ...after], uninterrupted, `split at ${split}`);
    }
  });
});

interface MulticlassGolden {
  name: string;
  classCount: number;
  window: number;
  stream: [number, number, number[]][];
  checkpoints: {
    index: number;
    accuracy: number;
    precision: number;
    recall: number;
    f1: number;
    rocAuc: number | null;
    classRecall: (number | null)[];
  }[];
}

const multiclassGoldens = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/drift/sklearn/multiclass-metrics.json', import.meta.url),
    'utf8',
  ),
) as { sklearn: string; cases: MulticlassGolden[] };

function closeTo(actual: number, expected: number | null, what: string): void {
  if (expected === null) {
    assert.ok(Number.isNaN(actual), `${what}: ${actual}, expected NaN`);
    return;
  }
  assert.ok(Math.abs(actual - expected) <= 1e-12, `${what}: ${actual} ≠ ${expected}`);
}

describe(`ConceptMonitor, multiclass: window metrics equal scikit-learn ${multiclassGoldens.sklearn}`, () => {
  for (const golden of multiclassGoldens.cases) {
    it(golden.name, () => {
      const classes = Array.from({ length: golden.classCount }, (_, k) => `class-${k}`);
      const monitor = new ConceptMonitor({ ...options, window: golden.window }, undefined, classes);
      const checkpoints = new Map(golden.checkpoints.map((c) => [c.index, c]));
      golden.stream.forEach(([label, predicted, probabilities], index) => {
        monitor.observe({ label, predicted, score: 0, probabilities, ts: 1000 + index });
        const expected = checkpoints.get(index);
        if (!expected) return;
        const metrics = monitor.metrics();
        for (const name of ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const) {
          closeTo(metrics[name], expected[name], `${name} at ${index}`);
        }
        classes.forEach((name, k) => {
          closeTo(
            metrics.classRecall[name] ?? NaN,
            expected.classRecall[k] ?? null,
            `recall of ${name} at ${index}`,
          );
        });
      });
      // A snapshot restores the classes and the multiclass window.
      const snapshot = JSON.parse(JSON.stringify(monitor.toJSON())) as ConceptMonitorState;
      const restored = new ConceptMonitor(options, snapshot);
      assert.deepEqual(restored.classes, classes);
      assert.deepEqual(restored.metrics(), monitor.metrics());
    });
  }

  it('ADWIN watches the error stream of a multiclass model as of a binary one', () => {
    const classes = ['a', 'b', 'c'];
    const monitor = new ConceptMonitor(options, undefined, classes);
    const random = mulberry32(7);
    const signals: number[] = [];
    for (let i = 0; i < 6000; i++) {
      const label = Math.floor(random() * 3);
      const wrong = random() < (i < 3000 ? 0.1 : 0.5);
      const predicted = wrong ? (label + 1) % 3 : label;
      const probabilities = [0.1, 0.1, 0.1];
      probabilities[predicted] = 0.8;
      for (const signal of monitor.observe({
        label,
        predicted,
        score: 0.8,
        probabilities,
        ts: i,
      })) {
        if (signal.detector === 'adwin') signals.push(i);
      }
    }
    assert.equal(signals.length, 1, `one ADWIN alert, got ${signals.join(', ')}`);
    assert.ok(signals[0]! > 3000 && signals[0]! < 3300, `detected at ${signals[0]}`);
  });
});

describe('ConceptMonitor with another error-stream rule', () => {
  for (const conceptDetector of ['fhddm', 'fhddms', 'hddm-a'] as const) {
    const chosen = { ...options, conceptDetector };
    it(`${conceptDetector}: one alert for one abrupt rise, none on a stationary stream, and it says why`, () => {
      assert.deepEqual(
        run(
          new ConceptMonitor(chosen),
          predictions(20_000, () => 0.1),
        ),
        [],
      );
      const signals = run(
        new ConceptMonitor(chosen),
        predictions(10_000, (i) => (i < 5000 ? 0.1 : 0.35)),
      );
      assert.deepEqual(
        signals.map((signal) => signal.detector),
        [conceptDetector],
        JSON.stringify(signals),
      );
      const alert = signals[0];
      assert.ok(alert);
      assert.ok(alert.at > 5000 && alert.at < 5600, `detected at ${alert.at}`);
      assert.match(alert.summary, conceptDetector === 'hddm-a' ? /HDDM_A/ : /FHDDMS? \(|FHDDMS?,/);
    });

    it(`${conceptDetector}: resumes from a JSON snapshot exactly, and a snapshot of another rule is not continued`, () => {
      const stream = [...predictions(10_000, (i) => (i < 5000 ? 0.1 : 0.35))];
      const whole = run(new ConceptMonitor(chosen), stream);
      const first = new ConceptMonitor(chosen);
      const part = run(first, stream.slice(0, 5200));
      const state = JSON.parse(JSON.stringify(first.toJSON())) as ConceptMonitorState;
      const rest = run(new ConceptMonitor(chosen, state), stream.slice(5200)).map((s) => ({
        ...s,
        at: s.at + 5200,
      }));
      assert.deepEqual([...part, ...rest], whole);
      assert.equal(ConceptMonitor.fits(chosen, state), true);
      assert.equal(ConceptMonitor.fits(options, state), false);
    });
  }
});
