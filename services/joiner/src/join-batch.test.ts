import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { attemptBatch, isRetriable, type BatchHandler, type InputRecord } from '@driftwatch/bus';
import { createCodecs, topicNames, type LabelEvent, type Prediction } from '@driftwatch/topics';
import { Redis } from 'ioredis';

import type { JoinerDiagnostics } from './diagnostics.js';
import { createJoinHandler, type JoinHandlerDependencies } from './join-batch.js';
import { RedisJoinStore } from './join-store.js';
import { InMemoryJoinStore } from './testing/in-memory-join-store.js';

const names = topicNames('unit.');
const codecs = await createCodecs({ schemaRegistryUrl: '', names });
const now = 5_000_000;

/** Records every diagnostics call, as `method arg…`. */
function recordingDiagnostics(): JoinerDiagnostics & { calls: string[] } {
  const calls: string[] = [];
  const record =
    (method: string) =>
    (...args: unknown[]): void => {
      calls.push([method, ...args.map((arg) => JSON.stringify(arg))].join(' '));
    };
  return {
    calls,
    batchProcessed: record('batchProcessed'),
    batchRetried: record('batchRetried'),
    transition: record('transition'),
    joined: record('joined'),
    deadLettered: record('deadLettered'),
    expired: record('expired'),
    backlog: record('backlog'),
  };
}

function prediction(id: string, ts = 1_000): Prediction {
  return {
    id,
    model: 'sea',
    modelVersion: 2,
    ts,
    scoredAt: ts + 3,
    score: 0.75,
    predicted: 1,
    features: { x1: 1.5, x2: -2 },
  };
}

function label(id: string, value: number | string, ts = 61_000): LabelEvent {
  return { id, model: 'sea', ts, label: value };
}

async function predictionRecord(message: Prediction, offset: number): Promise<InputRecord> {
  return rawRecord(names.predictions, offset, message.id, await codecs.predictions.encode(message));
}

async function labelRecord(message: LabelEvent, offset: number): Promise<InputRecord> {
  return rawRecord(names.labels, offset, message.id, await codecs.labels.encode(message));
}

function rawRecord(
  topic: string,
  offset: number,
  key: string | null,
  value: Buffer | null,
): InputRecord {
  return {
    topic,
    partition: 1,
    offset: String(offset),
    key: key === null ? null : Buffer.from(key),
    value,
    timestamp: '0',
    headers: {},
  };
}

/** Handles a batch as the bus does: the attempt's effects run only if its transaction commits. */
const attempt = (handle: BatchHandler, records: InputRecord[], commits = true) =>
  attemptBatch(
    handle,
    { topic: records[0]?.topic ?? names.labels, partition: 1, records },
    { commits },
  );

function joiner<Store extends JoinHandlerDependencies['store']>(store: Store) {
  const diagnostics = recordingDiagnostics();
  const handle = createJoinHandler({ names, codecs, store, now: () => now, diagnostics });
  return { handle, diagnostics, store };
}

