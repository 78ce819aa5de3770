/**
 * The approval gate on the real broker: a trainer under PROMOTION_MODE=manual publishes the
 * challenger that meets its criteria as a candidate; inference keeps serving the champion until a
 * person runs `driftwatch promote`, and never serves a candidate they `reject`; `driftwatch
 * rollback` serves the earlier version again. Every event gets exactly one prediction throughout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { FeatureEvent, ModelVersion, Prediction } from '@driftwatch/topics';

import { runCli } from '../../packages/cli/src/testing/run-cli.js';
import { byomCsv } from '../../services/trainer/src/testing/byom-fixture.js';
import { testKafka } from '../support/environment.js';
import {
  irisRetrainingPipeline,
  type IrisRetrainingPipeline,
} from '../support/iris-retraining-pipeline.js';
import { sendAll } from '../support/pipeline.js';
import { trafficBucket } from '../../services/inference/src/traffic-bucket.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { collectTopic } from '../support/topic-reader.js';

const kafka = testKafka();

describe('PROMOTION_MODE=manual on the real broker', { timeout: 600_000 }, () => {
  const producer = kafka.producer({ idempotent: true });
  const running: ServiceProcess[] = [];
  let iris: IrisRetrainingPipeline;
  let inference: ServiceProcess;
  let predictions: Awaited<ReturnType<typeof collectTopic>>;
  const stream = byomCsv('multiclass-iris.stream.csv').rows;
  let sent = 0;

  before(async () => {
    await producer.connect();
    iris = await irisRetrainingPipeline(kafka, producer);
    predictions = await collectTopic(kafka, iris.pipeline.names.predictions);
    running.push(
      // Any challenger passes (a gain of −1 is no bar): the second one, trained on the same
      // window as the first, is then a candidate too, for the person to reject.
      await startServiceProcess('trainer', {
        ...iris.pipeline.env,
        PROMOTION_MODE: 'manual',
        PROMOTION_MIN_GAIN: '-1',
      }),
    );
    inference = await startServiceProcess('inference', iris.pipeline.env);
    running.push(inference);
  });

  after(async () => {
    await Promise.all(running.map((service) => service.stop('SIGKILL')));
    await Promise.all([iris.versions.stop(), predictions.stop()]);
    await producer.disconnect();
  });

  const cli = (args: string[]) => runCli(args, iris.cliEnv);

  /** Sends the next `count` events of the stream; resolves with the versions that scored them. */
  async function score(count: number): Promise<Map<number, number>> {
    const events: FeatureEvent[] = stream.slice(sent, sent + count).map((row, i) => ({
      id: `${row.id}-${sent + i}`,
      model: iris.champion.model,
      ts: Date.now(),
      features: row.features,
    }));
    sent += count;
    await sendAll(
      producer,
      iris.pipeline.names.events,
      await Promise.all(
        events.map(async (e) => ({
          key: e.id,
          value: await iris.pipeline.codecs.events.encode(e),
        })),
      ),
    );
    await predictions.waitFor(sent, 120_000);
    const decoded: Prediction[] = await Promise.all(
      predictions.records.map((r) => iris.pipeline.codecs.predictions.decode(r.value)),
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
  async function servingVersion(
    version: number,
    gauge = 'driftwatch_inference_served_model_version',
  ): Promise<void> {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      if ((await inference.metric(gauge, { model: iris.champion.model })) === version) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`inference never reported ${gauge} ${version}`);
  }

  it('serves a candidate only after `driftwatch promote`, splits traffic with it first, never serves one that is rejected, and rolls back', async () => {
    const candidate = await iris.retrain('approval-1');
    assert.equal(candidate.status, 'candidate', candidate.reason);
    assert.equal(candidate.version, 2);
    assert.match(candidate.reason, /awaiting approval/);
    assert.deepEqual(Object.fromEntries(await score(200)), { 1: 200 }, 'the candidate waits');

    const models = await cli(['models', iris.champion.model, '--json']);
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

    // A/B first: v2 scores the events whose id hashes under 10%, v1 the rest.
    const split = await cli([
      'promote',
      iris.champion.model,
      '2',
      '--traffic',
      '10%',
      '--by',
      'alice',
    ]);
    assert.equal(split.code, 0, split.stderr);
    assert.match(split.stdout, /iris v2 split by alice .* A\/B split at 10% of events by alice/);
    await servingVersion(2, 'driftwatch_inference_split_candidate_version');
    const table = await cli(['models', iris.champion.model]);
    assert.match(table.stdout, /v2 .*candidate \(A\/B 10% of events\)/);
    const ids = stream.slice(sent, sent + 400).map((row, i) => `${row.id}-${sent + i}`);
    const toCandidate = ids.filter((id) => trafficBucket(id) < 0.1).length;
    assert.ok(toCandidate > 0 && toCandidate < 100, `${toCandidate} of 400`);
    assert.deepEqual(Object.fromEntries(await score(400)), {
      1: 400 - toCandidate,
      2: toCandidate,
    });

    const promoted = await cli([
      'promote',
      iris.champion.model,
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
    assert.equal(
      await inference.metric('driftwatch_inference_split_candidate_version', { model: 'iris' }),
      0,
      'promoting the candidate ends its split',
    );
    const record = await iris.latestRecordOf(2);
    assert.equal(record.status, 'promoted');
    assert.equal(record.decidedBy, 'alice');
    assert.equal(record.sha256, candidate.sha256, 'the very bytes that were the candidate');

    const again = await cli(['promote', iris.champion.model, '2']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /iris v2 is promoted \(by alice\), not a candidate/);

    const next = await iris.retrain('approval-2');
    assert.equal(next.version, 3);
    assert.equal(next.status, 'candidate', next.reason);
    const written = iris.versions.records.length;
    const rejected = await cli(['reject', iris.champion.model, '3', '--reason', 'not convinced']);
    assert.equal(rejected.code, 0, rejected.stderr);
    await iris.versions.waitFor(written + 1, 60_000);
    const decided = await iris.latestRecordOf(3);
    assert.equal(decided.status, 'rejected');
    assert.match(decided.reason, /^rejected by .+: not convinced \(trainer: manual request: /);
    assert.deepEqual(Object.fromEntries(await score(200)), { 2: 200 }, 'v3 never serves');
    assert.equal(
      await inference.metric('driftwatch_inference_served_model_version', { model: 'iris' }),
      2,
    );

    // Back to what v2 replaced: v1's bytes again, as v4.
    const rolledBack = await cli([
      'rollback',
      iris.champion.model,
      '--reason',
      'back to v1',
      '--json',
    ]);
    assert.equal(rolledBack.code, 0, rolledBack.stderr);
    const rollback = JSON.parse(rolledBack.stdout) as Pick<ModelVersion, 'version' | 'reason'>;
    assert.equal(rollback.version, 4);
    assert.match(rollback.reason, /^rollback to v1 by .+: back to v1$/);
    await servingVersion(4);
    assert.deepEqual(Object.fromEntries(await score(200)), { 4: 200 });
    const v4 = await iris.latestRecordOf(4);
    assert.deepEqual([v4.sha256, v4.parentVersion], [iris.champion.sha256, 2]);
  });
});
