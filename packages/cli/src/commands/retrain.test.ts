import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { RetrainRequest } from '@driftwatch/topics';

import { setTimeout as sleep } from 'node:timers/promises';

import { modelVersionKey } from '@driftwatch/topics';

import { fakeModelVersion } from '../testing/fake-model-version.js';
import { jsonLines, runCli, spawnCli } from '../testing/run-cli.js';
import { testDeployment, type TestDeployment } from '../testing/test-deployment.js';
import { manualRetrainRequest } from './retrain.js';

describe('manualRetrainRequest', () => {
  it('builds a manual request with a fresh id and no alert', () => {
    const a = manualRetrainRequest({ model: 'sea', fromTs: 5, toTs: 10, now: 20 });
    const b = manualRetrainRequest({ model: 'sea', fromTs: 5, toTs: 10, now: 20 });
    assert.deepEqual(
      { ...a, requestId: '' },
      {
        requestId: '',
        model: 'sea',
        reason: 'manual',
        alertId: null,
        fromTs: 5,
        toTs: 10,
        requestedAt: 20,
        // Raw thresholds unless the detectors' settings are given.
        alarmSettings: null,
      },
    );
    assert.match(a.requestId, /^[0-9a-f-]{36}$/);
    assert.notEqual(a.requestId, b.requestId);
  });

  it('rejects a window that ends before it starts, and a bad model name', () => {
    assert.throws(() => manualRetrainRequest({ model: 'sea', fromTs: 11, toTs: 10, now: 20 }), {
      code: 'DW_CLI_BAD_OPTION',
    });
    assert.throws(() => manualRetrainRequest({ model: 'se/a', fromTs: 0, toTs: 10, now: 20 }), {
      code: 'DW_CLI_BAD_OPTION',
      message: /model name "se\/a"/,
    });
  });
});

describe('driftwatch retrain', () => {
  let deployment: TestDeployment;
  before(async () => {
    deployment = await testDeployment('retrain');
  });
  after(async () => {
    await deployment.cleanup();
  });

  it('publishes exactly one well-formed request and prints its id', async () => {
    const before = Date.now();
    const result = await runCli(['retrain', 'sea.v2', '--from', '2h', '--json'], deployment.env);
    const afterRun = Date.now();
    assert.equal(result.code, 0, result.stderr);
    const [printed] = jsonLines(result.stdout) as RetrainRequest[];
    assert.ok(printed);

    const records = await deployment.readTopic(deployment.names.retrainRequested);
    assert.equal(records.length, 1);
    const [record] = records;
    assert.ok(record);
    assert.equal(record.key?.toString(), 'sea.v2');
    const published = await deployment.codecs.retrainRequested.decode(record.value);
    assert.deepEqual(published, printed);
    assert.equal(published.model, 'sea.v2');
    assert.equal(published.reason, 'manual');
    assert.equal(published.alertId, null);
    assert.match(
      published.requestId,
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.ok(published.requestedAt >= before && published.requestedAt <= afterRun);
    assert.equal(published.toTs, published.requestedAt);
    assert.equal(published.fromTs, published.requestedAt - 2 * 3_600_000);
  });

  it('prints only the id without --json, and defaults to all data up to now', async () => {
    const result = await runCli(['retrain', 'sea'], deployment.env);
    assert.equal(result.code, 0, result.stderr);
    const id = result.stdout.trim();
    assert.match(id, /^[0-9a-f-]{36}$/);
    const records = await deployment.readTopic(deployment.names.retrainRequested);
    const requests = await Promise.all(
      records.map((r) => deployment.codecs.retrainRequested.decode(r.value)),
    );
    const request = requests.find((r) => r.requestId === id);
    assert.ok(request, 'the printed id was published');
    assert.equal(request.fromTs, 0);
    assert.equal(records.length, 2);
  });

  it('refuses a bad model name (exit 2) and a reversed window (exit 1), publishing nothing', async () => {
    const badName = await runCli(['retrain', 'no spaces'], deployment.env);
    assert.equal(badName.code, 2);
    assert.match(badName.stderr, /model name "no spaces" may hold only letters/);
    const reversed = await runCli(
      ['retrain', 'sea', '--from', '2024-06-02', '--to', '2024-06-01'],
      deployment.env,
    );
    assert.equal(reversed.code, 1);
    assert.match(reversed.stderr, /^driftwatch: the training window starts .* after it ends/);
    assert.doesNotMatch(reversed.stderr, /\n\s+at /, 'no stack trace');
    const badTime = await runCli(['retrain', 'sea', '--from', 'yesterday'], deployment.env);
    assert.equal(badTime.code, 2);
    assert.match(badTime.stderr, /"yesterday" is not a time/);
    assert.equal((await deployment.readTopic(deployment.names.retrainRequested)).length, 2);
  });

  it('--wait prints the version the trainer published for the request', async () => {
    const child = spawnCli(['retrain', 'sea', '--wait', '5m'], deployment.env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    // Play the trainer: answer the request once it is on the topic.
    let request: RetrainRequest | undefined;
    while (!request) {
      const records = await deployment.readTopic(deployment.names.retrainRequested);
      const requests = await Promise.all(
        records.map((r) => deployment.codecs.retrainRequested.decode(r.value)),
      );
      request = requests.find((r) => r.requestId === stdout.trim());
      if (!request) await sleep(200);
    }
    const version = fakeModelVersion({
      model: 'sea',
      version: 2,
      parentVersion: 1,
      status: 'rejected',
      requestId: request.requestId,
      reason: 'manual request: accuracy 0.70 vs champion 0.71',
    });
    const producer = deployment.kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: deployment.names.modelVersions,
        messages: [
          {
            key: modelVersionKey('sea', 2),
            value: await deployment.codecs.modelVersions.encode(version),
          },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /sea v2 REJECTED: manual request: accuracy 0\.70 vs champion 0\.71\n$/);
  });
});
