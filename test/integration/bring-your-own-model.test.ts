/**
 * Issue "Bring your own model": classifiers trained elsewhere and exported by real exporters
 * (skl2onnx with and without ZipMap, a forest, a logit and a sigmoid network, a multiclass
 * pipeline on iris, a softmax network — test/fixtures/byom/make_models.py), registered with
 * `driftwatch models register`, served by the real inference, joiner and detector processes on
 * the real broker and Redis. Each model's 2,000-event stream drifts at event 1,000.
 *
 * - Every published probability equals onnxruntime's in Python on the same row (1e-5).
 * - The detector's window metrics over the last 500 labeled predictions equal scikit-learn's on
 *   rows 1,500–1,999 (expected.json's window), binary and multiclass.
 * - The drift halfway is alerted: each model gets an alert from the drifted half.
 *
 * Everything is bounded in events: the test waits for counts, never for time to pass.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Producer } from '@driftwatch/bus';
import { repoRoot } from '@driftwatch/demo';
import type { DriftAlert, FeatureEvent, LabelEvent, Prediction } from '@driftwatch/topics';

import { runCli } from '../../packages/cli/src/testing/run-cli.js';
import { kafkaBrokers, redisUrl, testKafka } from '../support/environment.js';
import { createTestPipeline, sendAll, type TestPipeline } from '../support/pipeline.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { collectTopic } from '../support/topic-reader.js';

const kafka = testKafka();
const fixtureDir = `${repoRoot}/test/fixtures/byom`;
const fixtureNames = [
  'binary-logreg-zipmap',
  'binary-forest',
  'binary-logit',
  'binary-sigmoid',
  'multiclass-iris',
  'softmax-net',
] as const;
const rowsPerModel = 2000;
const driftAt = 1000;
const window = 500;

interface Expected {
  model: string;
  classes: (string | number)[];
  threshold: number | null;
  predicted: (string | number)[];
  probabilities: number[][];
  windows: ({ start: number; end: number; accuracy: number } & Record<string, unknown>)[];
}

interface Fixture {
  name: string;
  expected: Expected;
  events: FeatureEvent[];
  labels: LabelEvent[];
}

/** The stream CSV as events and labels: a label cell that is an integer is sent as one. */
function loadFixture(name: string, baseTs: number): Fixture {
  const expected = JSON.parse(
    readFileSync(`${fixtureDir}/${name}.expected.json`, 'utf8'),
  ) as Expected;
  const [header = '', ...lines] = readFileSync(`${fixtureDir}/${name}.stream.csv`, 'utf8')
    .trim()
    .split('\n');
  const columns = header.split(',');
  const events: FeatureEvent[] = [];
  const labels: LabelEvent[] = [];
  lines.forEach((line, i) => {
    const cells = line.split(',');
    const features: Record<string, number> = {};
    let id = '';
    let label = '';
    columns.forEach((column, c) => {
      const cell = cells[c] ?? '';
      if (column === 'id') id = cell;
      else if (column === 'label') label = cell;
      else features[column] = Number(cell);
    });
    const ts = baseTs + i * 1000;
    events.push({ id, model: name, ts, features });
    labels.push({
      id,
      model: name,
      ts: ts + 500,
      label: /^-?\d+$/.test(label) ? Number(label) : label,
    });
  });
  return { name, expected, events, labels };
}

