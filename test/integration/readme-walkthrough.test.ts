/**
 * README's "Using it with your model" walkthrough, run as written: the shell block after the
 * `<!-- walkthrough … -->` marker, by bash, from the repository's root, on this test's own topics
 * and Redis keys (TOPIC_PREFIX, REDIS_KEY_PREFIX in the environment, as a user would set them).
 * Then what the walkthrough promises is checked on the topics: the model registered from the
 * user's ONNX file, predictions scored by it, a drift alert from the traffic's change, and a
 * retrain by the user's own program answered with a version whose lineage names its parent.
 *
 * Skipped, saying so, only when pip cannot install the example's pinned packages.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { repoRoot } from '@driftwatch/demo';

import { kafkaBrokers, redisUrl, testKafka } from '../support/environment.js';
import { collectTopic } from '../support/topic-reader.js';
import { createCodecs, topicNames } from '@driftwatch/topics';

const marker =
  '<!-- walkthrough: run as written by test/integration/readme-walkthrough.test.ts -->';

/** The shell block that follows the marker in README. */
function walkthroughBlock(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const at = readme.indexOf(marker);
  assert.ok(at >= 0, 'README has the walkthrough marker');
  const match = /```sh\n([\s\S]*?)\n```/.exec(readme.slice(at));
  assert.ok(match?.[1], 'a ```sh block follows the marker');
  return match[1];
}

/**
 * The processes this walkthrough started and that still run: the ones whose environment carries
 * its TOPIC_PREFIX (read from /proc; a demo running beside the suite starts services from the
 * same checkout, so the command line alone cannot tell them apart). Empty where /proc is not.
 */
function processesOf(prefix: string): number[] {
  const ps = spawnSync('ps', ['-eo', 'pid='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => {
      if (!pid || pid === process.pid) return false;
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1')
          .split('\0')
          .includes(`TOPIC_PREFIX=${prefix}`);
      } catch {
        return false;
      }
    });
}

const block = walkthroughBlock();
const pipLine = block.split('\n').find((line) => line.includes('pip install'));
// The block's own pip line, first on its own: only a pip that cannot install skips the test.
const pip = pipLine
  ? spawnSync('bash', ['-c', pipLine], { cwd: repoRoot, encoding: 'utf8' })
  : undefined;
const skip =
  pip && pip.status !== 0
    ? `pip could not install examples/sklearn-trainer/requirements.txt: ${pip.stderr.trim().split('\n').slice(-3).join(' | ')}`
    : false;

describe("README's walkthrough, run as written", { skip }, () => {
  const prefix = `test-walkthrough-${randomUUID().slice(0, 8)}.`;
  const names = topicNames(prefix);
  const kafka = testKafka();
  const produced = ['churn.onnx', 'churn-report.html'];

  after(() => {
    for (const file of produced) rmSync(join(repoRoot, file), { force: true });
    // A service the walkthrough left running would hold its topics: stop it, and fail.
    const left = processesOf(prefix);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    assert.deepEqual(left, [], 'the walkthrough left processes running');
  });

  it('registers the model, scores the traffic, alerts on its drift, and retrains with your program', async () => {
    const env = {
      ...process.env,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      REDIS_URL: redisUrl,
      TOPIC_PREFIX: prefix,
      REDIS_KEY_PREFIX: `driftwatch-test:${prefix}`,
      // The detector asks for retrains on drift as well: the manual one is the walkthrough's.
      SCHEMA_REGISTRY_URL: '',
    };
    // bash without job control still numbers background jobs, so `kill %1 …` works as written;
    // the trap only covers a step that fails before the block's own kill.
    const script = `set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true; wait' EXIT\n${block}\nwait\n`;
    const child = spawn('bash', ['-c', script], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // 'exit', not 'close': a service left running would hold the pipes open forever.
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    mkdirSync(join(repoRoot, '.cache', 'test-logs'), { recursive: true });
    writeFileSync(join(repoRoot, '.cache', 'test-logs', 'readme-walkthrough.log'), output);
    const tail = output.split('\n').slice(-40).join('\n');
    assert.equal(code, 0, `the walkthrough failed:\n${tail}`);

    // Step 2's and step 6's answers, as printed.
    assert.match(output, /churn v1/, tail);
    const answer = /churn v(\d+) (PROMOTED|REJECTED): (.*)/.exec(output);
    assert.ok(answer, `retrain --wait printed the trainer's answer:\n${tail}`);

    const codecs = await createCodecs({ schemaRegistryUrl: '', names });
    const versionsTopic = await collectTopic(kafka, names.modelVersions);
    const predictionsTopic = await collectTopic(kafka, names.predictions);
    const alertsTopic = await collectTopic(kafka, names.driftAlerts);
    try {
      await predictionsTopic.waitFor(2000, 120_000);
      await versionsTopic.waitFor(2, 120_000);
      await alertsTopic.waitFor(1, 120_000);
      const versions = await Promise.all(
        versionsTopic.records.map((r) => codecs.modelVersions.decode(r.value)),
      );
      const registered = versions.find((v) => v.version === 1);
      assert.ok(registered);
      assert.equal(registered.reason, 'registered: churn.onnx');
      assert.deepEqual(registered.classes, ['0', '1']);
      assert.deepEqual(registered.featureNames, [
        'tenure_months',
        'monthly_charges',
        'support_calls',
        'usage_gb',
        'discount_pct',
      ]);
      const retrained = versions.find((v) => v.version === Number(answer[1]));
      assert.ok(retrained, 'the printed version is on model-versions');
      assert.ok(retrained.requestId, 'it answers a retrain request');
      assert.ok(retrained.parentVersion !== null && retrained.parentVersion >= 1);
      const prediction = await codecs.predictions.decode(predictionsTopic.records[0]!.value);
      assert.equal(prediction.model, 'churn');
      assert.equal(prediction.probabilities?.length, 2);
      const alert = await codecs.driftAlerts.decode(alertsTopic.records[0]!.value);
      assert.equal(alert.model, 'churn');
    } finally {
      await Promise.all([versionsTopic.stop(), predictionsTopic.stop(), alertsTopic.stop()]);
    }
  });
});
