/**
 * The approval gate on the real broker: a trainer under PROMOTION_MODE=manual publishes the
 * challenger that meets its criteria as a candidate; inference keeps serving the champion until a
 * person runs `driftwatch promote`, and never serves a candidate they `reject`; `driftwatch
 * rollback` serves the earlier version again. Every event gets exactly one prediction throughout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { FeatureEvent, ModelVersion, Prediction, RetrainRequest } from '@driftwatch/topics';

import { runCli } from '../../packages/cli/src/testing/run-cli.js';
import { byomCsv } from '../../services/trainer/src/testing/byom-fixture.js';
import { irisChampion, irisWindow } from '../../services/trainer/src/testing/iris-retraining.js';
import { kafkaBrokers, testKafka } from '../support/environment.js';
import {
  createTestPipeline,
  publishModelVersion,
  sendAll,
  type TestPipeline,
} from '../support/pipeline.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { collectTopic } from '../support/topic-reader.js';

type TopicCollector = Awaited<ReturnType<typeof collectTopic>>;

const kafka = testKafka();

describe('PROMOTION_MODE=manual on the real broker', { timeout: 600_000 }, () => {
  const producer = kafka.producer({ idempotent: true });
  const running: ServiceProcess[] = [];
  const readers: { stop(): Promise<void> }[] = [];
  let pipeline: TestPipeline;
  let inference: ServiceProcess;
  let versions: TopicCollector;
  let predictions: TopicCollector;
  let champion: ModelVersion;
  const stream = byomCsv('multiclass-iris.stream.csv').rows;
  let sent = 0;

  before(async () => {
    await producer.connect();
    pipeline = await createTestPipeline(kafka);
    champion = await irisChampion();
    await publishModelVersion(producer, pipeline, champion);
    // 500 labeled predictions of the champion after the petals grew (it is at 0.65 there).
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
    versions = await collectTopic(kafka, pipeline.names.modelVersions);
    predictions = await collectTopic(kafka, pipeline.names.predictions);
    readers.push(versions, predictions);
    running.push(
      // Any challenger passes (a gain of −1 is no bar): the second one, trained on the same
      // window as the first, is then a candidate too, for the person to reject.
      await startServiceProcess('trainer', {
        ...pipeline.env,
        PROMOTION_MODE: 'manual',
        PROMOTION_MIN_GAIN: '-1',
      }),
    );
    inference = await startServiceProcess('inference', pipeline.env);
    running.push(inference);
  });

  after(async () => {
    await Promise.all(running.map((service) => service.stop('SIGKILL')));
    await Promise.all(readers.map((reader) => reader.stop()));
    await producer.disconnect();
  });

  const cli = (args: string[]) =>
    runCli(args, {
      TOPIC_PREFIX: pipeline.prefix,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: '',
    });

  async function decodedVersions(): Promise<ModelVersion[]> {
    return Promise.all(versions.records.map((r) => pipeline.codecs.modelVersions.decode(r.value)));
  }

  /** The last record written for `version`: what a compacted topic keeps. */
  async function latestRecordOf(version: number): Promise<ModelVersion> {
    const records = (await decodedVersions()).filter((v) => v.version === version);
    const last = records[records.length - 1];
    assert.ok(last, `no record of v${version}`);
    return last;
  }

  /** Sends a retrain request and resolves with the version record that answers it. */
  async function retrain(requestId: string): Promise<ModelVersion> {
    const request: RetrainRequest = {
      requestId,
      model: champion.model,
      reason: 'manual',
      alertId: null,
      fromTs: 0,
      toTs: Date.now(),
      requestedAt: Date.now(),
    };
    const before = versions.records.length;
    await sendAll(producer, pipeline.names.retrainRequested, [
      { key: request.model, value: await pipeline.codecs.retrainRequested.encode(request) },
    ]);
    await versions.waitFor(before + 1, 300_000);
    const answer = (await decodedVersions()).find((v) => v.requestId === requestId);
    assert.ok(answer, `no version answers ${requestId}`);
    return answer;
  }

  /** Sends the next `count` events of the stream; resolves with the versions that scored them. */
  async function score(count: number): Promise<Map<number, number>> {
    const events: FeatureEvent[] = stream.slice(sent, sent + count).map((row, i) => ({
      id: `${row.id}-${sent + i}`,
      model: champion.model,
      ts: Date.now(),
      features: row.features,
    }));
    sent += count;
    await sendAll(
      producer,
      pipeline.names.events,
      await Promise.all(
        events.map(async (e) => ({ key: e.id, value: await pipeline.codecs.events.encode(e) })),
      ),
    );
    await predictions.waitFor(sent, 120_000);
    const decoded: Prediction[] = await Promise.all(
      predictions.records.map((r) => pipeline.codecs.predictions.decode(r.value)),
    );
    assert.equal(decoded.length, sent, 'one prediction per event, none twice');
    assert.equal(new Set(decoded.map((p) => p.id)).size, sent);
    const ids = new Set(events.map((e) => e.id));
    const byVersion = new Map<number, number>();
    for (const p of decoded.filter((p) => ids.has(p.id))) {
      byVersion.set(p.modelVersion, (byVersion.get(p.modelVersion) ?? 0) + 1);
    }
    return byVersion;
  }

  /** Waits until inference says it serves `version` (its gauge), polling its /metrics. */
  async function servingVersion(version: number): Promise<void> {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const served = await inference.metric('driftwatch_inference_served_model_version', {
        model: champion.model,
      });
      if (served === version) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`inference never served v${version}`);
  }

  it('serves a candidate only after `driftwatch promote`, never one that is rejected, and rolls back', async () => {
    const candidate = await retrain('approval-1');
    assert.equal(candidate.status, 'candidate', candidate.reason);
    assert.equal(candidate.version, 2);
    assert.match(candidate.reason, /awaiting approval/);
    assert.deepEqual(Object.fromEntries(await score(200)), { 1: 200 }, 'the candidate waits');

    const models = await cli(['models', champion.model, '--json']);
    assert.equal(models.code, 0, models.stderr);
    const listed = JSON.parse(models.stdout) as {
      version: number;
      status: string;
      serving: boolean;
    }[];
    assert.deepEqual(
      listed.map((v) => [v.version, v.status, v.serving]),
      [
        [1, 'promoted', true],
        [2, 'candidate', false],
      ],
    );

    const promoted = await cli([
      'promote',
      champion.model,
      'v2',
      '--reason',
      'checked the holdout',
      '--by',
      'alice',
    ]);
    assert.equal(promoted.code, 0, promoted.stderr);
    assert.match(
      promoted.stdout,
      /iris v2 promoted by alice .* promoted by alice: checked the holdout/,
    );
    await servingVersion(2);
    assert.deepEqual(Object.fromEntries(await score(200)), { 2: 200 });
    const record = await latestRecordOf(2);
    assert.equal(record.status, 'promoted');
    assert.equal(record.decidedBy, 'alice');
    assert.equal(record.sha256, candidate.sha256, 'the very bytes that were the candidate');

    const again = await cli(['promote', champion.model, '2']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /iris v2 is promoted \(by alice\), not a candidate/);

    const next = await retrain('approval-2');
    assert.equal(next.version, 3);
    assert.equal(next.status, 'candidate', next.reason);
    const written = versions.records.length;
    const rejected = await cli(['reject', champion.model, '3', '--reason', 'not convinced']);
    assert.equal(rejected.code, 0, rejected.stderr);
    await versions.waitFor(written + 1, 60_000);
    const decided = await latestRecordOf(3);
    assert.equal(decided.status, 'rejected');
    assert.match(decided.reason, /^rejected by .+: not convinced \(trainer: manual request: /);
    assert.deepEqual(Object.fromEntries(await score(200)), { 2: 200 }, 'v3 never serves');
    assert.equal(
      await inference.metric('driftwatch_inference_served_model_version', { model: 'iris' }),
      2,
    );

    // Back to what v2 replaced: v1's bytes again, as v4.
    const rolledBack = await cli(['rollback', champion.model, '--reason', 'back to v1', '--json']);
    assert.equal(rolledBack.code, 0, rolledBack.stderr);
    const rollback = JSON.parse(rolledBack.stdout) as Pick<ModelVersion, 'version' | 'reason'>;
    assert.equal(rollback.version, 4);
    assert.match(rollback.reason, /^rollback to v1 by .+: back to v1$/);
    await servingVersion(4);
    assert.deepEqual(Object.fromEntries(await score(200)), { 4: 200 });
    const v4 = await latestRecordOf(4);
    assert.deepEqual([v4.sha256, v4.parentVersion], [champion.sha256, 2]);
  });
});
