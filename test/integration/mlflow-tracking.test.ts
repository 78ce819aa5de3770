/**
 * MLflow tracking against a real `mlflow server` (pip, pinned, SQLite): the trainer (and `models
 * register`) logs every model version as a run nested under its parent's, with params, metrics
 * and the ONNX bytes; promoted versions are registered and the `champion` alias follows the
 * serving one; and an MLflow that is down blocks no training and loses no run.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { MlflowClient, type MlflowRun } from '@driftwatch/mlflow';

import { runCli } from '../../packages/cli/src/testing/run-cli.js';
import { testKafka } from '../support/environment.js';
import {
  irisRetrainingPipeline,
  type IrisRetrainingPipeline,
} from '../support/iris-retraining-pipeline.js';
import { startMlflow, type RunningMlflow } from '../support/mlflow.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { repoRoot } from '../support/stack-cli.js';

const kafka = testKafka();

describe('MLflow tracking with a real mlflow server', { timeout: 900_000 }, () => {
  const producer = kafka.producer({ idempotent: true });
  let dir: string;
  let mlflow: RunningMlflow | { skip: string };
  let iris: IrisRetrainingPipeline;
  let trainer: ServiceProcess | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'driftwatch-mlflow-'));
    mlflow = await startMlflow(dir);
    if ('skip' in mlflow) return;
    await producer.connect();
    iris = await irisRetrainingPipeline(kafka, producer);
    trainer = await startServiceProcess('trainer', {
      ...iris.pipeline.env,
      MLFLOW_TRACKING_URI: mlflow.url,
      MLFLOW_RETRY_INTERVAL: '500ms',
      // Every challenger is promoted, so each retrain moves the champion alias.
      PROMOTION_MIN_GAIN: '-1',
    });
  });

  after(async () => {
    await trainer?.stop('SIGKILL');
    if (!('skip' in mlflow)) {
      await iris.versions.stop();
      await mlflow.stop();
      await producer.disconnect();
    }
    await rm(dir, { recursive: true, force: true });
  });

  /** The runs of the model's experiment by version, once `count` complete ones are there. */
  async function runsOnceThere(
    client: MlflowClient,
    count: number,
  ): Promise<Map<number, MlflowRun>> {
    let runs = new Map<number, MlflowRun>();
    for (let attempt = 0; attempt < 1200; attempt += 1) {
      try {
        const experiment = await client.experimentId(`driftwatch/${iris.champion.model}`);
        runs = new Map(
          (await client.searchRuns(experiment, "tags.driftwatch_complete = 'true'")).map((run) => [
            Number(run.tags['driftwatch_version']),
            run,
          ]),
        );
        if (runs.size >= count) return runs;
      } catch {
        // the trainer has not made the experiment yet
      }
      await sleep(100);
    }
    assert.fail(`MLflow holds ${runs.size} complete runs, not ${count}`);
  }

  /**
   * Waits until the `champion` alias names the registered version of v`version`'s run. Read
   * only: `MlflowClient.modelVersionOfRun` creates the registered version when it finds none, so
   * a check through it, racing the trainer's own registration of a new champion, could register
   * the run twice and then compare the alias with the other copy for ever.
   */
  async function championAlias(client: MlflowClient, version: number): Promise<void> {
    assert.ok(!('skip' in mlflow));
    const model = encodeURIComponent(iris.champion.model);
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const runs = await runsOnceThere(client, version);
      const answer = (await (
        await fetch(
          `${mlflow.url}/api/2.0/mlflow/registered-models/alias?name=${model}&alias=champion`,
        )
      ).json()) as { model_version?: { run_id?: string } };
      const run = runs.get(version);
      if (run && answer.model_version?.run_id === run.runId) return;
      await sleep(100);
    }
    assert.fail(`the champion alias never named v${version}`);
  }

  it('logs every version nested under its parent, registers the champion, and rides out an outage', async (t) => {
    if ('skip' in mlflow) {
      t.skip(mlflow.skip);
      return;
    }
    const client = new MlflowClient({ trackingUri: mlflow.url });
    const v2 = await iris.retrain('mlflow-1');
    assert.equal(v2.status, 'promoted', v2.reason);
    const runs = await runsOnceThere(client, 2);
    const [run1, run2] = [runs.get(1), runs.get(2)];
    assert.ok(run1 && run2, `runs of ${[...runs.keys()].join(', ')}`);
    assert.equal(run1.tags['mlflow.parentRunId'], undefined, 'v1 is the root');
    assert.equal(run2.tags['mlflow.parentRunId'], run1.runId, 'v2 nests under v1');
    assert.equal(run2.tags['driftwatch_status'], 'promoted');
    assert.equal(run2.tags['mlflow.note.content'], v2.reason);

    // Params, metrics and the ONNX bytes, as MLflow's own API reads them back.
    const got = (await (
      await fetch(`${mlflow.url}/api/2.0/mlflow/runs/get?run_id=${run2.runId}`)
    ).json()) as {
      run: {
        data: {
          params?: { key: string; value: string }[];
          metrics?: { key: string; value: number }[];
        };
      };
    };
    const params = Object.fromEntries((got.run.data.params ?? []).map((p) => [p.key, p.value]));
    assert.equal(params['family'], 'logistic');
    assert.equal(params['trainRows'], String(v2.trainingWindow.trainRows));
    assert.equal(params['parentVersion'], '1');
    const metrics = Object.fromEntries((got.run.data.metrics ?? []).map((m) => [m.key, m.value]));
    assert.equal(metrics['accuracy'], v2.metrics.challenger['accuracy']);
    assert.equal(metrics['champion.accuracy'], v2.metrics.champion?.['accuracy']);
    const artifacts = (await (
      await fetch(`${mlflow.url}/api/2.0/mlflow/artifacts/list?run_id=${run2.runId}`)
    ).json()) as { files?: { path: string; file_size: number }[] };
    assert.deepEqual(artifacts.files, [
      { path: 'model.onnx', is_dir: false, file_size: v2.onnx.byteLength },
    ]);
    await championAlias(client, 2);

    // MLflow down: the trainer still trains and publishes; what it could not log, it logs once
    // MLflow is back.
    await mlflow.stop();
    const v3 = await iris.retrain('mlflow-2');
    assert.equal(v3.status, 'promoted', v3.reason);
    while ((await trainer?.metric('driftwatch_trainer_mlflow_sync_failures_total')) === 0) {
      await sleep(100);
    }
    await mlflow.start();
    const after = await runsOnceThere(client, 3);
    assert.equal(after.get(3)?.tags['mlflow.parentRunId'], run2.runId, 'v3 nests under v2');
    assert.equal(after.size, 3, 'one run per version, none twice');
    await championAlias(client, 3);

    // `models register` logs the version it publishes itself: no trainer running.
    await trainer?.stop('SIGTERM');
    trainer = undefined;
    const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'byom', name);
    const registered = await runCli(
      [
        'models',
        'register',
        iris.champion.model,
        '--onnx',
        fixture('multiclass-iris.onnx'),
        '--reference',
        fixture('multiclass-iris.reference.csv'),
        '--json',
      ],
      { ...iris.cliEnv, MLFLOW_TRACKING_URI: mlflow.url },
    );
    assert.equal(registered.code, 0, registered.stderr);
    assert.equal(registered.stderr, '', 'no MLflow warning');
    const withRegistered = await runsOnceThere(client, 4);
    assert.equal(withRegistered.get(4)?.tags['mlflow.parentRunId'], after.get(3)?.runId);
    await championAlias(client, 4);
  });
});
