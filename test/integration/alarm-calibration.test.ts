/**
 * A false-alarm budget's calibration travels with the version, on the real broker: `driftwatch
 * retrain` (like the detector's own requests) carries the detectors' budget and rule settings,
 * the trainer calibrates the version it publishes under them, and a detector with those settings
 * watches that version with the stored calibration instead of simulating it again. A version made
 * without one is calibrated by the detector itself (services/detector, unit and integration).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { clusterTrackName, dataRuleTracks } from '@driftwatch/alarms';
import { alarmSettingsOf, detectorEnv, detectorOptions } from '@driftwatch/detector';
import { parseEnv } from '@driftwatch/service-kit';
import { retrainRequestSchema } from '@driftwatch/topics';

import { runCli } from '../../packages/cli/src/testing/run-cli.js';
import { irisWindow } from '../../services/trainer/src/testing/iris-retraining.js';
import { testKafka } from '../support/environment.js';
import {
  irisRetrainingPipeline,
  type IrisRetrainingPipeline,
} from '../support/iris-retraining-pipeline.js';
import { sendAll } from '../support/pipeline.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';

const kafka = testKafka();
const budget = { DETECTOR_FALSE_ALARM_EVERY: '20000', DETECTOR_WINDOW: '200' };

describe(
  'a false-alarm calibration made with the version, on the real broker',
  { timeout: 600_000 },
  () => {
    const producer = kafka.producer({ idempotent: true });
    const running: ServiceProcess[] = [];
    let iris: IrisRetrainingPipeline;
    let detector: ServiceProcess;

    before(async () => {
      await producer.connect();
      iris = await irisRetrainingPipeline(kafka, producer);
      running.push(
        await startServiceProcess('trainer', { ...iris.pipeline.env, PROMOTION_MIN_GAIN: '-1' }),
      );
      detector = await startServiceProcess('detector', {
        ...iris.pipeline.env,
        ...budget,
        RETRAIN_ON_DRIFT: 'false',
      });
      running.push(detector);
    });

    after(async () => {
      await Promise.all(running.map((service) => service.stop('SIGKILL')));
      await iris.versions.stop();
      await producer.disconnect();
    });

    const calibrations = async (by: 'version' | 'detector') =>
      detector.metric('driftwatch_detector_alarm_calibrations_total', {
        model: iris.champion.model,
        stream: 'concept',
        by,
      });

    async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
      for (let attempt = 0; attempt < 600; attempt++) {
        if (await condition()) return;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      assert.fail(`never: ${what}`);
    }

    it('the trainer stores it under the settings the request carries, and the detector adopts it', async () => {
      // The champion (v1, registered without labels) has no holdout accuracy to calibrate on:
      // its 500 labeled predictions are watched with raw thresholds.
      await until(
        async () =>
          (await detector.metric('driftwatch_detector_records_consumed_total', {
            topic: iris.pipeline.names.predictionsLabeled,
          })) >= 500,
        'the detector read v1',
      );

      const settings = alarmSettingsOf(detectorOptions(parseEnv(detectorEnv, budget)));
      assert.ok(settings);
      const count = iris.versions.records.length;
      const retrain = await runCli(['retrain', iris.champion.model, '--json'], {
        ...iris.cliEnv,
        ...budget,
      });
      assert.equal(retrain.code, 0, retrain.stderr);
      const request = retrainRequestSchema.parse(JSON.parse(retrain.stdout));
      assert.deepEqual(request.alarmSettings, settings);
      await iris.versions.waitFor(count + 1, 300_000);
      const version = await iris.latestRecordOf(2);
      assert.equal(version.status, 'promoted', version.reason);
      const calibration = version.alarmCalibration;
      assert.ok(calibration, 'the promoted version carries its calibration');
      assert.deepEqual(calibration.settings, settings);
      const runLength = calibration.concept?.errorStream.expectedRunLength ?? NaN;
      assert.ok(runLength >= 20_000 / 1.5 && runLength <= 20_000 * 1.5, `ADWIN: ${runLength}`);
      assert.deepEqual(
        Object.keys(calibration.data.psi).sort(),
        [...dataRuleTracks(version.reference).map((track) => track.name), clusterTrackName].sort(),
        'a threshold for every feature and class probability, and for the clusters',
      );
      assert.ok(calibration.data.reconstruction, 'the reconstruction error is on the budget too');

      // v2's labeled predictions: the detector watches it with what the version carries.
      await sendAll(
        producer,
        iris.pipeline.names.predictionsLabeled,
        await Promise.all(
          (await irisWindow(version, 1500, 1700)).map(async (record) => ({
            key: record.model,
            value: await iris.pipeline.codecs.predictionsLabeled.encode(record),
          })),
        ),
      );
      await until(async () => (await calibrations('version')) === 1, 'v2 watched with its own');
      assert.equal(await calibrations('detector'), 0, 'nothing simulated in the detector');
    });
  },
);
