import assert from 'node:assert/strict';
import { attemptBatch } from '@driftwatch/bus';
import { after, describe, it } from 'node:test';

import type { BatchHandler, InputRecord, OutputMessage } from '@driftwatch/bus';
import { mulberry32 } from '@driftwatch/drift';
import { exportOnnx, fitMultivariateReference, sha256Hex } from '@driftwatch/model';
import {
  createCodecs,
  decodeFeatureSketch,
  embeddingColumns,
  topicNames,
  type FeatureEvent,
  type ModelVersion,
  type Prediction,
} from '@driftwatch/topics';

import type { InferenceDiagnostics } from './diagnostics.js';
import { createInferenceHandler } from './score-batch.js';
import { ServingModels } from './serving-models.js';
import { logisticFeatures, logisticScore, logisticVersion } from './testing/logistic-version.js';
import { recordingLoader } from './testing/recording-loader.js';

const names = topicNames('unit.');
const sketchTopic = 'unit.sketches';
const codecs = await createCodecs({ schemaRegistryUrl: '', names });
const now = 7_000_000;
const seaV1 = { weights: [2, -1], bias: 0 } as const;
const seaV2 = { weights: [-2, 1], bias: 0.5 } as const;

const opened: ServingModels[] = [];
after(async () => {
  await Promise.all(opened.map((models) => models.releaseAll()));
});

/** Records every diagnostics call, as `method arg…`, leaving out durations. */
function recordingDiagnostics(): InferenceDiagnostics & { calls: string[] } {
  const calls: string[] = [];
  const record = (...parts: unknown[]): void => {
    calls.push(parts.map(String).join(' '));
  };
  return {
    calls,
    batchProcessed: () => undefined,
    batchRetried: () => undefined,
    scored: (model, version, events) => {
      record('scored', model, version, events);
    },
    predicted: (model, eventTimestamps) => {
      record('predicted', model, eventTimestamps.length);
    },
    deadLettered: (code) => {
      record('deadLettered', code);
    },
    edgeCases: (model, found, judged) => {
      record('edgeCases', model, found, judged);
    },
    serving: (model, version) => {
      record('serving', model, version);
    },
    splitting: (model, version, traffic) => {
      record('splitting', model, version, traffic);
    },
    modelLoadFailed: (model, version) => {
      record('modelLoadFailed', model, version);
    },
    shadowing: (model, versions) => {
      record('shadowing', model, versions.join(','));
    },
    shadowScored: (model, version, outcome, events) => {
      record('shadowScored', model, version, outcome, events);
    },
  };
}

async function inference(versions: readonly ReturnType<typeof logisticVersion>[]) {
  const loader = recordingLoader();
  const models = new ServingModels(loader.load, () => undefined);
  opened.push(models);
  await models.goLive();
  for (const version of versions) assert.equal(await models.apply(version), 'served');
  const diagnostics = recordingDiagnostics();
  const handle = createInferenceHandler({
    names,
    sketchTopic,
    codecs,
    models,
    threshold: 0.6,
    now: () => now,
    diagnostics,
  });
  return { handle, models, loader, diagnostics };
}

function event(id: string, model: string, features: Record<string, number>): FeatureEvent {
  return { id, model, ts: 1_000 + Number(id.slice(1)), features };
}

let offset = 0;
function record(value: Buffer | null, key = `k${offset}`): InputRecord {
  return {
    topic: names.events,
    partition: 0,
    offset: String(offset++),
    key: Buffer.from(key),
    value,
    timestamp: '0',
    headers: {},
  };
}

async function eventRecord(message: FeatureEvent): Promise<InputRecord> {
  return record(await codecs.events.encode(message), message.id);
}

/**
 * Handles a batch as the bus does: the attempt's effects run only if its transaction commits.
 * Returns every output, sketches included.
 */
const attemptAll = (handle: BatchHandler, records: InputRecord[], commits = true) =>
  attemptBatch(handle, { topic: names.events, partition: 0, records }, { commits });