describe('join handler', () => {
  it('prediction then label: one joined record, from the stored halves, keyed by model', async () => {
    const { handle, diagnostics, store } = joiner(new InMemoryJoinStore());
    assert.deepEqual(await attempt(handle, [await predictionRecord(prediction('e1'), 10)]), []);
    assert.equal(store.state('sea', 'e1'), 'awaiting-label');
    const outputs = await attempt(handle, [await labelRecord(label('e1', 0), 20)]);

    assert.equal(outputs.length, 1);
    const [joined] = outputs;
    assert.equal(joined?.topic, names.predictionsLabeled);
    assert.equal(joined.key, 'sea');
    assert.deepEqual(await codecs.predictionsLabeled.decode(joined.value), {
      ...prediction('e1'),
      label: 0,
      labelTs: 61_000,
      labelDelayMs: 60_000,
    });
    assert.deepEqual(diagnostics.calls, [
      'transition "prediction" "pending"',
      'transition "label" "emit"',
      'joined "sea" 60000',
    ]);
    assert.deepEqual(
      store.applied.map(({ input, now }) => [input.side, input.coordinate, now]),
      [
        ['prediction', `${names.predictions}/1@10`, 5_000_000],
        ['label', `${names.labels}/1@20`, 5_000_000],
      ],
    );
  });

  it('label then prediction: the same joined record, byte for byte', async () => {
    const forward = joiner(new InMemoryJoinStore());
    await attempt(forward.handle, [await predictionRecord(prediction('e1'), 10)]);
    const [expected] = await attempt(forward.handle, [await labelRecord(label('e1', 1), 20)]);

    const { handle, diagnostics } = joiner(new InMemoryJoinStore());
    assert.deepEqual(await attempt(handle, [await labelRecord(label('e1', 1), 20)]), []);
    const outputs = await attempt(handle, [await predictionRecord(prediction('e1'), 10)]);
    assert.equal(outputs.length, 1);
    assert.ok(expected);
    assert.deepEqual(outputs[0]?.value, expected.value);
    assert.deepEqual(diagnostics.calls, [
      'transition "label" "pending"',
      'transition "prediction" "emit"',
      'joined "sea" 60000',
    ]);
  });

  it("stores a prediction as its record's own bytes, or as decoded when the schema changed it", async () => {
    const { handle, store } = joiner(new InMemoryJoinStore());
    const plain = await predictionRecord(prediction('e1'), 10);
    // An unknown field: zod drops it, so the record's bytes are not the message.
    const extra = rawRecord(
      names.predictions,
      11,
      'e2',
      Buffer.from(JSON.stringify({ ...prediction('e2'), extra: 'dropped' })),
    );
    await attempt(handle, [plain, extra]);
    const [first, second] = store.applied.map(({ input }) => input.payload);
    assert.equal(first, plain.value, 'the very bytes the record holds');
    assert.equal(typeof second, 'string');
    assert.deepEqual(JSON.parse(String(second)), prediction('e2'));

    const outputs = await attempt(handle, [
      await labelRecord(label('e1', 1), 20),
      await labelRecord(label('e2', 0), 21),
    ]);
    assert.deepEqual(
      await Promise.all(outputs.map((output) => codecs.predictionsLabeled.decode(output.value))),
      [
        { ...prediction('e1'), label: 1, labelTs: 61_000, labelDelayMs: 60_000 },
        { ...prediction('e2'), label: 0, labelTs: 61_000, labelDelayMs: 60_000 },
      ],
    );
  });

  it('a duplicate label joins nothing more; the first label stands', async () => {
    const { handle, diagnostics } = joiner(new InMemoryJoinStore());
    const outputs = await attempt(handle, [
      await predictionRecord(prediction('e1'), 10),
      await labelRecord(label('e1', 1), 20),
      await labelRecord(label('e1', 0, 62_000), 21),
    ]);
    const later = await attempt(handle, [await labelRecord(label('e1', 0, 63_000), 22)]);
    assert.equal(outputs.length, 1);
    assert.equal((await codecs.predictionsLabeled.decode(outputs[0]!.value)).label, 1);
    assert.deepEqual(later, []);
    assert.deepEqual(
      diagnostics.calls.filter((call) => call.startsWith('transition')),
      [
        'transition "prediction" "pending"',
        'transition "label" "emit"',
        'transition "label" "duplicate"',
        'transition "label" "duplicate"',
      ],
    );
  });

  it('a batch handled again after its transaction failed emits the same records and counts once', async () => {
    const { handle, diagnostics } = joiner(new InMemoryJoinStore());
    const batch = [
      await predictionRecord(prediction('e1'), 10),
      await labelRecord(label('e1', 1), 20),
      await predictionRecord(prediction('e2', 2_000), 11),
    ];
    const failed = await attempt(handle, batch, false);
    assert.deepEqual(diagnostics.calls, [], 'an attempt that did not commit counts nothing');
    const retried = await attempt(handle, batch);
    assert.equal(retried.length, 1);
    assert.deepEqual(retried, failed);
    // The records that stored a half are pending again, not duplicates of themselves.
    assert.deepEqual(diagnostics.calls, [
      'transition "prediction" "pending"',
      'transition "label" "emit"',
      'joined "sea" 60000',
      'transition "prediction" "pending"',
    ]);
    const [joined] = await attempt(handle, [await labelRecord(label('e2', 0), 21)]);
    assert.equal((await codecs.predictionsLabeled.decode(joined!.value)).id, 'e2');
  });

  it('malformed records go to the dead-letter topic whole, with their code; the rest still join', async () => {
    const { handle, diagnostics, store } = joiner(new InMemoryJoinStore());
    const garbage = Buffer.from([0x7b, 0x00, 0xff]);
    const outputs = await attempt(handle, [
      rawRecord(names.predictions, 30, 'bad-json', garbage),
      rawRecord(names.labels, 31, 'no-value', null),
      rawRecord(
        names.labels,
        32,
        'e9',
        Buffer.from(JSON.stringify({ ...label('e9', 1), label: 2.5 })),
      ),
      await predictionRecord(prediction('e1'), 33),
      await labelRecord(label('e1', 1), 34),
    ]);

    const letters = outputs.filter((output) => output.topic === names.deadLetter);
    assert.equal(letters.length, 3);
    assert.deepEqual(
      letters.map((letter) => letter.headers?.['dw-code']),
      ['DW_MALFORMED_JSON', 'DW_EMPTY_MESSAGE', 'DW_SCHEMA_VIOLATION'],
    );
    const first = await codecs.deadLetter.decode(letters[0]!.value);
    assert.equal(first.service, 'joiner');
    assert.equal(first.sourceTopic, names.predictions);
    assert.equal(first.offset, '30');
    assert.equal(first.code, 'DW_MALFORMED_JSON');
    assert.deepEqual(first.value, garbage, 'the original bytes, kept for a replay');
    assert.deepEqual(letters[0]!.key, Buffer.from('bad-json'));
    assert.equal(first.failedAt, now);
    const schema = await codecs.deadLetter.decode(letters[2]!.value);
    assert.match(schema.reason, /label/);

    assert.equal(outputs.filter((output) => output.topic === names.predictionsLabeled).length, 1);
    assert.deepEqual(
      store.applied.map(({ input }) => input.coordinate),
      [`${names.predictions}/1@33`, `${names.labels}/1@34`],
      'only decodable records reach the store',
    );
    assert.deepEqual(
      diagnostics.calls.filter((call) => call.startsWith('deadLettered')),
      [
        'deadLettered "DW_MALFORMED_JSON"',
        'deadLettered "DW_EMPTY_MESSAGE"',
        'deadLettered "DW_SCHEMA_VIOLATION"',
      ],
    );
  });

  it("multiclass: the label is matched to the version's classes by name, an integer by its digits", async () => {
    const { handle } = joiner(new InMemoryJoinStore());
    const iris = (id: string, classes: string[]): Prediction => ({
      ...prediction(id),
      model: 'iris',
      score: 0.7,
      predicted: 0,
      classes,
      probabilities: [0.7, 0.2, 0.1],
    });
    const outputs = await attempt(handle, [
      await predictionRecord(iris('f1', ['setosa', 'versicolor', 'virginica']), 50),
      await labelRecord({ ...label('f1', 'virginica'), model: 'iris' }, 51),
      await labelRecord({ ...label('f2', 2), model: 'iris' }, 52),
      await predictionRecord(iris('f2', ['0', '1', '2']), 53),
    ]);
    const joined = await Promise.all(
      outputs.map((output) => codecs.predictionsLabeled.decode(output.value)),
    );
    assert.deepEqual(
      joined.map((record) => [record.id, record.label, record.classes]),
      [
        ['f1', 2, ['setosa', 'versicolor', 'virginica']],
        ['f2', 2, ['0', '1', '2']],
      ],
    );
  });

  it("a label that is none of the version's classes is dead-lettered as DW_UNKNOWN_CLASS, whichever half came first", async () => {
    const { handle, diagnostics } = joiner(new InMemoryJoinStore());
    const outputs = await attempt(handle, [
      await labelRecord(label('u1', 'maybe'), 60),
      await predictionRecord(prediction('u1'), 61),
      await predictionRecord(prediction('u2'), 62),
      await labelRecord(label('u2', 7), 63),
    ]);
    assert.equal(outputs.length, 2);
    const letters = await Promise.all(
      outputs.map((output) => codecs.deadLetter.decode(output.value)),
    );
    assert.deepEqual(
      letters.map((letter) => [letter.code, letter.sourceTopic, letter.offset]),
      [
        ['DW_UNKNOWN_CLASS', names.labels, '60'],
        ['DW_UNKNOWN_CLASS', names.labels, '63'],
      ],
    );
    assert.equal(
      letters[0]!.reason,
      'label "maybe" of sea event u1 is not one of the classes of v2: "0", "1"',
    );
    // The letter carries the label itself, readable with the labels codec, for a replay.
    assert.deepEqual(await codecs.labels.decode(Buffer.from(letters[1]!.value!)), label('u2', 7));
    assert.deepEqual(letters[1]!.key, Buffer.from('u2'));
    assert.equal(
      diagnostics.calls.filter((call) => call === 'deadLettered "DW_UNKNOWN_CLASS"').length,
      2,
    );
  });

  it('Redis unavailable: the batch fails retriably, nothing is dead-lettered', async () => {
    // A client that is closed before it ever connects: every command fails as on a lost connection.
    const redis = new Redis({ lazyConnect: true, port: 1 });
    redis.disconnect();
    const store = new RedisJoinStore(redis, { keyPrefix: 'unit:', ttlMs: 60_000, graceMs: 60_000 });
    const { handle, diagnostics } = joiner(store);
    await assert.rejects(
      attempt(handle, [
        rawRecord(names.labels, 40, 'bad', Buffer.from('not json')),
        await predictionRecord(prediction('e1'), 41),
      ]),
      (error) => {
        assert.ok(isRetriable(error), `retriable: ${String(error)}`);
        return true;
      },
    );
    assert.deepEqual(diagnostics.calls, [], 'the failed attempt counts no dead letter');
  });
});
