import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  type BatchHandler,
  type InputRecord,
  type OutputMessage,
  type RecordBatch,
  attemptBatch,
} from '@driftwatch/bus';
import type { ModelVersion } from '@driftwatch/topics';
import { Registry } from 'prom-client';

import { alarmSettingsOf } from './alarm-settings-of.js';
import { createDetectorHandler } from './create-detector-handler.js';
import type { DetectorDependencies } from './detector-dependencies.js';
import { createDetectorStores } from './detector-stores.js';
import { labeledRecords } from './testing/labeled-records.js';
import {
  codecs,
  handleInBatches,
  internal,
  names,
  restoreSnapshots,
  unitDetectorDependencies,
} from './testing/unit-detector.js';
import { snapshotPositionOf } from './snapshot-position.js';
import { seaVersion } from './testing/sea-version.js';
import { unitDetectorOptions } from './testing/unit-detector-options.js';

const options = unitDetectorOptions;

function newDeps(metrics = new Registry()): DetectorDependencies {
  return unitDetectorDependencies(options, metrics);
}

/** Handles a batch as the bus does: the attempt's effects run only if its transaction `commits`. */
const attempt = (handle: BatchHandler, batch: RecordBatch, commits = true) =>
  attemptBatch(handle, batch, { commits });

const ofTopic = (outputs: OutputMessage[], topic: string): OutputMessage[] =>
  outputs.filter((output) => output.topic === topic);

/** `sea` v1 as the registry holds it: the concept rules need only its holdout accuracy. */
const seaV1: ModelVersion = {
  ...seaVersion(1),
  metrics: { challenger: { accuracy: 0.9 }, champion: null },
};

