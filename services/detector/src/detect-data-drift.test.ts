/**
 * The data-drift path of the detector handler, end to end without a broker: predictions are
 * re-keyed onto the features repartition topic, and what that yields, read back from it, is judged
 * against the reference profile of the model version in the registry. Only the package's public
 * exports are used.
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
  featureBatchSchema,
  internalTopicNames,
  parseStateKey,
  type DetectorDependencies,
  type StateSnapshot,
} from './index.js';
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

/** The Kafka timestamp of the i-th prediction. */
const tsOf = (i: number): number => 100_000 + i;

/** Predictions of `sea`, x1 from `x1Of(i)`, the score uniform on [0, 1] throughout. */
async function predictionRecords(
  count: number,
  x1Of: (i: number, random: () => number) => number,
  version = 1,
): Promise<InputRecord[]> {
  const random = mulberry32(17);
  const records: InputRecord[] = [];
  for (let i = 0; i < count; i++) {
    const prediction: Prediction = {
      id: `e${i}`,
      model: 'sea',
      modelVersion: version,
      ts: i,
      scoredAt: i,
      score: random(),
      predicted: 0,
      features: { x1: x1Of(i, random), x2: 5 },
    };
    records.push({
      topic: names.predictions,
      partition: i % 3,
      offset: String(i),
      key: Buffer.from(prediction.id),
      value: await codecs.predictions.encode(prediction),
      timestamp: String(tsOf(i)),
      headers: {},
    });
  }
  return records;
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
 * Predictions in batches of `predictionsPerBatch` through the repartition step, then its output,
 * as records of the repartition topic (partition 0, offsets from `firstOffset`), in batches of
 * `featureRecordsPerBatch` through the data-drift step. Returns what that second step produced.
 */
async function runDataDrift(
  { handle }: Detector,
  predictions: readonly InputRecord[],
  { predictionsPerBatch = 100, featureRecordsPerBatch = 3, firstOffset = 0 } = {},
): Promise<{ outputs: OutputMessage[]; featureRecords: InputRecord[] }> {
  const featureRecords: InputRecord[] = [];
  for (let start = 0; start < predictions.length; start += predictionsPerBatch) {
    const batch = predictions.slice(start, start + predictionsPerBatch);
    for (const output of await attempt(handle, names.predictions, [...batch])) {
      assert.equal(output.topic, internal.features);
      featureRecords.push({
        topic: internal.features,
        partition: 0,
        offset: String(firstOffset + featureRecords.length),
        key: output.key === null ? null : Buffer.from(output.key),
        value: output.value,
        timestamp: String(now),
        headers: {},
      });
    }
  }
  const outputs: OutputMessage[] = [];
  for (let start = 0; start < featureRecords.length; start += featureRecordsPerBatch) {
    const batch = featureRecords.slice(start, start + featureRecordsPerBatch);
    outputs.push(...(await attempt(handle, internal.features, batch)));
  }
  return { outputs, featureRecords };
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
  it('re-keys a batch of predictions by model version, as columns', async () => {
    const { handle } = detector(registryWith(seaVersion(1)));
    const records = [
      ...(await predictionRecords(3, uniform)),
      ...(await predictionRecords(2, uniform, 2)),
    ];
    const outputs = await attempt(handle, names.predictions, records);
    assert.deepEqual(
      outputs.map((output) => [output.topic, output.key]),
      [
        [internal.features, 'sea'],
        [internal.features, 'sea'],
      ],
    );
    const [v1, v2] = outputs.map((output) =>
      featureBatchSchema.parse(JSON.parse(output.value.toString('utf8'))),
    );
    assert.equal(v1?.modelVersion, 1);
    assert.deepEqual(v1.timestamps, [tsOf(0), tsOf(1), tsOf(2)]);
    assert.equal(v1.scores.length, 3);
    assert.deepEqual(v1.features['x2'], [5, 5, 5]);
    assert.equal(v2?.modelVersion, 2);
    assert.equal(v2.timestamps.length, 2);
  });

  it('a stationary stream raises no alert; each batch writes the model’s state to the changelog', async () => {
    const test = detector(registryWith(seaVersion(1)));
    const { outputs, featureRecords } = await runDataDrift(
      test,
      await predictionRecords(2000, uniform),
    );
    assert.deepEqual(await alertsOf(outputs), []);
    assert.equal(featureRecords.length, 20);
    const snapshots = snapshotsOf(outputs);
    // One per data-drift batch of 3 feature records: 20 records, 7 batches.
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
    const { outputs } = await runDataDrift(test, await predictionRecords(2000, shiftedFrom(1000)));
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
    const predictions = await predictionRecords(2000, shiftedFrom(1000));
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
      firstOffset: before.featureRecords.length,
    });
    assert.deepEqual(await alertsOf(after.outputs), expected);

    // Handling the alerting batch again after a failed transaction republishes the same alert.
    const again = detector(registryWith(seaVersion(1)));
    const { featureRecords } = await runDataDrift(again, predictions.slice(0, 1000));
    const repartitioned: OutputMessage[] = [];
    for (let start = 1000; start < 1300; start += 100) {
      repartitioned.push(
        ...(await attempt(again.handle, names.predictions, predictions.slice(start, start + 100))),
      );
    }
    const alerting = repartitioned.map((output, i): InputRecord => ({
      topic: internal.features,
      partition: 0,
      offset: String(featureRecords.length + i),
      key: Buffer.from('sea'),
      value: output.value,
      timestamp: String(now),
      headers: {},
    }));
    const failed = await attempt(again.handle, internal.features, alerting, false);
    const retried = await attempt(again.handle, internal.features, alerting);
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
    const data = await runDataDrift(test, await predictionRecords(1400, shiftedFrom(1000)));
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
    const { outputs } = await runDataDrift(test, await predictionRecords(400, shiftedFrom(0), 2), {
      featureRecordsPerBatch: 1,
    });
    assert.deepEqual(await alertsOf(outputs), []);
    assert.deepEqual(snapshotsOf(outputs), []);
    assert.equal(test.refreshes, 4, 'one refresh per feature record of the unknown version');
    assert.equal(
      await counter(test.metrics, 'driftwatch_detector_unknown_version_records_total'),
      4,
    );
  });

  it('a version the registry learns of on refresh is judged against its own reference', async () => {
    const registry = registryWith(seaVersion(1));
    const test = detector(registry, () => registry.apply(seaVersion(2)));
    const { outputs } = await runDataDrift(test, await predictionRecords(400, shiftedFrom(0), 2));
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
    const { outputs } = await runDataDrift(test, await predictionRecords(400, shiftedFrom(0), 2), {
      featureRecordsPerBatch: 1,
    });
    assert.deepEqual(await alertsOf(outputs), []);
    assert.deepEqual(snapshotsOf(outputs), []);
    assert.equal(await counter(test.metrics, 'driftwatch_detector_candidate_records_total'), 4);
  });

  it('predictions of an older version than the one monitored are ignored', async () => {
    const test = detector(registryWith(seaVersion(1), seaVersion(2)));
    await runDataDrift(test, await predictionRecords(100, uniform, 2));
    const { outputs } = await runDataDrift(test, await predictionRecords(400, shiftedFrom(0), 1), {
      firstOffset: 1,
    });
    assert.deepEqual(await alertsOf(outputs), []);
    assert.equal(await counter(test.metrics, 'driftwatch_detector_stale_version_records_total'), 4);
  });

  it('malformed records on either topic go to the dead-letter topic with their code', async () => {
    const test = detector(registryWith(seaVersion(1)));
    const garbage = Buffer.from('not json');
    const bad = (topic: string, offset: number, value: Buffer | null): InputRecord => ({
      topic,
      partition: 0,
      offset: String(offset),
      key: null,
      value,
      timestamp: String(now),
      headers: {},
    });
    const fromPredictions = await attempt(test.handle, names.predictions, [
      bad(names.predictions, 0, garbage),
      ...(await predictionRecords(1, uniform)),
    ]);
    const fromFeatures = await attempt(test.handle, internal.features, [
      bad(internal.features, 0, garbage),
      bad(internal.features, 1, Buffer.from(JSON.stringify({ model: 'sea', modelVersion: 0 }))),
    ]);
    const codesOf = (outputs: OutputMessage[]) =>
      ofTopic(outputs, names.deadLetter).map((output) => output.headers?.['dw-code']);
    assert.deepEqual(codesOf(fromPredictions), ['DW_MALFORMED_JSON']);
    assert.equal(ofTopic(fromPredictions, internal.features).length, 1, 'the good one passes');
    assert.deepEqual(codesOf(fromFeatures), ['DW_MALFORMED_JSON', 'DW_SCHEMA_VIOLATION']);
    const letter = await codecs.deadLetter.decode(
      ofTopic(fromFeatures, names.deadLetter)[0]!.value,
    );
    assert.deepEqual(
      [letter.service, letter.sourceTopic, letter.value],
      ['detector', internal.features, garbage],
    );
    assert.deepEqual(snapshotsOf(fromFeatures), []);
  });
});
