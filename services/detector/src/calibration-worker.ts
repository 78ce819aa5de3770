/** A worker thread's entry: one calibration (`workerAlarmCalibrator`), answered by message. */
import { parentPort, workerData } from 'node:worker_threads';

import type { CalibratedVersion } from '@driftwatch/alarms';
import type { AlarmSettings, ReferenceProfile } from '@driftwatch/topics';

import { inProcessAlarmCalibrator } from './alarm-calibrator.js';

export type CalibrationRequest =
  | { kind: 'concept'; version: CalibratedVersion; settings: AlarmSettings }
  | { kind: 'data'; reference: ReferenceProfile; settings: AlarmSettings };

if (parentPort) {
  const request = workerData as CalibrationRequest;
  const result =
    request.kind === 'concept'
      ? await inProcessAlarmCalibrator.concept(request.version, request.settings)
      : await inProcessAlarmCalibrator.data(request.reference, request.settings);
  parentPort.postMessage(result);
}
