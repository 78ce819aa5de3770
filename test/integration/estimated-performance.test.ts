/**
 * Accuracy known before the labels come: inference and the detector as processes on the real
 * broker, fed feature events and no label at all. The version's calibration (fitted on its
 * holdout at training) lets the detector estimate accuracy from scores alone (CBPE); the estimate
 * must match the accuracy the labels would have shown, and fall — with an alert — when the inputs
 * move towards the decision boundary.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { eventId, seaStream, type SeaConcept } from '@driftwatch/datasets';
import { internalTopicNames } from '@driftwatch/detector';
import { type DriftAlert, type FeatureEvent, type Prediction } from '@driftwatch/topics';

import type { StatusReport } from '../../packages/cli/src/commands/status.js';
import { runCli } from '../../packages/cli/src/testing/run-cli.js';
import { testKafka } from '../support/environment.js';
import {
  createTestPipeline,
  publishModelVersion,
  seaModelVersion,
  sendAll,
} from '../support/pipeline.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { waitForSketchesProcessed } from '../support/detector-progress.js';
import { collectTopic } from '../support/topic-reader.js';

const kafka = testKafka();
const model = 'sea-cbpe';
const segment = 3000;
const window = 1000;
/** The version learns θ = 7 on [0, 10)²; then x1 and x2 crowd around x1 + x2 = 7. */
const concepts: SeaConcept[] = [
  { start: 0, threshold: 7 },
  { start: segment, threshold: 7, featureRange: [2, 5] },
];

describe('estimated performance on the real broker', { timeout: 600_000 }, () => {
  const producer = kafka.producer({ idempotent: true });
  const running: ServiceProcess[] = [];
  before(async () => {
    await producer.connect();
  });
  after(async () => {
    await Promise.all(running.map((service) => service.stop('SIGKILL')));
    await producer.disconnect();
  });

  it('estimates accuracy from scores alone, and alerts when it falls before any label arrives', async () => {
    const pipeline = await createTestPipeline(kafka);
    const version = await seaModelVersion({ model, version: 1 });
    const calibration = version.reference.cbpe;
    assert.ok(calibration, 'a binary version trained by us carries its calibration');
    assert.ok(calibration.calibrationErrorAfter <= calibration.calibrationErrorBefore);
    assert.equal(
      version.metrics.challenger['calibrationErrorBefore'],
      calibration.calibrationErrorBefore,
    );
    await publishModelVersion(producer, pipeline, version);
    const env = {
      ...pipeline.env,
      RETRAIN_ON_DRIFT: 'false',
      DETECTOR_PSI_WINDOW: String(window),
      DETECTOR_PSI_WINDOW_KIND: 'sliding',
      // The estimate is watched at every prediction, on its raw floor: a false-alarm budget
      // needs tumbling windows. The features' own PSI alerts too; only the estimate's is asserted.
      DETECTOR_FALSE_ALARM_EVERY: '0',
      DETECTOR_CBPE_MAX_DROP: '0.05',
    };
    running.push(await startServiceProcess('inference', env));
    const detector = await startServiceProcess('detector', env);
    running.push(detector);
    const predictions = await collectTopic(kafka, pipeline.names.predictions);
    const alerts = await collectTopic(kafka, pipeline.names.driftAlerts);
    const sketchTopic = internalTopicNames(pipeline.prefix).sketches;
    const sketches = await collectTopic(kafka, sketchTopic);

    const rows = [...seaStream({ seed: 4, length: 2 * segment, concepts })];
    const labelOf = new Map(rows.map((row) => [eventId(model, row.index), row.label]));
    const baseTs = Date.now();
    const events = async (from: number, to: number) =>
      Promise.all(
        rows.slice(from, to).map(async (row) => {
          const event: FeatureEvent = {
            id: eventId(model, row.index),
            model,
            ts: baseTs + row.index,
            features: row.features,
          };
          return { key: event.id, value: await pipeline.codecs.events.encode(event) };
        }),
      );
    /** Realized accuracy of the predictions of rows [from, to), from labels never sent. */
    const realized = async (from: number, to: number): Promise<number> => {
      let right = 0;
      let counted = 0;
      for (const record of predictions.records) {
        const prediction: Prediction = await pipeline.codecs.predictions.decode(record.value);
        const index = Number(prediction.id.slice(prediction.id.lastIndexOf('-') + 1));
        if (index < from || index >= to) continue;
        counted++;
        if (prediction.predicted === labelOf.get(prediction.id)) right++;
      }
      assert.equal(counted, to - from);
      return right / counted;
    };
    const estimatedAccuracy = () =>
      detector.metric('driftwatch_detector_estimated_accuracy_ratio', {
        model,
        model_version: '1',
      });
    const cbpeAlerts = async (): Promise<DriftAlert[]> =>
      (
        await Promise.all(
          alerts.records.map((record) => pipeline.codecs.driftAlerts.decode(record.value)),
        )
      ).filter((alert) => alert.detector === 'cbpe');
    const settle = async (count: number) => {
      await predictions.waitFor(count, 120_000);
      await waitForSketchesProcessed(kafka, pipeline, sketchTopic, sketches, count);
    };

    await sendAll(producer, pipeline.names.events, await events(0, segment));
    await settle(segment);
    const before = { estimated: await estimatedAccuracy(), realized: await realized(0, segment) };
    await alerts.settle(1000);
    const cbpeAlertsBefore = await cbpeAlerts();
    await sendAll(producer, pipeline.names.events, await events(segment, 2 * segment));
    await settle(2 * segment);
    const shifted = {
      estimated: await estimatedAccuracy(),
      realized: await realized(segment, 2 * segment),
    };
    await alerts.settle(2000);
    const cbpeAlertsAfter = await cbpeAlerts();
    // `driftwatch status` reads the same estimate from the detector's committed state.
    const status = await runCli(['status', '--json'], pipeline.env);
    assert.equal(status.code, 0, status.stderr);
    const shown = (JSON.parse(status.stdout) as StatusReport).models.find((m) => m.model === model);
    assert.equal(shown?.estimated?.version, 1);
    assert.equal(shown.estimated.predictions, window);
    assert.ok(Math.abs(shown.estimated.accuracy - shifted.estimated) < 1e-9, JSON.stringify(shown));
    assert.equal(shown.realized, null, 'no label, nothing realized');
    await Promise.all([predictions.stop(), alerts.stop(), sketches.stop()]);
    console.log(
      `CBPE: stationary estimated ${before.estimated.toFixed(4)} vs realized ${before.realized.toFixed(4)}; shifted ${shifted.estimated.toFixed(4)} vs ${shifted.realized.toFixed(4)}`,
    );

    // No label was ever sent: everything below comes from scores alone.
    assert.ok(Math.abs(before.estimated - before.realized) <= 0.03, JSON.stringify(before));
    assert.ok(shifted.estimated < before.estimated - 0.05, 'the estimate falls with the shift');
    assert.ok(shifted.realized < before.realized, 'and so does the accuracy the labels would show');
    assert.deepEqual(cbpeAlertsBefore, [], 'the stationary segment raises no CBPE alert');
    assert.equal(cbpeAlertsAfter.length, 1, JSON.stringify(cbpeAlertsAfter));
    const alert = cbpeAlertsAfter[0];
    assert.ok(alert);
    assert.equal(alert.kind, 'performance');
    assert.equal(alert.threshold, calibration.expectedAccuracy - 0.05);
    assert.ok(alert.statistic < alert.threshold, JSON.stringify(alert));
  });
});
