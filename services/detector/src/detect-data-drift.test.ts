/**
 * The data-drift path of the detector handler, end to end without a broker: predictions are
 * summed up into feature sketches as inference writes them, and those, read back from the sketch
 * topic, are judged against the reference profile of the model version in the registry. Only the
 * package's public exports are used.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ModelRegistry,
  type BatchHandler,
  type InputRecord,
  type OutputMessage,
  attemptBatch,
} from '@driftwatch/bus';
import { mulberry32 } from '@driftwatch/drift';
import {
  createCodecs,
  encodeFeatureSketch,
  featureSketchesOf,
  topicNames,
  type DriftAlert,
  type ModelVersion,
  type Prediction,
} from '@driftwatch/topics';
import { Registry } from 'prom-client';

import {
  createDetectorDiagnostics,
  createDetectorStores,
  createDetectorHandler,
  inProcessAlarmCalibrator,
  internalTopicNames,
  parseStateKey,
  type DetectorDependencies,
  type StateSnapshot,
} from './index.js';
// Not exported: the per-event path the sketches are proven equal to.
import { DataMonitor, type DataSignal } from './data-monitor.js';
import type { DataState } from './model-states.js';
import { labeledRecords } from './testing/labeled-records.js';
import { seaVersion } from './testing/sea-version.js';
import { unitDetectorOptions } from './testing/unit-detector-options.js';

type DataJson = ReturnType<DataState['toJSON']>;

const names = topicNames('unit.');
const internal = internalTopicNames('unit.');
const codecs = await createCodecs({ schemaRegistryUrl: '', names });
const now = 9_000_000;

const options = unitDetectorOptions;
const window = options.data.window;

/** `sea` at `version`: x1 and the score trained uniform on [0, 1], in quartiles / halves. */
interface Detector {
  handle: BatchHandler;
  deps: DetectorDependencies;
  metrics: Registry;
  refreshes: number;
}

function detector(
  registry = new ModelRegistry(),
  onRefresh: () => void = () => undefined,
  detectorOptions: DetectorDependencies['options'] = options,
) {
  const metrics = new Registry();
  const result: Detector = {
    handle: () => Promise.resolve([]),
    metrics,
    refreshes: 0,
    deps: {
      names,
      internal,
      codecs,
      registry,
      refreshRegistry: () => {
        result.refreshes++;
        onRefresh();
        return Promise.resolve();
      },
      ...createDetectorStores(detectorOptions, registry),
      options: detectorOptions,
      now: () => now,
      calibrator: inProcessAlarmCalibrator,
      diagnostics: createDetectorDiagnostics(metrics),
    },
  };
  result.handle = createDetectorHandler(result.deps);
  return result;
}

function registryWith(...versions: ModelVersion[]): ModelRegistry {
  const registry = new ModelRegistry();
  for (const version of versions) registry.apply(version);
  return registry;
}

/** When the i-th prediction was scored. */
const tsOf = (i: number): number => 100_000 + i;

/** Predictions of `sea`, x1 from `x1Of(i)`, the score uniform on [0, 1] throughout. */
function predictionsOf(
  count: number,
  x1Of: (i: number, random: () => number) => number,
  version = 1,
): Prediction[] {
  const random = mulberry32(17);
  return Array.from({ length: count }, (_, i) => ({
    id: `e${i}`,
    model: 'sea',
    modelVersion: version,
    ts: i,
    scoredAt: tsOf(i),
    score: random(),
    predicted: 0,
    features: { x1: x1Of(i, random), x2: 5 },
  }));
}

const uniform = (_i: number, random: () => number): number => random();
/** From row `from` on, every x1 falls in the reference's top quartile. */
const shiftedFrom =
  (from: number) =>
  (i: number, random: () => number): number =>
    i < from ? random() : 0.75 + 0.25 * random();

/** Handles a batch as the bus does: the attempt's effects run only if its transaction commits. */
const attempt = (handle: BatchHandler, topic: string, records: InputRecord[], commits = true) =>
  attemptBatch(handle, { topic, partition: 0, records }, { commits });

