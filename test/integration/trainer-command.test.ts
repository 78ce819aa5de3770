/**
 * The trainer as a process on the real broker, training with the user's own program
 * (TRAINER_COMMAND = examples/sklearn-trainer/train.py in its pinned virtualenv): a retrain
 * request in, a model version out with its lineage and classes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import type { ModelVersion, RetrainRequest } from '@driftwatch/topics';

import { irisChampion, irisWindow } from '../../services/trainer/src/testing/iris-retraining.js';
import { sklearnTrainerPython } from '../../services/trainer/src/testing/sklearn-trainer-python.js';
import { testKafka } from '../support/environment.js';
import { createTestPipeline, publishModelVersion, sendAll } from '../support/pipeline.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { collectTopic } from '../support/topic-reader.js';

const kafka = testKafka();

describe('the trainer with TRAINER_COMMAND on the real broker', { timeout: 600_000 }, () => {
  const producer = kafka.producer({ idempotent: true });
  const running: ServiceProcess[] = [];
  before(async () => {
    await producer.connect();
  });
  after(async () => {
    await Promise.all(running.map((service) => service.stop('SIGKILL')));
    await producer.disconnect();
  });

  /**
   * A pipeline holding the iris champion and 500 of its labeled predictions after the petals
   * grew (it is at 0.65 there), a trainer running `command`, and a way to ask it for versions.
   */
  async function trainerWith(command: string): Promise<{
    trainer: ServiceProcess;
    champion: ModelVersion;
    window: { fromTs: number; toTs: number };
    /** Sends a request, and resolves with the version that answers it. */
    retrain: (requestId: string, requestedAt: number) => Promise<ModelVersion>;
  }> {
    const pipeline = await createTestPipeline(kafka);
    const champion = await irisChampion();
    await publishModelVersion(producer, pipeline, champion);
    const fromTs = Date.now();
    const labeled = await irisWindow(champion, 1000, 1500);
    await sendAll(
      producer,
      pipeline.names.predictionsLabeled,
      await Promise.all(
        labeled.map(async (record) => ({
          key: record.model,
          value: await pipeline.codecs.predictionsLabeled.encode(record),
        })),
      ),
    );
    const toTs = Date.now();
    const trainer = await startServiceProcess('trainer', {
      ...pipeline.env,
      TRAINER_COMMAND: command,
      TRAINER_COMMAND_TIMEOUT: '5m',
      OMP_NUM_THREADS: '1',
    });
    running.push(trainer);
    const versions = await collectTopic(kafka, pipeline.names.modelVersions);
    await versions.waitFor(1, 60_000);
    return {
      trainer,
      champion,
      window: { fromTs, toTs },
      retrain: async (requestId, requestedAt) => {
        const request: RetrainRequest = {
          requestId,
          model: champion.model,
          reason: 'manual',
          alertId: null,
          fromTs,
          toTs,
          requestedAt,
        };
        const seen = versions.records.length;
        await producer.send({
          topic: pipeline.names.retrainRequested,
          messages: [
            { key: request.model, value: await pipeline.codecs.retrainRequested.encode(request) },
          ],
        });
        await versions.waitFor(seen + 1, 300_000);
        return pipeline.codecs.modelVersions.decode(versions.records[seen]?.value ?? null);
      },
    };
  }

  it('answers a retrain request with a version trained by train.py, lineage and classes', async (t) => {
    const venv = await sklearnTrainerPython();
    if ('skip' in venv) {
      t.skip(venv.skip);
      return;
    }
    // Run from the repository root (the service's working directory), without a shell.
    const { trainer, champion, window, retrain } = await trainerWith(
      `'${venv.python}' examples/sklearn-trainer/train.py`,
    );
    const version = await retrain('integration-1', window.toTs + 1);

    assert.equal(version.model, champion.model);
    assert.equal(version.version, 2);
    assert.equal(version.parentVersion, 1);
    assert.equal(version.requestId, 'integration-1');
    assert.deepEqual(version.trainingWindow, { ...window, trainRows: 400, holdoutRows: 100 });
    assert.deepEqual(version.classes, champion.classes);
    assert.deepEqual(version.featureNames, champion.featureNames);
    assert.equal(version.status, 'promoted', version.reason);
    assert.match(version.reason, /^manual request: accuracy \S+ vs champion \S+ \(\+/);
    assert.ok(version.onnx.length > 0);

    const ran = trainer.logs.find((line) => line['event'] === 'training.command');
    assert.equal(ran?.['verdict'], 'usable');
    assert.equal(ran['exitCode'], 0);
    assert.match(String(ran['stdout']), /^trained iris \(request integration-1\)/);
    // Counted once the transaction has committed, which the trainer learns just after we do.
    let counted = 0;
    for (let attempt = 0; attempt < 100 && counted === 0; attempt++) {
      counted = await trainer.metric('driftwatch_trainer_command_runs_total', {
        verdict: 'usable',
      });
      if (counted === 0) await sleep(100);
    }
    assert.equal(counted, 1);
    await trainer.stop();
  });

  it('stays in its consumer group through a run longer than the session timeout, and answers the next request', async (t) => {
    const venv = await sklearnTrainerPython();
    if ('skip' in venv) {
      t.skip(venv.skip);
      return;
    }
    // Request "long" takes 40 s before training, past the consumer's 30 s session timeout:
    // without heartbeats during the run the group drops the trainer, and it fails on commit.
    const { trainer, window, retrain } = await trainerWith(
      `sh -c 'if [ "$DRIFTWATCH_REQUEST_ID" = long ]; then sleep 40; fi; exec "$0" examples/sklearn-trainer/train.py' '${venv.python}'`,
    );
    const long = await retrain('long', window.toTs + 1);
    assert.equal(long.requestId, 'long');
    assert.equal(long.status, 'promoted', long.reason);
    const next = await retrain('next', Date.now());
    assert.equal(next.requestId, 'next');
    assert.equal(next.version, 3);
    assert.equal(next.parentVersion, 2);
    assert.equal(trainer.child.exitCode, null, 'the trainer is still running');
    assert.deepEqual(
      trainer.logs.filter((line) => line['event'] === 'processor.failed'),
      [],
    );
    await trainer.stop();
  });
});
