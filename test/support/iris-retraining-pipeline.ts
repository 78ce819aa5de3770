import assert from 'node:assert/strict';

import type { Kafka, Producer } from '@driftwatch/bus';
import type { ModelVersion, RetrainRequest } from '@driftwatch/topics';

import { irisChampion, irisWindow } from '../../services/trainer/src/testing/iris-retraining.js';
import { kafkaBrokers } from './environment.js';
import { createTestPipeline, publishModelVersion, sendAll, type TestPipeline } from './pipeline.js';
import { collectTopic } from './topic-reader.js';

export interface IrisRetrainingPipeline {
  pipeline: TestPipeline;
  champion: ModelVersion;
  /** Every record of model-versions, as it arrives. */
  versions: Awaited<ReturnType<typeof collectTopic>>;
  /** Environment for `runCli` against this pipeline (JSON messages). */
  cliEnv: Record<string, string>;
  /** Sends a manual retrain request; resolves with the version record that answers it. */
  retrain(requestId: string): Promise<ModelVersion>;
  /** The last record of `version` on model-versions: what a compacted topic keeps. */
  latestRecordOf(version: number): Promise<ModelVersion>;
}

/**
 * A fresh pipeline holding the iris champion (v1, a scikit-learn ONNX) and 500 of its labeled
 * predictions after the petals grew (it is at 0.65 there), so a trainer has a window to beat it
 * on; and the calls a test of the trainer's answers needs. Start the trainer with
 * `pipeline.env`; stop `versions` after.
 */
export async function irisRetrainingPipeline(
  kafka: Kafka,
  producer: Producer,
): Promise<IrisRetrainingPipeline> {
  const pipeline = await createTestPipeline(kafka);
  const champion = await irisChampion();
  await publishModelVersion(producer, pipeline, champion);
  await sendAll(
    producer,
    pipeline.names.predictionsLabeled,
    await Promise.all(
      (await irisWindow(champion, 1000, 1500)).map(async (record) => ({
        key: record.model,
        value: await pipeline.codecs.predictionsLabeled.encode(record),
      })),
    ),
  );
  const versions = await collectTopic(kafka, pipeline.names.modelVersions);
  const decoded = (): Promise<ModelVersion[]> =>
    Promise.all(versions.records.map((r) => pipeline.codecs.modelVersions.decode(r.value)));
  return {
    pipeline,
    champion,
    versions,
    cliEnv: {
      KAFKA_BROKERS: kafkaBrokers.join(','),
      TOPIC_PREFIX: pipeline.prefix,
      SCHEMA_REGISTRY_URL: '',
    },
    async retrain(requestId) {
      const request: RetrainRequest = {
        requestId,
        model: champion.model,
        reason: 'manual',
        alertId: null,
        fromTs: 0,
        toTs: Date.now(),
        requestedAt: Date.now(),
      };
      const count = versions.records.length;
      await sendAll(producer, pipeline.names.retrainRequested, [
        { key: request.model, value: await pipeline.codecs.retrainRequested.encode(request) },
      ]);
      await versions.waitFor(count + 1, 300_000);
      const answer = (await decoded()).find((v) => v.requestId === requestId);
      assert.ok(answer, `no version answers ${requestId}`);
      return answer;
    },
    async latestRecordOf(version) {
      const records = (await decoded()).filter((v) => v.version === version);
      const last = records[records.length - 1];
      assert.ok(last, `no record of v${version}`);
      return last;
    },
  };
}