const ofTopic = (outputs: readonly OutputMessage[], topic: string): OutputMessage[] =>
  outputs.filter((output) => output.topic === topic);

/**
 * The sketches inference writes for `predictions` scored in batches of `predictionsPerBatch`, as
 * records of the sketch topic (partition 0, offsets from `firstOffset`).
 */
function sketchRecords(
  predictions: readonly Prediction[],
  { predictionsPerBatch = 100, firstOffset = 0 } = {},
): InputRecord[] {
  const records: InputRecord[] = [];
  for (let start = 0; start < predictions.length; start += predictionsPerBatch) {
    for (const sketch of featureSketchesOf(predictions.slice(start, start + predictionsPerBatch))) {
      records.push({
        topic: internal.sketches,
        partition: 0,
        offset: String(firstOffset + records.length),
        key: Buffer.from(sketch.model),
        value: encodeFeatureSketch(sketch),
        timestamp: String(now),
        headers: {},
      });
    }
  }
  return records;
}

/**
 * Predictions' sketches (see {@link sketchRecords}) through the data-drift step, in batches of
 * `sketchesPerBatch`. Returns what it produced.
 */
async function runDataDrift(
  { handle }: Detector,
  predictions: readonly Prediction[],
  { predictionsPerBatch = 100, sketchesPerBatch = 3, firstOffset = 0 } = {},
): Promise<{ outputs: OutputMessage[]; sketches: InputRecord[] }> {
  const sketches = sketchRecords(predictions, { predictionsPerBatch, firstOffset });
  const outputs: OutputMessage[] = [];
  for (let start = 0; start < sketches.length; start += sketchesPerBatch) {
    const batch = sketches.slice(start, start + sketchesPerBatch);
    outputs.push(...(await attempt(handle, internal.sketches, batch)));
  }
  return { outputs, sketches };
}

async function alertsOf(outputs: readonly OutputMessage[]): Promise<DriftAlert[]> {
  return Promise.all(
    ofTopic(outputs, names.driftAlerts).map((output) => codecs.driftAlerts.decode(output.value)),
  );
}

/** The data-drift state snapshots among the outputs. */
function snapshotsOf(outputs: readonly OutputMessage[]): {
  key: string;
  snapshot: StateSnapshot<DataJson>;
}[] {
  return ofTopic(outputs, internal.state)
    .filter((output) => String(output.key).startsWith('data/'))
    .map((output) => ({
      key: String(output.key),
      snapshot: JSON.parse(output.value.toString('utf8')) as StateSnapshot<DataJson>,
    }));
}

async function counter(metrics: Registry, name: string): Promise<number> {
  const metric = await metrics.getSingleMetric(name)?.get();
  return metric?.values.reduce((sum, sample) => sum + sample.value, 0) ?? 0;
}

