/**
 * Shadow deployment on the real broker and Redis: a trainer under PROMOTION_STAGE=shadow puts its
 * challenger on trial; inference scores it beside the serving version on every event; the joiner
 * carries its predictions to the labels; the detector promotes it on live evidence. A worse
 * shadow is retired the same way. Every event gets exactly one serving prediction throughout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import type { FeatureEvent, LabelEvent, ModelVersion, Prediction } from '@driftwatch/topics';

import type { ModelVersionSummary } from '../../packages/cli/src/commands/models.js';
import { runCli } from '../../packages/cli/src/testing/run-cli.js';
import { byomCsv } from '../../services/trainer/src/testing/byom-fixture.js';
import { testKafka } from '../support/environment.js';
import {
  irisRetrainingPipeline,
  type IrisRetrainingPipeline,
} from '../support/iris-retraining-pipeline.js';
import { publishModelVersion, sendAll } from '../support/pipeline.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { collectTopic } from '../support/topic-reader.js';

const kafka = testKafka();
/** The trial: 300 labeled events, +5 points, and McNemar at 1%. */
const trial = { minLabeled: 300, minGain: 0.05, mcnemarAlpha: 0.01 };

describe('PROMOTION_STAGE=shadow on the real broker', { timeout: 900_000 }, () => {
  const producer = kafka.producer({ idempotent: true });
  const running: ServiceProcess[] = [];
  let iris: IrisRetrainingPipeline;
  let inference: ServiceProcess;
  let predictions: Awaited<ReturnType<typeof collectTopic>>;
  /** predictions-labeled: the 500 the trainer learns from, then every event's joined record. */
  let labeled: Awaited<ReturnType<typeof collectTopic>>;
  // Rows from 1,000 on are after the petals grew: v1 is right on 0.65 of them.
  const stream = byomCsv('multiclass-iris.stream.csv').rows;
  let sent = 0;

  before(async () => {
    await producer.connect();
    iris = await irisRetrainingPipeline(kafka, producer);
    predictions = await collectTopic(kafka, iris.pipeline.names.predictions);
    labeled = await collectTopic(kafka, iris.pipeline.names.predictionsLabeled);
  });

  after(async () => {
    await Promise.all(running.map((service) => service.stop('SIGKILL')));
    await Promise.all([iris.versions.stop(), predictions.stop(), labeled.stop()]);
    await producer.disconnect();
  });

  /** Events and labels of stream rows [from, to), under fresh ids. */
  async function sendRows(from: number, to: number, tag: string): Promise<void> {
    const rows = stream.slice(from, to);
    const events: FeatureEvent[] = rows.map((row) => ({
      id: `${row.id}-${tag}`,
      model: iris.champion.model,
      ts: Date.now(),
      features: row.features,
    }));
    const labels: LabelEvent[] = rows.map((row, i) => ({
      id: events[i]!.id,
      model: iris.champion.model,
      ts: Date.now(),
      label: row.label,
    }));
    const { names, codecs } = iris.pipeline;
    await sendAll(
      producer,
      names.events,
      await Promise.all(
        events.map(async (e) => ({ key: e.id, value: await codecs.events.encode(e) })),
      ),
    );
    await sendAll(
      producer,
      names.labels,
      await Promise.all(
        labels.map(async (l) => ({ key: l.id, value: await codecs.labels.encode(l) })),
      ),
    );
    sent += rows.length;
  }

  async function metricReaches(name: string, value: number): Promise<void> {
    for (let attempt = 0; attempt < 1200; attempt += 1) {
      if ((await inference.metric(name, { model: iris.champion.model })) === value) return;
      await sleep(100);
    }
    assert.fail(`inference never reported ${name} ${value}`);
  }

  /** Waits for `version`'s record with a status other than `shadow`: the trial's decision. */
  async function decisionOf(version: number): Promise<ModelVersion> {
    for (let attempt = 0; attempt < 3000; attempt += 1) {
      const record = await iris.latestRecordOf(version);
      if (record.status !== 'shadow') return record;
      await sleep(100);
    }
    assert.fail(`v${version} was never decided`);
  }

  it('promotes a better shadow on live evidence and retires a worse one; one serving prediction per event', async (t) => {
    const trainer = await startServiceProcess('trainer', {
      ...iris.pipeline.env,
      PROMOTION_STAGE: 'shadow',
      SHADOW_MIN_LABELED: String(trial.minLabeled),
      SHADOW_MIN_GAIN: String(trial.minGain),
      SHADOW_MCNEMAR_ALPHA: String(trial.mcnemarAlpha),
    });
    const shadow = await iris.retrain('shadow-1');
    await trainer.stop('SIGTERM');
    assert.equal(shadow.status, 'shadow', shadow.reason);
    assert.equal(shadow.version, 2);
    assert.match(shadow.reason, /on trial as a shadow until 300 labeled events decide/);
    assert.deepEqual(shadow.shadowTrial, { ...trial, evidence: null });

    inference = await startServiceProcess('inference', iris.pipeline.env);
    running.push(
      inference,
      await startServiceProcess('joiner', iris.pipeline.env),
      await startServiceProcess('detector', iris.pipeline.env),
    );
    await metricReaches('driftwatch_inference_shadow_versions', 1);

    // 500 events for a trial of 300: v2 is promoted part-way, and serves the rest.
    await sendRows(1500, 2000, 'a');
    const promoted = await decisionOf(2);
    assert.equal(promoted.status, 'promoted', promoted.reason);
    assert.match(
      promoted.reason,
      /^promoted on live evidence: live accuracy 0\.\d+ vs champion 0\.\d+ \(\+0\.\d+ ≥ 0\.05\) on 300 labeled events, McNemar p=.* < 0\.01/,
    );
    assert.equal(promoted.sha256, shadow.sha256, 'the very bytes on trial');
    const evidence = promoted.shadowTrial?.evidence;
    assert.ok(evidence);
    t.diagnostic(`v2's trial: ${promoted.reason}`);
    assert.equal(evidence.championVersion, 1);
    assert.equal(evidence.labeled, 300);
    assert.ok(
      evidence.shadowCorrect - evidence.championCorrect >= 0.05 * 300,
      JSON.stringify(evidence),
    );
    await metricReaches('driftwatch_inference_served_model_version', 2);
    await metricReaches('driftwatch_inference_shadow_versions', 0);

    // v1's bytes again, as a shadow of v2: it is worse after the petals grew.
    const worse: ModelVersion = {
      ...iris.champion,
      version: 3,
      parentVersion: 2,
      createdAt: Date.now(),
      status: 'shadow',
      reason: 'the old model, on trial again',
      shadowTrial: { ...trial, evidence: null },
    };
    await publishModelVersion(producer, iris.pipeline, worse);
    await metricReaches('driftwatch_inference_shadow_versions', 1);
    await sendRows(1000, 1500, 'b');
    const retired = await decisionOf(3);
    assert.equal(retired.status, 'rejected', retired.reason);
    assert.match(
      retired.reason,
      /^retired after its shadow trial: live accuracy 0\.\d+ vs champion 0\.\d+ \(-0\.\d+ < 0\.05\) on 300 labeled events$/,
    );
    assert.equal(retired.shadowTrial?.evidence?.championVersion, 2);
    t.diagnostic(`v3's trial: ${retired.reason}`);
    await metricReaches('driftwatch_inference_shadow_versions', 0);
    await metricReaches('driftwatch_inference_served_model_version', 2);

    await predictions.waitFor(sent, 300_000);
    const decoded: Prediction[] = await Promise.all(
      predictions.records.map((r) => iris.pipeline.codecs.predictions.decode(r.value)),
    );
    assert.equal(decoded.length, sent, 'one prediction per event, none twice');
    assert.equal(new Set(decoded.map((p) => p.id)).size, sent);
    const servedBy = (tag: string) =>
      new Set(decoded.filter((p) => p.id.endsWith(`-${tag}`)).map((p) => p.modelVersion));
    assert.deepEqual([...servedBy('b')], [2], 'a shadow never serves');
    assert.ok(servedBy('a').has(1), 'v1 served until the decision');
    const shadowed = decoded.filter((p) => (p.shadows ?? []).length > 0);
    assert.ok(
      shadowed.length >= 600,
      `both trials rode on serving predictions (${shadowed.length})`,
    );
    for (const p of shadowed) {
      const [only] = p.shadows ?? [];
      assert.equal(p.shadows?.length, 1);
      assert.equal(only?.modelVersion, p.id.endsWith('-a') ? 2 : 3);
    }

    // `models --live` shows the shadows' live accuracy beside the serving versions'.
    await labeled.waitFor(500 + sent, 300_000);
    const listed = await runCli(
      ['models', iris.champion.model, '--live', '1h', '--json'],
      iris.cliEnv,
    );
    assert.equal(listed.code, 0, listed.stderr);
    const live = new Map(
      (JSON.parse(listed.stdout) as ModelVersionSummary[]).map((v) => [v.version, v.live]),
    );
    const v3 = live.get(3);
    const v2 = live.get(2);
    assert.ok(v3 && v3.labeled >= trial.minLabeled, JSON.stringify(v3));
    assert.ok(
      v2?.accuracy && v3.accuracy !== null && v3.accuracy < v2.accuracy,
      JSON.stringify([...live]),
    );

    // A person can put a candidate on trial with a rule of its own, and end the trial early.
    await publishModelVersion(producer, iris.pipeline, {
      ...worse,
      version: 4,
      status: 'candidate',
      shadowTrial: null,
    });
    const onTrial = await runCli(
      ['promote', iris.champion.model, '4', '--shadow', '5000', '--by', 'alice'],
      iris.cliEnv,
    );
    assert.equal(onTrial.code, 0, onTrial.stderr);
    assert.match(onTrial.stdout, /iris v4 on trial by alice .* until 5000 labeled events decide/);
    await metricReaches('driftwatch_inference_shadow_versions', 1);
    const early = await runCli(['reject', iris.champion.model, '4', '--by', 'alice'], iris.cliEnv);
    assert.equal(early.code, 0, early.stderr);
    await metricReaches('driftwatch_inference_shadow_versions', 0);
  });
});