describe('bring your own model: registered ONNX classifiers from real exporters, end to end', () => {
  let pipeline: TestPipeline;
  const producer: Producer = kafka.producer();
  const readers: { stop(): Promise<void> }[] = [];
  let fixtures: Fixture[];
  const services: ServiceProcess[] = [];
  let detector: ServiceProcess;
  let predictions: Awaited<ReturnType<typeof collectTopic>>;
  let labeled: Awaited<ReturnType<typeof collectTopic>>;
  let alerts: Awaited<ReturnType<typeof collectTopic>>;
  const alertsBeforeDrift = new Map<string, number>();

  before(async () => {
    // One partition: labels join in the order they are sent, so the detector's last window is
    // exactly rows 1,500–1,999 of each stream.
    pipeline = await createTestPipeline(kafka, { partitions: 1 });
    const env = {
      ...pipeline.env,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      REDIS_URL: redisUrl,
    };
    const baseTs = Date.now() - 3 * 3_600_000;
    fixtures = fixtureNames.map((name) => loadFixture(name, baseTs));
    for (const fixture of fixtures) {
      const threshold = fixture.expected.threshold;
      const result = await runCli(
        [
          'models',
          'register',
          fixture.name,
          '--onnx',
          `${fixtureDir}/${fixture.name}.onnx`,
          '--reference',
          `${fixtureDir}/${fixture.name}.reference.csv`,
          ...(threshold === null ? [] : ['--threshold', String(threshold)]),
          '--json',
        ],
        env,
      );
      assert.equal(result.code, 0, `register ${fixture.name}: ${result.stderr}`);
    }
    const serviceEnv = {
      ...pipeline.env,
      DETECTOR_WINDOW: String(window),
      DETECTOR_PSI_WINDOW: String(window),
      // Retraining is not what this test is about: no trainer runs.
      RETRAIN_ON_DRIFT: 'false',
    };
    for (const name of ['inference', 'joiner', 'detector'] as const) {
      const service = await startServiceProcess(name, serviceEnv);
      services.push(service);
      if (name === 'detector') detector = service;
    }
    await producer.connect();
    predictions = await collectTopic(kafka, pipeline.names.predictions);
    labeled = await collectTopic(kafka, pipeline.names.predictionsLabeled);
    alerts = await collectTopic(kafka, pipeline.names.driftAlerts);
    readers.push(predictions, labeled, alerts);

    // The first half, then its labels; then the drifted half and its labels.
    for (const [from, to] of [
      [0, driftAt],
      [driftAt, rowsPerModel],
    ] as const) {
      const events = fixtures.flatMap((f) => f.events.slice(from, to));
      await sendAll(
        producer,
        pipeline.names.events,
        await Promise.all(
          events.map(async (e) => ({ key: e.id, value: await pipeline.codecs.events.encode(e) })),
        ),
      );
      await predictions.waitFor(fixtures.length * to, 300_000);
      const labels = fixtures.flatMap((f) => f.labels.slice(from, to));
      await sendAll(
        producer,
        pipeline.names.labels,
        await Promise.all(
          labels.map(async (l) => ({ key: l.id, value: await pipeline.codecs.labels.encode(l) })),
        ),
      );
      await labeled.waitFor(fixtures.length * to, 300_000);
      await waitForDetector(detector, fixtures.length * to);
      if (from === 0) {
        for (const alert of await decodedAlerts()) {
          alertsBeforeDrift.set(alert.model, (alertsBeforeDrift.get(alert.model) ?? 0) + 1);
        }
      }
    }
  });

  after(async () => {
    await Promise.all(services.map((service) => service.stop('SIGKILL')));
    await Promise.all(readers.map((reader) => reader.stop()));
    await producer.disconnect();
  });

  async function decodedAlerts(): Promise<DriftAlert[]> {
    return Promise.all(
      alerts.records.map((record) => pipeline.codecs.driftAlerts.decode(record.value)),
    );
  }

  it("publishes every class's probability as onnxruntime in Python computed it (1e-5), and its argmax or threshold class", async () => {
    const byId = new Map<string, Prediction>();
    for (const record of predictions.records) {
      const prediction = await pipeline.codecs.predictions.decode(record.value);
      byId.set(prediction.id, prediction);
    }
    for (const fixture of fixtures) {
      const classes = fixture.expected.classes.map(String);
      let worst = 0;
      fixture.events.forEach((event, i) => {
        const prediction = byId.get(event.id);
        assert.ok(prediction, `${fixture.name}: no prediction for ${event.id}`);
        assert.deepEqual(prediction.classes, classes, fixture.name);
        const expected = fixture.expected.probabilities[i] ?? [];
        assert.equal(prediction.probabilities?.length, expected.length);
        expected.forEach((p, k) => {
          worst = Math.max(worst, Math.abs((prediction.probabilities?.[k] ?? NaN) - p));
        });
        assert.equal(
          classes[prediction.predicted],
          String(fixture.expected.predicted[i]),
          `${fixture.name} row ${i}: predicted class`,
        );
      });
      assert.ok(worst <= 1e-5, `${fixture.name}: largest probability difference ${worst}`);
    }
  });

  it("computes the window's metrics as scikit-learn does on the same rows", async () => {
    for (const fixture of fixtures) {
      const golden = fixture.expected.windows.find(
        (w) => w.start === rowsPerModel - window && w.end === rowsPerModel,
      );
      assert.ok(golden, `${fixture.name}: no golden window for the last ${window} rows`);
      const labels = { model: fixture.name, model_version: '1' };
      const gauge = (name: string) =>
        detector.metric(`driftwatch_detector_window_${name}_ratio`, labels);
      const multiclass = fixture.expected.classes.length > 2;
      const pairs: [string, unknown][] = multiclass
        ? [
            ['accuracy', golden.accuracy],
            ['precision', golden['precisionMacro']],
            ['recall', golden['recallMacro']],
            ['f1', golden['f1Macro']],
            ['roc_auc', golden['rocAucOvrMacro']],
          ]
        : [
            ['accuracy', golden.accuracy],
            ['precision', golden['precision']],
            ['recall', golden['recall']],
            ['f1', golden['f1']],
            ['roc_auc', golden['rocAuc']],
          ];
      for (const [name, expected] of pairs) {
        const actual = await gauge(name);
        assert.ok(
          Math.abs(actual - Number(expected)) <= 1e-9,
          `${fixture.name} ${name}: ${actual}, scikit-learn ${String(expected)}`,
        );
      }
      if (multiclass) {
        const perClass = golden['recallPerClass'] as Record<string, number | null>;
        for (const [name, expected] of Object.entries(perClass)) {
          const actual = await detector.metric('driftwatch_detector_window_class_recall_ratio', {
            ...labels,
            class: name,
          });
          assert.ok(
            Math.abs(actual - (expected ?? NaN)) <= 1e-9,
            `${fixture.name} recall of ${name}: ${actual}, scikit-learn ${String(expected)}`,
          );
        }
      }
    }
  });

  it('alerts on the drift injected halfway, for every model', async () => {
    const counts = new Map<string, number>();
    const countAlerts = async (): Promise<void> => {
      counts.clear();
      for (const alert of await decodedAlerts()) {
        counts.set(alert.model, (counts.get(alert.model) ?? 0) + 1);
      }
    };
    const alertedAfterDrift = (name: string): boolean =>
      (counts.get(name) ?? 0) > (alertsBeforeDrift.get(name) ?? 0);
    // Data drift is judged from the predictions, which the detector may still be working through.
    await eventually('an alert from the drifted half of every stream', async () => {
      await countAlerts();
      return fixtures.every((fixture) => alertedAfterDrift(fixture.name));
    }).catch(() => undefined);
    for (const fixture of fixtures) {
      assert.ok(
        alertedAfterDrift(fixture.name),
        `${fixture.name}: ${alertsBeforeDrift.get(fixture.name) ?? 0} alerts before the drift, ${counts.get(fixture.name) ?? 0} in all`,
      );
    }
  });
});

/**
 * Polls `check` until it holds. The deadline only keeps a broken run from hanging the suite; the
 * verdict is the check's, in events.
 */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await sleep(200);
  }
}

/** Waits until the detector has taken in `count` labeled predictions (summed over models). */
function waitForDetector(detector: ServiceProcess, count: number): Promise<void> {
  return eventually(`the detector to take in ${count} labeled predictions`, async () => {
    return (await detector.metric('driftwatch_detector_labeled_predictions')) >= count;
  });
}