describe('detector batch handler', () => {
  it('one drift: one alert, one retrain request after minRows more labels, a snapshot of the monitor and of the policy per batch', async () => {
    const records = await labeledRecords(codecs, names, 4000);
    const outputs = await handleInBatches(newDeps(), records, 250);
    const alerts = await Promise.all(
      ofTopic(outputs, names.driftAlerts).map((o) => codecs.driftAlerts.decode(o.value)),
    );
    assert.equal(alerts.length, 1, JSON.stringify(alerts));
    const [alert] = alerts;
    assert.equal(alert?.model, 'sea');
    assert.equal(alert.modelVersion, 1);
    assert.equal(alert.detector, 'adwin');
    const requests = await Promise.all(
      ofTopic(outputs, names.retrainRequested).map((o) => codecs.retrainRequested.decode(o.value)),
    );
    assert.equal(requests.length, 1);
    assert.equal(requests[0]?.reason, 'drift');
    assert.equal(requests[0].alertId, alert.alertId);
    assert.equal(requests[0].fromTs, alert.windowEnd);
    assert.equal(requests[0].toTs - requests[0].fromTs, options.policy.minRows);
    assert.equal(alert.incidentId, alert.alertId, 'the first alert of an incident names it');
    assert.equal(requests[0].incidentId, alert.alertId);
    const keys = ofTopic(outputs, internal.state).map((o) => String(o.key));
    assert.equal(keys.filter((key) => key === 'concept/sea').length, 4000 / 250);
    assert.equal(keys.filter((key) => key === 'policy/sea').length, 4000 / 250);
    assert.equal(keys.length, 2 * (4000 / 250));
    // Each snapshot names, in a header, the position its own JSON holds: a follower of the
    // changelog tells its own records from that alone.
    for (const output of ofTopic(outputs, internal.state)) {
      const { partition, offset } = JSON.parse(String(output.value)) as {
        partition: number;
        offset: string;
      };
      assert.deepEqual(snapshotPositionOf(output.headers), { partition, offset });
    }
  });

  it('a batch handled again after its transaction failed publishes the same alert with the same id, and counts it once', async () => {
    const records = await labeledRecords(codecs, names, 4000);
    const reference = await handleInBatches(newDeps(), records, 250);
    const alertId = (
      await codecs.driftAlerts.decode(ofTopic(reference, names.driftAlerts)[0]!.value)
    ).alertId;

    const metrics = new Registry();
    const deps = newDeps(metrics);
    const handle = createDetectorHandler(deps);
    const outputs: OutputMessage[] = [];
    for (let start = 0; start < records.length; start += 250) {
      const batch = {
        topic: names.predictionsLabeled,
        partition: 0,
        records: records.slice(start, start + 250),
      };
      // Every batch fails once (no commit), then succeeds.
      await attempt(handle, batch, false);
      outputs.push(...(await attempt(handle, batch)));
    }
    const alerts = await Promise.all(
      ofTopic(outputs, names.driftAlerts).map((o) => codecs.driftAlerts.decode(o.value)),
    );
    assert.deepEqual(
      alerts.map((a) => a.alertId),
      [alertId],
    );
    const counted = await metrics.getSingleMetric('driftwatch_detector_alerts_total')?.get();
    assert.equal(
      counted?.values.reduce((sum, sample) => sum + sample.value, 0),
      1,
      'the failed attempts counted nothing',
    );
    const requests = await metrics
      .getSingleMetric('driftwatch_detector_retrain_requests_total')
      ?.get();
    assert.equal(
      requests?.values.reduce((sum, sample) => sum + sample.value, 0),
      1,
    );
  });

  it('a detector restarted from the changelog continues exactly: no alert twice, none lost', async () => {
    const records = await labeledRecords(codecs, names, 4000);
    const uninterrupted = await handleInBatches(newDeps(), records, 250);
    const first = newDeps();
    const before = await handleInBatches(first, records.slice(0, 1500), 250);
    // The restarted detector knows only what the changelog holds: the last snapshot per key.
    const restarted = newDeps();
    const unreadable: unknown[] = [];
    restoreSnapshots(restarted, before, (fields) => unreadable.push(fields));
    assert.deepEqual(unreadable, [], 'every snapshot key names a stream and a model');
    const after = await handleInBatches(restarted, records.slice(1500), 250);
    const alertsOf = (outputs: OutputMessage[]) =>
      ofTopic(outputs, names.driftAlerts).map((o) => o.value.toString());
    assert.deepEqual([...alertsOf(before), ...alertsOf(after)], alertsOf(uninterrupted));
    // The policy, restored from its own snapshot, asks exactly when the uninterrupted one did.
    const requestsOf = (outputs: OutputMessage[]) =>
      ofTopic(outputs, names.retrainRequested).map((o) => o.value.toString());
    assert.equal(requestsOf(uninterrupted).length, 1);
    assert.deepEqual([...requestsOf(before), ...requestsOf(after)], requestsOf(uninterrupted));
  });

  it('with a false-alarm budget: the version is calibrated on its holdout accuracy, its alert carries the run length, and a restart continues the calibration', async () => {
    const budgeted = {
      ...options,
      concept: { ...options.concept, falseAlarmEvery: 20_000, blockAccuracyThreshold: 0.5 },
    };
    const budgetDeps = (): DetectorDependencies => {
      const deps = newDeps();
      deps.registry.apply(seaV1);
      return { ...deps, ...createDetectorStores(budgeted, deps.registry), options: budgeted };
    };
    const records = await labeledRecords(codecs, names, 4000);
    const decodeAlerts = (outputs: OutputMessage[]) =>
      Promise.all(
        ofTopic(outputs, names.driftAlerts).map((o) => codecs.driftAlerts.decode(o.value)),
      );
    const uninterrupted = await handleInBatches(budgetDeps(), records, 250);
    const alerts = await decodeAlerts(uninterrupted);
    // The error rate jumps from 10% to 45% at 1,500: both rules see it, and nothing before.
    assert.deepEqual([...new Set(alerts.map((a) => a.detector))].sort(), [
      'adwin',
      'block-accuracy',
    ]);
    for (const alert of alerts) {
      assert.ok(alert.windowEnd >= 10_000 + 1500, `${alert.detector} after the change`);
      assert.ok(alert.expectedRunLength !== null, `${alert.detector} says its budget`);
      assert.ok(
        alert.expectedRunLength >= 20_000 / 1.5 && alert.expectedRunLength <= 20_000 * 1.5,
        `${alert.detector}: ${alert.expectedRunLength}`,
      );
      assert.match(alert.summary, /calibrated to one false alarm every [\d,]+ labeled predictions/);
    }
    // One drift seen by two rules, three times: one incident, named by its first alert, and one request.
    assert.deepEqual(
      alerts.map((a) => a.incidentId),
      alerts.map(() => alerts[0]?.alertId),
    );
    const requests = await Promise.all(
      ofTopic(uninterrupted, names.retrainRequested).map((o) =>
        codecs.retrainRequested.decode(o.value),
      ),
    );
    assert.deepEqual(
      requests.map((r) => r.incidentId),
      [alerts[0]?.alertId],
    );
    const adwin = alerts.find((a) => a.detector === 'adwin');
    assert.ok(adwin && adwin.summary.includes('ADWIN, delta'), adwin?.summary);
    assert.doesNotMatch(adwin.summary, /delta 0\.002\b/, 'the calibrated delta, not the raw one');

    // Restarted from the changelog, the detector continues under the calibration it stored.
    const before = await handleInBatches(budgetDeps(), records.slice(0, 1000), 250);
    const restarted = budgetDeps();
    restoreSnapshots(restarted, before, () => assert.fail('every snapshot is readable'));
    const after = await handleInBatches(restarted, records.slice(1000), 250);
    assert.deepEqual(
      [...ofTopic(before, names.driftAlerts), ...ofTopic(after, names.driftAlerts)].map((o) =>
        o.value.toString(),
      ),
      ofTopic(uninterrupted, names.driftAlerts).map((o) => o.value.toString()),
    );
  });

  it("with a false-alarm budget: a version calibrated under the detector's settings is watched with its own calibration, and requests carry the settings", async () => {
    const budgeted = {
      ...options,
      concept: { ...options.concept, falseAlarmEvery: 20_000 },
      data: { ...options.data, falseAlarmEvery: 20_000 },
    };
    const settings = alarmSettingsOf(budgeted);
    assert.ok(settings);
    /** What the trainer would store, with a delta no simulation here would choose. */
    const carrying = (falseAlarmEvery: number): ModelVersion => ({
      ...seaV1,
      alarmCalibration: {
        settings: { ...settings, falseAlarmEvery },
        concept: {
          eventsPerAlarm: falseAlarmEvery,
          errorStream: { threshold: 0.0375, expectedRunLength: 12_345 },
          blockAccuracy: null,
          windowAccuracy: null,
        },
        data: {
          eventsPerAlarm: falseAlarmEvery,
          psi: {},
          ks: null,
          cbpe: null,
          reconstruction: null,
        },
      },
    });
    const run = async (version: ModelVersion) => {
      const metrics = new Registry();
      const deps = newDeps(metrics);
      deps.registry.apply(version);
      const outputs = await handleInBatches(
        { ...deps, ...createDetectorStores(budgeted, deps.registry), options: budgeted },
        await labeledRecords(codecs, names, 4000),
        250,
      );
      const decode = <T>(topic: string, codec: { decode(value: Buffer): Promise<T> }) =>
        Promise.all(ofTopic(outputs, topic).map((o) => codec.decode(o.value)));
      const calibrations =
        (await metrics.getSingleMetric('driftwatch_detector_alarm_calibrations_total')?.get())
          ?.values ?? [];
      return {
        adwin: (await decode(names.driftAlerts, codecs.driftAlerts)).find(
          (a) => a.detector === 'adwin',
        ),
        requests: await decode(names.retrainRequested, codecs.retrainRequested),
        calibratedBy: calibrations
          .filter((value) => value.value > 0)
          .map((value) => `${value.labels['stream']}:${value.labels['by']}`)
          .sort(),
      };
    };

    const adopted = await run(carrying(20_000));
    assert.equal(adopted.adwin?.expectedRunLength, 12_345, 'the stored run length');
    assert.match(adopted.adwin.summary, /delta 0\.0375\b/);
    assert.deepEqual(adopted.calibratedBy, ['concept:version']);
    assert.ok(adopted.requests.length > 0);
    for (const request of adopted.requests) assert.deepEqual(request.alarmSettings, settings);

    // Calibrated under another budget: the detector calibrates the version itself.
    const simulated = await run(carrying(50_000));
    assert.ok(simulated.adwin, 'ADWIN still sees the drift');
    assert.notEqual(simulated.adwin.expectedRunLength, 12_345);
    assert.deepEqual(simulated.calibratedBy, ['concept:detector']);
  });

  it('labels of a version that no longer serves are ignored; a newer version starts a fresh monitor', async () => {
    const deps = newDeps();
    const records = await labeledRecords(codecs, names, 10);
    const handle = createDetectorHandler(deps);
    const bump = async (record: InputRecord, version: number): Promise<InputRecord> => {
      const labeled = await codecs.predictionsLabeled.decode(record.value);
      return {
        ...record,
        value: await codecs.predictionsLabeled.encode({ ...labeled, modelVersion: version }),
      };
    };
    const batch = [
      await bump(records[0]!, 2),
      await bump(records[1]!, 1),
      await bump(records[2]!, 2),
      await bump(records[3]!, 3),
    ];
    await attempt(handle, { topic: names.predictionsLabeled, partition: 0, records: batch });
    const state = deps.concept.committedState('sea');
    assert.equal(state?.version, 3);
    assert.equal(state.monitor.metrics().labeled, 1);
  });

  it("an A/B candidate's labels are counted, not monitored as the serving version's, until it is promoted", async () => {
    const metrics = new Registry();
    const deps = newDeps(metrics);
    deps.registry.apply(seaV1);
    deps.registry.apply({ ...seaVersion(2), status: 'candidate', traffic: 0.5 });
    const records = await labeledRecords(codecs, names, 12);
    const handle = createDetectorHandler(deps);
    const asVersion = async (record: InputRecord, version: number): Promise<InputRecord> => {
      const labeled = await codecs.predictionsLabeled.decode(record.value);
      return {
        ...record,
        value: await codecs.predictionsLabeled.encode({ ...labeled, modelVersion: version }),
      };
    };
    const split = await Promise.all(records.slice(0, 8).map((r, i) => asVersion(r, i % 2 ? 2 : 1)));
    await attempt(handle, { topic: names.predictionsLabeled, partition: 0, records: split });
    assert.equal(
      deps.concept.committedState('sea')?.version,
      1,
      'v1 serves and is the one watched',
    );
    assert.equal(deps.concept.committedState('sea')?.monitor.metrics().labeled, 4);
    const counted = (
      await metrics.getSingleMetricAsString('driftwatch_detector_candidate_records_total')
    )
      .split('\n')
      .find((line) => line.includes('stream="concept"'));
    assert.match(counted ?? '', / 4$/);
    // Each arm's live accuracy is counted all the same, from its own records.
    const live = new Map(
      (await metrics.getSingleMetricAsString('driftwatch_detector_live_predictions_total'))
        .split('\n')
        .flatMap((line) => {
          const found = /model_version="(\d+)",outcome="(\w+)"\} (\d+)$/.exec(line);
          return found ? [[`v${found[1]} ${found[2]}`, Number(found[3])] as const] : [];
        }),
    );
    const decoded = await Promise.all(split.map((r) => codecs.predictionsLabeled.decode(r.value)));
    for (const version of [1, 2]) {
      const arm = decoded.filter((labeled) => labeled.modelVersion === version);
      const right = arm.filter((labeled) => labeled.predicted === labeled.label).length;
      assert.equal(live.get(`v${version} correct`), right);
      assert.equal(live.get(`v${version} wrong`), arm.length - right);
    }
    // Promoted: its labels are the serving version's now.
    deps.registry.apply({ ...seaVersion(2), status: 'promoted', decidedBy: 'alice' });
    const after = await Promise.all(records.slice(8).map((r) => asVersion(r, 2)));
    await attempt(handle, { topic: names.predictionsLabeled, partition: 0, records: after });
    assert.equal(deps.concept.committedState('sea')?.version, 2);
    assert.equal(deps.concept.committedState('sea')?.monitor.metrics().labeled, 4);
  });
});
