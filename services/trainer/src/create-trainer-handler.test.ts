import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { ModelRegistry, attemptBatch, type InputRecord } from '@driftwatch/bus';
import { createLogger } from '@driftwatch/service-kit';
import { createCodecs, topicNames, type RetrainRequest } from '@driftwatch/topics';
import { Registry } from 'prom-client';

import { createTrainerHandler } from './create-trainer-handler.js';
import { createTrainerDiagnostics } from './diagnostics.js';
import { irisChampion, irisWindow } from './testing/iris-retraining.js';
import { repoRoot } from './testing/sklearn-trainer-python.js';

const names = topicNames('unit.');
const codecs = await createCodecs({ schemaRegistryUrl: '', names });

async function requestRecord(offset: number, request: RetrainRequest): Promise<InputRecord> {
  return {
    topic: names.retrainRequested,
    partition: 0,
    offset: String(offset),
    key: Buffer.from(request.model),
    value: await codecs.retrainRequested.encode(request),
    timestamp: String(request.requestedAt),
    headers: {},
  };
}

describe('createTrainerHandler with a training command', () => {
  it('answers a request whose program timed out with a rejected version, then answers the next', async () => {
    const champion = await irisChampion();
    const window = await irisWindow(champion, 1000, 2000);
    const registry = new ModelRegistry();
    registry.apply(champion);
    const metrics = new Registry();
    // A real program that dispatches on DRIFTWATCH_REQUEST_ID: it hangs for request "slow", and
    // for any other ships a model it was given (the champion's own bytes).
    const fixture = join(repoRoot, 'test', 'fixtures', 'byom', 'multiclass-iris.onnx');
    const program = [
      'sh',
      '-c',
      'if [ "$DRIFTWATCH_REQUEST_ID" = slow ]; then exec sleep 600; fi; exec cp "$0" "$DRIFTWATCH_OUTPUT_ONNX"',
      fixture,
    ];
    const handle = createTrainerHandler({
      names,
      codecs,
      registry,
      refreshRegistry: () => Promise.resolve(),
      readWindow: () => Promise.resolve(window),
      policy: {
        candidate: { family: 'logistic', training: {}, referenceBins: 10 },
        command: { argv: program, cwd: repoRoot, timeoutMs: 5000, env: process.env },
        holdoutFraction: 0.2,
        minRows: 200,
        maxRows: 20_000,
        criteria: { metric: 'accuracy', minGain: 0.01, minHoldout: 100 },
      },
      now: () => 6000,
      diagnostics: createTrainerDiagnostics(metrics),
      logger: createLogger('trainer', 'silent'),
    });
    const request = {
      model: 'iris',
      reason: 'drift',
      alertId: null,
      fromTs: 2000,
      toTs: 3000,
    } as const;
    const outputs = await attemptBatch(handle, {
      topic: names.retrainRequested,
      partition: 0,
      records: [
        await requestRecord(0, { ...request, requestId: 'slow', requestedAt: 5000 }),
        await requestRecord(1, { ...request, requestId: 'next', requestedAt: 7000 }),
      ],
    });
    assert.deepEqual(
      outputs.map((output) => [output.topic, output.key]),
      [
        [names.modelVersions, 'iris/2'],
        [names.modelVersions, 'iris/3'],
      ],
    );
    const [timedOut, next] = await Promise.all(
      outputs.map((output) => codecs.modelVersions.decode(output.value)),
    );
    assert.equal(timedOut?.status, 'rejected');
    assert.equal(timedOut.requestId, 'slow');
    assert.equal(timedOut.parentVersion, 1);
    assert.equal(
      timedOut.reason,
      'drift request: training command timed out after 5s (TRAINER_COMMAND_TIMEOUT) and was killed',
    );
    assert.equal(next?.requestId, 'next');
    assert.equal(next.parentVersion, 1, 'a rejected version does not become the parent');
    assert.equal(next.sha256, champion.sha256);
    assert.equal(next.status, 'rejected');
    assert.match(next.reason, /^drift request: accuracy \S+ vs champion \S+ \(\+0 < 0\.01\)/);
    // Counted once the batch commits, by verdict.
    const runs = await metrics.getSingleMetric('driftwatch_trainer_command_runs_total')?.get();
    assert.deepEqual(
      runs?.values.map(({ labels, value }) => [labels['verdict'], value]),
      [
        ['timed-out', 1],
        ['usable', 1],
      ],
    );
  });
});
