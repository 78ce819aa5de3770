import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import type { AlarmCalibrator } from './alarm-calibrator.js';
import type { CalibrationRequest } from './calibration-worker.js';

/** The worker's module beside this one: `.ts` when the service runs from source, `.js` built. */
const fromSource = extname(fileURLToPath(import.meta.url)) === '.ts';
const workerModule = new URL(`./calibration-worker${fromSource ? '.ts' : '.js'}`, import.meta.url);

function startWorker(request: CalibrationRequest): Worker {
  if (!fromSource) return new Worker(workerModule, { workerData: request });
  // From source (tests, `npm run dev`): on Node 20 a worker thread does not inherit the module
  // hooks `--import tsx` registered in its parent, so it registers tsx itself before loading the
  // worker's TypeScript.
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(workerModule.href)}); })`,
    { eval: true, workerData: request },
  );
}

/**
 * Each calibration in a worker thread of its own. Calibrating is rare (a version published
 * without a calibration made under this detector's settings), so a thread per call, started in
 * tens of milliseconds, is not worth pooling. Only what the calibration reads is sent: never the
 * version's model bytes.
 */
export const workerAlarmCalibrator: AlarmCalibrator = {
  concept: (version, settings) =>
    inWorker({
      kind: 'concept',
      version: {
        metrics: version.metrics,
        trainingWindow: { holdoutRows: version.trainingWindow.holdoutRows },
      },
      settings,
    }),
  data: (reference, settings) => inWorker({ kind: 'data', reference, settings }),
};

function inWorker<T>(request: CalibrationRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(request);
    worker.once('message', (result: T) => {
      resolve(result);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      // After a message this settles nothing; before one, the worker died without answering.
      reject(new Error(`the alarm calibration worker exited with code ${code} before answering`));
    });
  });
}