/** {@link attemptAll} without the feature sketches, which have a test of their own. */
const attempt = async (handle: BatchHandler, records: InputRecord[], commits = true) =>
  (await attemptAll(handle, records, commits)).filter((output) => output.topic !== sketchTopic);

async function predictionsOf(outputs: OutputMessage[]): Promise<Prediction[]> {
  return Promise.all(
    outputs
      .filter((output) => output.topic === names.predictions)
      .map((output) => codecs.predictions.decode(output.value)),
  );
}

function near(actual: number | undefined, expected: number): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-6, `${actual} ≉ ${expected}`);
}

describe('inference handler', () => {
  it('scores each event with the served model, one output per event, in input order', async () => {
    const { handle, diagnostics } = await inference([logisticVersion('sea', 1, seaV1.weights)]);
    const events = [
      event('e0', 'sea', { x1: 1, x2: 1 }),
      event('e1', 'sea', { x2: -0.5, x1: -0.25, unused: 9 }),
      event('e2', 'sea', { x1: 0.3, x2: 0 }),
    ];
    const outputs = await attempt(handle, await Promise.all(events.map(eventRecord)));

    assert.deepEqual(
      outputs.map((output) => [output.topic, output.key]),
      events.map((e) => [names.predictions, e.id]),
    );
    const predictions = await predictionsOf(outputs);
    for (const [i, prediction] of predictions.entries()) {
      const source = events[i]!;
      const expected = logisticScore(seaV1.weights, seaV1.bias, {
        x1: source.features['x1']!,
        x2: source.features['x2']!,
      });
      near(prediction.score, expected);
      near(prediction.probabilities?.[0], 1 - expected);
      near(prediction.probabilities?.[1], expected);
      assert.equal(prediction.predicted, expected >= 0.6 ? 1 : 0);
      assert.deepEqual(
        { ...prediction, score: 0, predicted: 0, probabilities: [] },
        {
          ...source,
          modelVersion: 1,
          scoredAt: now,
          score: 0,
          predicted: 0,
          classes: ['0', '1'],
          probabilities: [],
        },
      );
    }
    // σ(1) ≈ 0.73, σ(0) = 0.5, σ(0.6) ≈ 0.65: both sides of the 0.6 threshold.
    assert.deepEqual(
      predictions.map((p) => p.predicted),
      [1, 0, 1],
    );
    assert.deepEqual(diagnostics.calls, ['scored sea 1 3', 'predicted sea 3']);
  });

  it('sums up each batch per model version in a feature sketch, after its predictions', async () => {
    const { handle } = await inference([
      logisticVersion('sea', 1, seaV1.weights),
      logisticVersion('other', 1, seaV2.weights),
    ]);
    const events = [
      event('e0', 'sea', { x1: 1, x2: 1 }),
      event('e1', 'other', { x1: 0.5, x2: 2 }),
      event('e2', 'sea', { x2: -0.5, x1: -0.25, unused: 9 }),
    ];
    const records = [...(await Promise.all(events.map(eventRecord))), record(Buffer.from('{'))];
    const outputs = await attemptAll(handle, records);
    assert.deepEqual(
      outputs.map((output) => [output.topic, output.key?.toString()]),
      [
        [names.predictions, 'e0'],
        [names.predictions, 'e1'],
        [names.predictions, 'e2'],
        [names.deadLetter, records[3]!.key!.toString()],
        [sketchTopic, 'sea'],
        [sketchTopic, 'other'],
      ],
    );
    const predictions = await predictionsOf(outputs);
    const [sea, other] = outputs
      .filter((output) => output.topic === sketchTopic)
      .map((output) => decodeFeatureSketch(output.value));
    const ofModel = (model: string) => predictions.filter((p) => p.model === model);
    for (const [sketch, model] of [
      [sea, 'sea'],
      [other, 'other'],
    ] as const) {
      assert.ok(sketch);
      assert.equal(sketch.modelVersion, 1);
      assert.deepEqual(
        [...sketch.scores],
        ofModel(model).map((p) => p.score),
      );
      assert.deepEqual(
        [...sketch.timestamps],
        ofModel(model).map(() => now),
      );
      assert.deepEqual(
        [...(sketch.features.get('x1') ?? [])],
        ofModel(model).map((p) => p.features['x1']),
      );
    }
    assert.deepEqual(
      [...sea!.features.keys()],
      ['x1', 'x2'],
      "the model's inputs, not an event's extra fields",
    );
    assert.deepEqual(
      await attemptAll(handle, [records[3]!]).then((o) => o.map((m) => m.topic)),
      [names.deadLetter],
      'no prediction, no sketch',
    );
  });

  it('dead-letters what it cannot score, with its code, in place; scores the rest', async () => {
    const { handle, diagnostics } = await inference([logisticVersion('sea', 1, seaV1.weights)]);
    const garbage = Buffer.from('{"id": "e9", ');
    const records = [
      await eventRecord(event('e0', 'sea', { x1: 1, x2: 1 })),
      await eventRecord(event('e1', 'unknown', { x1: 1, x2: 1 })),
      await eventRecord(event('e2', 'sea', { x1: 1 })),
      // Finite as a double, infinite as the model's float32 input.
      await eventRecord(event('e3', 'sea', { x1: 1e39, x2: 0 })),
      record(garbage, 'e4'),
      record(null, 'e5'),
      await eventRecord(event('e6', 'sea', { x1: 0, x2: 0 })),
    ];
    const outputs = await attempt(handle, records);

    assert.deepEqual(
      outputs.map((output) =>
        output.topic === names.deadLetter ? output.headers?.['dw-code'] : output.topic,
      ),
      [
        names.predictions,
        'DW_UNKNOWN_MODEL',
        'DW_MISSING_FEATURE',
        'DW_NON_FINITE_FEATURE',
        'DW_MALFORMED_JSON',
        'DW_EMPTY_MESSAGE',
        names.predictions,
      ],
    );
    const letters = await Promise.all(
      outputs
        .filter((output) => output.topic === names.deadLetter)
        .map((output) => codecs.deadLetter.decode(output.value)),
    );
    assert.deepEqual(
      letters.map((letter) => [letter.service, letter.sourceTopic, letter.offset, letter.failedAt]),
      records.slice(1, 6).map((r) => ['inference', names.events, r.offset, now]),
    );
    assert.match(letters[0]!.reason, /"unknown"/);
    assert.match(letters[1]!.reason, /"x2" is missing/);
    assert.deepEqual(letters[3]!.value, garbage, 'the original bytes, kept for a replay');
    assert.deepEqual(letters[3]!.key, Buffer.from('e4'));
    assert.deepEqual(
      (await predictionsOf(outputs)).map((p) => p.id),
      ['e0', 'e6'],
    );
    assert.deepEqual(diagnostics.calls.sort(), [
      'deadLettered DW_EMPTY_MESSAGE',
      'deadLettered DW_MALFORMED_JSON',
      'deadLettered DW_MISSING_FEATURE',
      'deadLettered DW_NON_FINITE_FEATURE',
      'deadLettered DW_UNKNOWN_MODEL',
      'predicted sea 2',
      'scored sea 1 2',
    ]);
  });

  it('an attempt that does not commit counts nothing', async () => {
    const { handle, diagnostics } = await inference([logisticVersion('sea', 1, seaV1.weights)]);
    const records = [await eventRecord(event('e0', 'sea', { x1: 1, x2: 1 })), record(null)];
    const failed = await attempt(handle, records, false);
    assert.deepEqual(diagnostics.calls, []);
    assert.deepEqual(await attempt(handle, records), failed, 'handled again, the same output');
    assert.deepEqual(diagnostics.calls, [
      'deadLettered DW_EMPTY_MESSAGE',
      'scored sea 1 1',
      'predicted sea 1',
    ]);
  });

  it('hot swap: a version promoted during a batch scores from the next batch on', async () => {
    const { handle, models, loader } = await inference([
      logisticVersion('sea', 1, seaV1.weights),
      logisticVersion('credit', 1, seaV1.weights),
    ]);
    const creditV2 = logisticVersion('credit', 2, seaV2.weights, seaV2.bias);
    let swapped: string | undefined;
    // While the batch scores `sea`, `credit` v2 is promoted and swapped in.
    loader.beforeScore('sea', 1, async () => {
      swapped ??= await models.apply(creditV2);
    });
    const batch = async (): Promise<InputRecord[]> => [
      await eventRecord(event('e0', 'sea', { x1: 1, x2: 0 })),
      await eventRecord(event('e1', 'credit', { x1: 1, x2: 0 })),
    ];

    const during = await predictionsOf(await attempt(handle, await batch()));
    assert.equal(swapped, 'served', 'the swap happened inside the batch');
    assert.deepEqual(
      during.map((p) => [p.id, p.modelVersion]),
      [
        ['e0', 1],
        ['e1', 1],
      ],
    );
    near(during[1]?.score, logisticScore(seaV1.weights, seaV1.bias, { x1: 1, x2: 0 }));
    assert.deepEqual(loader.releases, ['credit v1'], 'v1 released once the batch returned it');

    const next = await predictionsOf(await attempt(handle, await batch()));
    assert.deepEqual(
      next.map((p) => [p.id, p.modelVersion]),
      [
        ['e0', 1],
        ['e1', 2],
      ],
    );
    near(next[1]?.score, logisticScore(seaV2.weights, seaV2.bias, { x1: 1, x2: 0 }));
  });

  it('a late older promotion does not roll a model back', async () => {
    const { handle, models } = await inference([
      logisticVersion('sea', 2, seaV2.weights, seaV2.bias),
    ]);
    assert.equal(await models.apply(logisticVersion('sea', 1, seaV1.weights)), 'not-newer');
    const [prediction] = await predictionsOf(
      await attempt(handle, [await eventRecord(event('e0', 'sea', { x1: 1, x2: 0 }))]),
    );
    assert.equal(prediction?.modelVersion, 2);
    near(prediction.score, logisticScore(seaV2.weights, seaV2.bias, { x1: 1, x2: 0 }));
  });

  it('shadows: each scores every event the serving version scores, riding on its prediction; none serves', async () => {
    const { handle, models, diagnostics } = await inference([
      logisticVersion('sea', 1, seaV1.weights),
    ]);
    const shadow = (version: number, weights: readonly [number, number], bias: number) => ({
      ...logisticVersion('sea', version, weights, bias),
      status: 'shadow' as const,
      shadowTrial: { minLabeled: 100, minGain: 0, mcnemarAlpha: null, evidence: null },
    });
    assert.equal(await models.apply(shadow(3, [1, 1], -0.2)), 'shadowing');
    assert.equal(await models.apply(shadow(2, seaV2.weights, seaV2.bias)), 'shadowing');
    assert.equal(await models.apply(shadow(1, seaV2.weights, 0)), 'not-newer');
    assert.deepEqual(models.shadowVersions(), { sea: [2, 3] });

    const events = [event('e0', 'sea', { x1: 1, x2: 0 }), event('e1', 'sea', { x1: -1, x2: 0.5 })];
    const predictions = await predictionsOf(
      await attempt(handle, await Promise.all(events.map(eventRecord))),
    );
    assert.deepEqual(
      predictions.map((p) => [p.id, p.modelVersion]),
      [
        ['e0', 1],
        ['e1', 1],
      ],
      'one serving prediction per event',
    );
    for (const [i, prediction] of predictions.entries()) {
      const features = events[i]!.features as { x1: number; x2: number };
      assert.deepEqual(
        prediction.shadows?.map((s) => s.modelVersion),
        [2, 3],
      );
      const v2 = logisticScore(seaV2.weights, seaV2.bias, features);
      near(prediction.shadows[0]?.score, v2);
      // The handler's threshold override (0.6) holds for shadows too.
      assert.equal(prediction.shadows[0]?.predicted, v2 >= 0.6 ? 1 : 0);
      near(prediction.shadows[1]?.score, logisticScore([1, 1], -0.2, features));
    }
    assert.ok(diagnostics.calls.includes('shadowScored sea 2 scored 2'));
    assert.ok(!diagnostics.calls.some((call) => call.startsWith('scored sea 2')));

    // Retired: v3 leaves the trial. Promoted: v2 serves, loaded already, and no shadow is left.
    assert.equal(
      await models.apply({ ...shadow(3, [1, 1], -0.2), status: 'rejected' }),
      'shadow-ended',
    );
    assert.deepEqual(models.shadowVersions(), { sea: [2] });
    assert.equal(
      await models.apply({ ...shadow(2, seaV2.weights, seaV2.bias), status: 'promoted' }),
      'served',
    );
    assert.deepEqual(models.shadowVersions(), { sea: [] });
    const [served] = await predictionsOf(await attempt(handle, [await eventRecord(events[0]!)]));
    assert.equal(served?.modelVersion, 2);
    assert.equal(served.shadows, undefined);
  });

  it('a probability a hair outside [0, 1] is clamped; a row with a non-finite one is dead-lettered with what the model returned', async () => {
    const { handle, loader, diagnostics } = await inference([
      logisticVersion('sea', 1, seaV1.weights),
    ]);
    loader.rewriteScores('sea', 1, (scores) => {
      scores.set([Number.NaN, 0.5], 2);
      scores.set([-1e-12, 1 + 1e-12], 4);
    });
    const records = await Promise.all(
      ['e0', 'e1', 'e2'].map((id) => eventRecord(event(id, 'sea', { x1: 1, x2: 0 }))),
    );
    const outputs = await attempt(handle, records);

    assert.deepEqual(
      outputs.map((output) =>
        output.topic === names.deadLetter ? output.headers?.['dw-code'] : output.topic,
      ),
      [names.predictions, 'DW_SCORING_FAILED', names.predictions],
    );
    const [letter] = await Promise.all(
      outputs
        .filter((output) => output.topic === names.deadLetter)
        .map((output) => codecs.deadLetter.decode(output.value)),
    );
    assert.match(letter?.reason ?? '', /sea v1 returned a non-finite probability \(NaN, 0\.5\)/);
    const [first, last] = await predictionsOf(outputs);
    near(first?.score, logisticScore(seaV1.weights, seaV1.bias, { x1: 1, x2: 0 }));
    assert.deepEqual(
      [last?.id, last?.probabilities, last?.score, last?.predicted],
      ['e2', [0, 1], 1, 1],
    );
    assert.ok(diagnostics.calls.includes('predicted sea 2'), diagnostics.calls.join('; '));
  });

  it('a shadow that fails to score never costs an event its serving prediction', async () => {
    const { handle, models, loader, diagnostics } = await inference([
      logisticVersion('sea', 1, seaV1.weights),
    ]);
    const broken = { ...logisticVersion('sea', 2, seaV2.weights), status: 'shadow' as const };
    assert.equal(await models.apply(broken), 'shadowing');
    loader.beforeScore('sea', 2, () => Promise.reject(new Error('out of memory')));
    const predictions = await predictionsOf(
      await attempt(handle, [await eventRecord(event('e0', 'sea', { x1: 1, x2: 0 }))]),
    );
    assert.deepEqual(
      predictions.map((p) => [p.id, p.modelVersion, p.shadows]),
      [['e0', 1, undefined]],
    );
    assert.ok(
      diagnostics.calls.includes('shadowScored sea 2 failed 1'),
      diagnostics.calls.join('; '),
    );
  });

  it('edge cases: an event far from every reference cluster is marked on its prediction and written to edge-cases, after it', async () => {
    const random = mulberry32(5);
    const referenceRows = Array.from({ length: 2_000 }, () => [random(), random()]);
    const multivariate = fitMultivariateReference([...logisticFeatures], referenceRows, { k: 4 });
    assert.ok(multivariate);
    const version = logisticVersion('sea', 1, seaV1.weights);
    const { handle, diagnostics } = await inference([
      { ...version, reference: { ...version.reference, multivariate } },
    ]);
    const outputs = await attempt(handle, [
      await eventRecord(event('e1', 'sea', { x1: 0.5, x2: 0.5 })),
      await eventRecord(event('e2', 'sea', { x1: 40, x2: -40 })),
      await eventRecord(event('e3', 'sea', { x1: 0.25, x2: 0.75 })),
    ]);
    assert.deepEqual(
      outputs.map((output) => `${output.topic} ${output.key?.toString() ?? ''}`),
      [
        `${names.predictions} e1`,
        `${names.predictions} e2`,
        `${names.edgeCases} e2`,
        `${names.predictions} e3`,
      ],
    );
    const predictions = await predictionsOf(outputs);
    assert.equal(predictions[0]?.edgeCase, undefined);
    const far = predictions[1]?.edgeCase;
    assert.equal(far?.rule, 'far-from-cluster');
    const edgeCase = await codecs.edgeCases.decode(outputs[2]?.value ?? null);
    assert.equal(edgeCase.id, 'e2');
    assert.deepEqual(edgeCase.edgeCase, far);
    assert.deepEqual(edgeCase.features, { x1: 40, x2: -40 });
    assert.equal(edgeCase.score, predictions[1]?.score);
    assert.ok(diagnostics.calls.includes('edgeCases sea 1 3'), diagnostics.calls.join('; '));
  });

  it('edge cases: an event at the edge of what a float holds is scored, and its verdict is a valid record', async () => {
    const random = mulberry32(6);
    const referenceRows = Array.from({ length: 500 }, () => [random(), random()]);
    const multivariate = fitMultivariateReference([...logisticFeatures], referenceRows, { k: 3 });
    assert.ok(multivariate);
    // A constant-ish column: standardizing divides by a tiny scale.
    multivariate.clusters.standardizer.scale = [1e-300, 1];
    const version = logisticVersion('sea', 1, seaV1.weights);
    const { handle } = await inference([
      { ...version, reference: { ...version.reference, multivariate } },
    ]);
    const outputs = await attempt(handle, [
      await eventRecord(event('e1', 'sea', { x1: 3e38, x2: -3e38 })),
      await eventRecord(event('e2', 'sea', { x1: 0.5, x2: 0.5 })),
    ]);
    const predictions = await predictionsOf(outputs);
    assert.deepEqual(
      predictions.map((prediction) => prediction.id),
      ['e1', 'e2'],
    );
    for (const output of outputs.filter((o) => o.topic === names.edgeCases)) {
      const edgeCase = await codecs.edgeCases.decode(output.value);
      assert.ok(Number.isFinite(edgeCase.edgeCase.distance));
    }
  });

  it('edge cases: none for a version without a multivariate reference', async () => {
    const { handle, diagnostics } = await inference([logisticVersion('sea', 1, seaV1.weights)]);
    const outputs = await attempt(handle, [
      await eventRecord(event('e1', 'sea', { x1: 40, x2: -40 })),
    ]);
    assert.deepEqual(
      outputs.map((output) => output.topic),
      [names.predictions],
    );
    assert.ok(!diagnostics.calls.some((call) => call.startsWith('edgeCases')));
  });

  describe('embeddings', () => {
    const weights = [0.5, 1, -1, 2];
    const inputs = ['x1', ...embeddingColumns(3)];
    const random = mulberry32(9);
    const vectors = Array.from({ length: 1_000 }, () => [random(), random(), random()]);
    const multivariate = fitMultivariateReference(embeddingColumns(3), vectors, { k: 4 });
    assert.ok(multivariate);
    /** A version whose model takes `x1` and a 3-value embedding, its drift watched on the vector. */
    const takesEmbedding = (): ModelVersion => {
      const version = logisticVersion('docs', 1, seaV1.weights);
      const onnx = exportOnnx({
        family: 'logistic',
        featureNames: inputs,
        standardization: { mean: [0, 0, 0, 0], scale: [1, 1, 1, 1] },
        weights,
        bias: 0.25,
      });
      return {
        ...version,
        onnx,
        sha256: sha256Hex(onnx),
        featureNames: inputs,
        reference: { ...version.reference, multivariate },
      };
    };
    const withVector = (id: string, embedding: number[] | null): FeatureEvent => ({
      ...event(id, 'docs', { x1: 1, x2: 7 }),
      embedding,
    });

    it('spreads the vector into embedding[i], scores it, sketches it and judges edge cases on it; a vector of another length or none is dead-lettered', async () => {
      const { handle } = await inference([takesEmbedding()]);
      const outputs = await attemptAll(handle, [
        await eventRecord(withVector('e1', [0.5, 0.25, 0.75])),
        await eventRecord(withVector('e2', [0.5, 0.25])),
        await eventRecord(withVector('e3', null)),
        await eventRecord(withVector('e4', [30, -30, 30])),
      ]);
      const predictions = await predictionsOf(outputs);
      assert.deepEqual(
        predictions.map((prediction) => prediction.id),
        ['e1', 'e4'],
      );
      assert.deepEqual(predictions[0]?.features, {
        x1: 1,
        x2: 7,
        'embedding[0]': 0.5,
        'embedding[1]': 0.25,
        'embedding[2]': 0.75,
      });
      const z = 0.5 * 1 + 1 * 0.5 - 1 * 0.25 + 2 * 0.75 + 0.25;
      near(predictions[0].score, 1 / (1 + Math.exp(-z)));
      assert.equal(predictions[0].edgeCase, undefined);
      assert.equal(predictions[1]?.edgeCase?.rule, 'far-from-cluster');
      const deadLetters = await Promise.all(
        outputs
          .filter((output) => output.topic === names.deadLetter)
          .map((output) => codecs.deadLetter.decode(output.value)),
      );
      assert.deepEqual(
        deadLetters.map((deadLetter) => [deadLetter.code, deadLetter.reason]),
        [
          [
            'DW_MISSING_FEATURE',
            'model docs v1 takes an embedding of 3 values; the event carries 2',
          ],
          [
            'DW_MISSING_FEATURE',
            'model docs v1 takes an embedding of 3 values; the event carries none',
          ],
        ],
      );
      const [sketch] = outputs
        .filter((output) => output.topic === sketchTopic)
        .map((output) => decodeFeatureSketch(output.value));
      assert.deepEqual([...(sketch?.features.keys() ?? [])], [...inputs]);
      assert.deepEqual([...(sketch?.features.get('embedding[2]') ?? [])], [0.75, 30]);
    });

    it('a version that only watches the vector scores the features, and sketches the vector beside them', async () => {
      const version = logisticVersion('docs', 1, seaV1.weights);
      const { handle } = await inference([
        { ...version, reference: { ...version.reference, multivariate } },
      ]);
      const outputs = await attemptAll(handle, [
        await eventRecord(withVector('e1', [0.5, 0.25, 0.75])),
      ]);
      const [prediction] = await predictionsOf(outputs);
      near(prediction?.score, logisticScore(seaV1.weights, 0, { x1: 1, x2: 7 }));
      assert.equal(prediction?.features['embedding[1]'], 0.25);
      const [sketch] = outputs
        .filter((output) => output.topic === sketchTopic)
        .map((output) => decodeFeatureSketch(output.value));
      assert.deepEqual([...(sketch?.features.keys() ?? [])], ['x1', 'x2', ...embeddingColumns(3)]);
    });

    it('a version that takes none ignores the vector', async () => {
      const { handle } = await inference([logisticVersion('docs', 1, seaV1.weights)]);
      const [prediction] = await predictionsOf(
        await attempt(handle, [await eventRecord(withVector('e1', [0.5, 0.25, 0.75]))]),
      );
      assert.deepEqual(prediction?.features, { x1: 1, x2: 7 });
    });
  });
});