describe('detector handler, data drift', () => {
  it('sketches judged per batch give the same PSI, KS and alerts as every prediction read one by one', async () => {
    // Sliding windows and KS: a window may end inside any sketch, and KS reads the raw values.
    const sliding: DetectorDependencies['options'] = {
      ...options,
      data: { ...options.data, kind: 'sliding', ksAlpha: 0.01, rearmRatio: 0.9 },
    };
    const version: ModelVersion = {
      ...seaVersion(1),
      reference: {
        ...seaVersion(1).reference,
        features: seaVersion(1).reference.features.map((feature) => ({
          ...feature,
          sample: Array.from({ length: 400 }, (_, i) => (i + 0.5) / 400),
        })),
      },
    };
    const predictions = predictionsOf(3000, (i, random) =>
      i < 1200 ? random() : i < 2000 ? 0.6 * random() + 0.4 : random(),
    );
    const perEvent = new DataMonitor(version.reference, sliding.data);
    const expected = predictions.flatMap((prediction) =>
      perEvent.observe({
        features: prediction.features,
        score: prediction.score,
        ts: prediction.scoredAt,
      }),
    ) as DataSignal[];
    assert.ok(
      new Set(expected.map((signal) => signal.detector)).size === 2,
      `the stream trips PSI and KS: ${expected.map((signal) => signal.detector).join()}`,
    );

    const test = detector(registryWith(version), undefined, sliding);
    // Batches that do not divide the window: windows end inside sketches.
    const { outputs } = await runDataDrift(test, predictions, {
      predictionsPerBatch: 137,
      sketchesPerBatch: 2,
    });
    const alerts = await alertsOf(outputs);
    assert.deepEqual(
      alerts.map((alert) => [
        alert.detector,
        alert.feature,
        alert.statistic,
        alert.threshold,
        alert.windowStart,
        alert.windowEnd,
      ]),
      expected.map((signal) => [
        signal.detector,
        signal.feature,
        signal.statistic,
        signal.threshold,
        signal.windowStart,
        signal.windowEnd,
      ]),
    );
    const last = snapshotsOf(outputs).at(-1)?.snapshot.state.monitor;
    assert.deepEqual(last, JSON.parse(JSON.stringify(perEvent.toJSON())), 'the same state');
  });

  it('a stationary stream raises no alert; each batch writes the model’s state to the changelog', async () => {
    const test = detector(registryWith(seaVersion(1)));
    const { outputs, sketches } = await runDataDrift(test, predictionsOf(2000, uniform));
    assert.deepEqual(await alertsOf(outputs), []);
    assert.equal(sketches.length, 20);
    const snapshots = snapshotsOf(outputs);
    // One per data-drift batch of 3 sketches: 20 sketches, 7 batches.
    assert.equal(snapshots.length, 7);
    for (const [i, { key, snapshot }] of snapshots.entries()) {
      assert.equal(key, 'data/sea');
      assert.equal(snapshot.partition, 0);
      assert.equal(snapshot.offset, String(Math.min(3 * i + 2, 19)), 'the batch’s last record');
      assert.equal(snapshot.state.version, 1);
    }
    assert.equal(snapshots.at(-1)?.snapshot.state.monitor.observed, 2000);
    assert.equal(test.refreshes, 0, 'a known version needs no registry refresh');
    // PSI was computed, and stayed under the threshold.
    const psi = await test.metrics.getSingleMetric('driftwatch_detector_psi')?.get();
    const x1 = psi?.values.find((sample) => sample.labels['feature'] === 'x1')?.value;
    assert.ok(x1 !== undefined && x1 > 0 && x1 < 0.2, `PSI of x1: ${x1}`);
  });

  it('a shift in one feature raises one PSI alert, on the first window past the shift', async () => {
    const test = detector(registryWith(seaVersion(1)));
    const { outputs } = await runDataDrift(test, predictionsOf(2000, shiftedFrom(1000)));
    const alerts = await alertsOf(outputs);
    // x1 stays shifted, so the alert is not repeated for the windows after the first.
    assert.equal(alerts.length, 1, JSON.stringify(alerts));
    const [alert] = alerts;
    assert.deepEqual(
      {
        model: alert?.model,
        modelVersion: alert?.modelVersion,
        kind: alert?.kind,
        detector: alert?.detector,
        feature: alert?.feature,
        threshold: alert?.threshold,
        windowStart: alert?.windowStart,
        windowEnd: alert?.windowEnd,
        observedAt: alert?.observedAt,
        severity: alert?.severity,
      },
      {
        model: 'sea',
        modelVersion: 1,
        kind: 'data',
        detector: 'psi',
        feature: 'x1',
        threshold: 0.2,
        windowStart: tsOf(1000),
        windowEnd: tsOf(1000 + window - 1),
        observedAt: now,
        severity: 'critical',
      },
    );
    // A whole window in one quartile of four: PSI far above the threshold.
    assert.ok(alert!.statistic > 1, `PSI ${alert!.statistic}`);
    assert.equal(ofTopic(outputs, names.driftAlerts)[0]?.key, 'sea');
    assert.equal(await counter(test.metrics, 'driftwatch_detector_alerts_total'), 1);
  });

  it('the same alert id when the batch is handled again, and a detector restarted from its changelog alerts exactly as one that ran through', async () => {
    const predictions = predictionsOf(2000, shiftedFrom(1000));
    const through = await runDataDrift(detector(registryWith(seaVersion(1))), predictions);
    const expected = await alertsOf(through.outputs);
    assert.equal(expected.length, 1);

    // The first 1100 predictions, then a restart that knows only the changelog.
    const first = detector(registryWith(seaVersion(1)));
    const before = await runDataDrift(first, predictions.slice(0, 1100));
    assert.deepEqual(await alertsOf(before.outputs), []);
    const restarted = detector(registryWith(seaVersion(1)));
    for (const { key, snapshot } of snapshotsOf(before.outputs)) {
      const stateKey = parseStateKey(key);
      assert.equal(stateKey?.stream, 'data');
      restarted.deps.data.restore(stateKey.model, snapshot);
    }
    const after = await runDataDrift(restarted, predictions.slice(1100), {
      firstOffset: before.sketches.length,
    });
    assert.deepEqual(await alertsOf(after.outputs), expected);

    // Handling the alerting batch again after a failed transaction republishes the same alert.
    const again = detector(registryWith(seaVersion(1)));
    const { sketches } = await runDataDrift(again, predictions.slice(0, 1000));
    const alerting = sketchRecords(predictions.slice(1000, 1300), {
      firstOffset: sketches.length,
    });
    const failed = await attempt(again.handle, internal.sketches, alerting, false);
    const retried = await attempt(again.handle, internal.sketches, alerting);
    assert.deepEqual(await alertsOf(failed), await alertsOf(retried));
    assert.equal((await alertsOf(retried)).length, 1);
    assert.equal(
      await counter(again.metrics, 'driftwatch_detector_alerts_total'),
      1,
      'the failed attempt counted nothing',
    );
  });

  it('one model, one policy: a drift that trips the data and the concept rules makes one request', async () => {
    const test = detector(registryWith(seaVersion(1)), undefined, {
      ...options,
      policy: { ...options.policy, onDrift: true, onDataDrift: true },
    });
    const data = await runDataDrift(test, predictionsOf(1400, shiftedFrom(1000)));
    assert.equal((await alertsOf(data.outputs)).length, 1);
    const labeled = await labeledRecords(codecs, names, 4000);
    const concept: OutputMessage[] = [];
    for (let start = 0; start < labeled.length; start += 250) {
      const records = labeled.slice(start, start + 250);
      concept.push(...(await attempt(test.handle, names.predictionsLabeled, records)));
    }
    const conceptAlerts = await alertsOf(concept);
    assert.deepEqual(
      conceptAlerts.map((alert) => alert.kind),
      ['concept'],
    );
    const requests = await Promise.all(
      ofTopic([...data.outputs, ...concept], names.retrainRequested).map((o) =>
        codecs.retrainRequested.decode(o.value),
      ),
    );
    assert.equal(requests.length, 1, JSON.stringify(requests));
    assert.equal(requests[0]?.alertId, (await alertsOf(data.outputs))[0]?.alertId);
    assert.equal(
      await counter(test.metrics, 'driftwatch_detector_retrain_requests_deduplicated_total'),
      1,
    );
  });

  it('a version missing from the registry: the registry is refreshed, then the record skipped', async () => {
    const test = detector(registryWith(seaVersion(1)));
    const { outputs } = await runDataDrift(test, predictionsOf(400, shiftedFrom(0), 2), {
      sketchesPerBatch: 1,
    });
    assert.deepEqual(await alertsOf(outputs), []);
    assert.deepEqual(snapshotsOf(outputs), []);
    assert.equal(test.refreshes, 4, 'one refresh per sketch of the unknown version');
    assert.equal(
      await counter(test.metrics, 'driftwatch_detector_unknown_version_records_total'),
      4,
    );
  });

  it('a version the registry learns of on refresh is judged against its own reference', async () => {
    const registry = registryWith(seaVersion(1));
    const test = detector(registry, () => registry.apply(seaVersion(2)));
    const { outputs } = await runDataDrift(test, predictionsOf(400, shiftedFrom(0), 2));
    assert.equal(test.refreshes, 1);
    const alerts = await alertsOf(outputs);
    assert.deepEqual(
      alerts.map((alert) => [alert.modelVersion, alert.feature]),
      [[2, 'x1']],
    );
    assert.ok(snapshotsOf(outputs).every(({ snapshot }) => snapshot.state.version === 2));
  });

  it("an A/B candidate's predictions are counted, not judged as the serving version's", async () => {
    const test = detector(
      registryWith(seaVersion(1), { ...seaVersion(2), status: 'candidate', traffic: 0.5 }),
    );
    const { outputs } = await runDataDrift(test, predictionsOf(400, shiftedFrom(0), 2), {
      sketchesPerBatch: 1,
    });
    assert.deepEqual(await alertsOf(outputs), []);
    assert.deepEqual(snapshotsOf(outputs), []);
    assert.equal(await counter(test.metrics, 'driftwatch_detector_candidate_records_total'), 4);
  });

  it('predictions of an older version than the one monitored are ignored', async () => {
    const test = detector(registryWith(seaVersion(1), seaVersion(2)));
    await runDataDrift(test, predictionsOf(100, uniform, 2));
    const { outputs } = await runDataDrift(test, predictionsOf(400, shiftedFrom(0), 1), {
      firstOffset: 1,
    });
    assert.deepEqual(await alertsOf(outputs), []);
    assert.equal(await counter(test.metrics, 'driftwatch_detector_stale_version_records_total'), 4);
  });

  it('malformed sketches go to the dead-letter topic with their code; the good one is judged', async () => {
    const test = detector(registryWith(seaVersion(1)));
    const good = sketchRecords(predictionsOf(10, uniform))[0]!.value!;
    const header = JSON.stringify({
      model: 'sea',
      modelVersion: 1,
      rows: 1,
      classes: 0,
      features: [],
    });
    const withHeader = (json: string, columnBytes: number): Buffer => {
      const bytes = Buffer.alloc(5 + Buffer.byteLength(json) + columnBytes);
      bytes.writeUInt8(1, 0);
      bytes.writeUInt32BE(Buffer.byteLength(json), 1);
      bytes.write(json, 5);
      return bytes;
    };
    const cases: [string, Buffer | null][] = [
      ['DW_EMPTY_MESSAGE', null],
      ['DW_SCHEMA_VIOLATION', Buffer.from('not a sketch')],
      ['DW_MALFORMED_JSON', withHeader('{"model":', 16)],
      ['DW_SCHEMA_VIOLATION', withHeader(JSON.stringify({ model: 'sea', modelVersion: 0 }), 16)],
      ['DW_SCHEMA_VIOLATION', withHeader(header, 15)],
      ['DW_SCHEMA_VIOLATION', good.subarray(0, good.length - 8)],
    ];
    const records = [...cases.map(([, value]) => value), good].map(
      (value, offset): InputRecord => ({
        topic: internal.sketches,
        partition: 0,
        offset: String(offset),
        key: null,
        value,
        timestamp: String(now),
        headers: {},
      }),
    );
    const outputs = await attempt(test.handle, internal.sketches, records);
    assert.deepEqual(
      ofTopic(outputs, names.deadLetter).map((output) => output.headers?.['dw-code']),
      cases.map(([code]) => code),
    );
    const letter = await codecs.deadLetter.decode(ofTopic(outputs, names.deadLetter)[1]!.value);
    assert.deepEqual(
      [letter.service, letter.sourceTopic, letter.value],
      ['detector', internal.sketches, Buffer.from('not a sketch')],
    );
    assert.equal(snapshotsOf(outputs).at(-1)?.snapshot.state.monitor.observed, 10);
  });
});
