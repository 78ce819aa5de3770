import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';

import avro from 'avsc';
import type { Schema, Type } from 'avsc';

import { readAvroSchema } from './avro-schema-file.js';
import type { Codec } from './codec.js';
import { createCodecs, type Codecs } from './create-codecs.js';
import { DecodeError, EncodeError, SchemaRegistryError } from './errors.js';
import { InMemorySchemaRegistry } from './testing/in-memory-schema-registry.js';
import { sampleMessages } from './testing/sample-messages.js';
import { topicCatalog, topicIds, topicNames, type TopicId } from './topic-catalog.js';

const names = topicNames('');

async function startRegistry(t: TestContext): Promise<InMemorySchemaRegistry> {
  const registry = await InMemorySchemaRegistry.start();
  t.after(() => registry.close());
  return registry;
}

/** The codec of one topic, loosened so that every topic can be looped over. */
function codecOf(codecs: Codecs, id: TopicId): Codec<unknown> {
  return codecs[id];
}

function avroType(schema: unknown): Type {
  return avro.Type.forSchema(schema as Schema);
}

async function latestId(registry: InMemorySchemaRegistry, subject: string): Promise<number> {
  const response = await fetch(`${registry.url}/subjects/${subject}/versions/latest`);
  assert.equal(response.status, 200, `${subject} is registered`);
  return ((await response.json()) as { id: number }).id;
}

function assertDecodeError(code: DecodeError['code']) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof DecodeError, `a DecodeError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.retriable, false);
    return true;
  };
}

function assertRegistryError(code: SchemaRegistryError['code'], pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof SchemaRegistryError, `a SchemaRegistryError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.retriable, code === 'DW_SCHEMA_REGISTRY_UNAVAILABLE');
    assert.match(error.message, pattern);
    return true;
  };
}

describe('createCodecs without a Schema Registry', () => {
  it('gives JSON codecs for every topic', async () => {
    const codecs = await createCodecs({ schemaRegistryUrl: '', names });
    for (const id of topicIds) {
      for (const sample of sampleMessages[id]) {
        const encoded = await codecOf(codecs, id).encode(sample);
        assert.equal(encoded.toString('utf8', 0, 1), '{', `${id} is written as JSON`);
        assert.deepEqual(await codecOf(codecs, id).decode(encoded), sample);
      }
    }
  });
});

describe('Avro codecs against an in-test implementation of the Schema Registry REST subset', () => {
  it('round-trips a realistic message of every topic', async (t) => {
    const registry = await startRegistry(t);
    const codecs = await createCodecs({ schemaRegistryUrl: registry.url, names });
    for (const id of topicIds) {
      for (const sample of sampleMessages[id]) {
        assert.deepEqual(
          await codecOf(codecs, id).decode(await codecOf(codecs, id).encode(sample)),
          sample,
        );
      }
    }
    // Avro bytes are not JSON: the joiner's store gets the decoded prediction, stringified.
    for (const sample of sampleMessages.predictions) {
      const { message, json } = await codecs.predictions.decodeWithJson(
        await codecs.predictions.encode(sample),
      );
      assert.deepEqual(message, sample);
      assert.equal(json, JSON.stringify(message));
    }
    const [version] = sampleMessages.modelVersions;
    assert.ok(version);
    const decoded = await codecs.modelVersions.decode(await codecs.modelVersions.encode(version));
    assert.ok(Buffer.isBuffer(decoded.onnx));
    assert.equal(decoded.onnx.length, version.onnx.length);
    assert.ok(Buffer.from(decoded.onnx).equals(Buffer.from(version.onnx)));
  });

  it('registers each topic under <topic>-value at start and writes the Confluent wire format', async (t) => {
    const registry = await startRegistry(t);
    const codecs = await createCodecs({ schemaRegistryUrl: registry.url, names });
    const subjects = topicIds.map((id) => `${topicCatalog[id].baseName}-value`);
    const listed = (await (await fetch(`${registry.url}/subjects`)).json()) as string[];
    assert.deepEqual([...listed].sort(), [...subjects].sort());

    const [event] = sampleMessages.events;
    assert.ok(event);
    const encoded = await codecs.events.encode(event);
    const id = await latestId(registry, 'events-value');
    assert.equal(encoded[0], 0, 'magic byte');
    assert.equal(encoded.readInt32BE(1), id, 'schema id, big-endian');
    const type = avroType(JSON.parse(await readAvroSchema(topicCatalog.events)));
    assert.ok(encoded.subarray(5).equals(type.toBuffer(event)), 'then the Avro body');
  });

  it('registering the same schemas again, from a second client, gives the same ids', async (t) => {
    const registry = await startRegistry(t);
    const first = await createCodecs({ schemaRegistryUrl: registry.url, names });
    const ids = await Promise.all(topicIds.map((id) => latestId(registry, `${names[id]}-value`)));
    assert.equal(new Set(ids).size, topicIds.length, 'one id per topic schema');
    const second = await createCodecs({ schemaRegistryUrl: registry.url, names });
    assert.deepEqual(
      await Promise.all(topicIds.map((id) => latestId(registry, `${names[id]}-value`))),
      ids,
    );
    const [label] = sampleMessages.labels;
    assert.ok(label);
    const header = async (codecs: Codecs): Promise<Buffer> =>
      (await codecs.labels.encode(label)).subarray(0, 5);
    assert.deepEqual(await header(second), await header(first));
  });

  it('decodes what a second client wrote, looking its schema id up once (cold cache)', async (t) => {
    const registry = await startRegistry(t);
    const writer = await createCodecs({ schemaRegistryUrl: registry.url, names });
    // Registers nothing: every schema id is unknown to this client.
    const reader = await createCodecs({ schemaRegistryUrl: registry.url, names, topics: [] });
    const [prediction] = sampleMessages.predictions;
    assert.ok(prediction);
    const encoded = await writer.predictions.encode(prediction);
    const lookup = `GET /schemas/ids/${encoded.readInt32BE(1)}`;
    assert.equal(registry.requests.filter((request) => request === lookup).length, 0);

    assert.deepEqual(await reader.predictions.decode(encoded), prediction);
    assert.deepEqual(await reader.predictions.decode(encoded), prediction);
    assert.equal(registry.requests.filter((request) => request === lookup).length, 1);
  });

  it('decodes a record written with another registered version of the schema', async (t) => {
    const registry = await startRegistry(t);
    const reader = await createCodecs({ schemaRegistryUrl: registry.url, names });
    // A producer one version ahead: an optional field the zod schema does not know.
    const evolved = JSON.parse(await readAvroSchema(topicCatalog.events)) as { fields: object[] };
    evolved.fields.push({
      name: 'source',
      type: ['null', 'string'],
      default: null,
      doc: 'Origin.',
    });
    const response = await fetch(`${registry.url}/subjects/events-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: JSON.stringify(evolved) }),
    });
    const { id } = (await response.json()) as { id: number };
    const [event] = sampleMessages.events;
    assert.ok(event);
    const ours = (await reader.events.encode(event)).readInt32BE(1);
    assert.notEqual(id, ours, 'a second version with its own id');

    const header = Buffer.alloc(5);
    header.writeInt32BE(id, 1);
    const body = avroType(evolved).toBuffer({ ...event, source: 'pos-17' });
    assert.deepEqual(await reader.events.decode(Buffer.concat([header, body])), event);
  });

  it('honours TOPIC_PREFIX: subjects are <prefix><topic>-value', async (t) => {
    const registry = await startRegistry(t);
    const prefixed = topicNames('acme.');
    const codecs = await createCodecs({ schemaRegistryUrl: registry.url, names: prefixed });
    const listed = (await (await fetch(`${registry.url}/subjects`)).json()) as string[];
    assert.deepEqual(
      [...listed].sort(),
      topicIds.map((id) => `acme.${topicCatalog[id].baseName}-value`).sort(),
    );
    const [alert] = sampleMessages.driftAlerts;
    assert.ok(alert);
    const encoded = await codecs.driftAlerts.encode(alert);
    assert.equal(encoded.readInt32BE(1), await latestId(registry, 'acme.drift-alerts-value'));
  });

  it('registers a topic left out of `topics` on its first encode', async (t) => {
    const registry = await startRegistry(t);
    const codecs = await createCodecs({
      schemaRegistryUrl: registry.url,
      names,
      topics: ['events'],
    });
    const registrations = (): string[] =>
      registry.requests.filter((request) => request.startsWith('POST /subjects/'));
    assert.deepEqual(registrations(), ['POST /subjects/events-value/versions']);
    const [request] = sampleMessages.retrainRequested;
    assert.ok(request);
    const encoded = await codecs.retrainRequested.encode(request);
    assert.deepEqual(registrations(), [
      'POST /subjects/events-value/versions',
      'POST /subjects/retrain-requested-value/versions',
    ]);
    assert.equal(encoded.readInt32BE(1), await latestId(registry, 'retrain-requested-value'));
  });

  it('rejects bytes that are not a record of the topic with a DecodeError, never retriable', async (t) => {
    const registry = await startRegistry(t);
    const codecs = await createCodecs({ schemaRegistryUrl: registry.url, names });
    const [event] = sampleMessages.events;
    assert.ok(event);
    const good = await codecs.events.encode(event);

    await assert.rejects(codecs.events.decode(null), assertDecodeError('DW_EMPTY_MESSAGE'));
    await assert.rejects(
      codecs.events.decode(Buffer.alloc(0)),
      assertDecodeError('DW_EMPTY_MESSAGE'),
    );
    // JSON where Avro was expected: the magic byte is "{".
    const json = Buffer.from(JSON.stringify(event));
    await assert.rejects(codecs.events.decode(json), assertDecodeError('DW_MALFORMED_AVRO'));
    await assert.rejects(
      codecs.events.decode(good.subarray(0, 3)),
      assertDecodeError('DW_MALFORMED_AVRO'),
    );
    await assert.rejects(
      codecs.events.decode(good.subarray(0, good.length - 4)),
      assertDecodeError('DW_MALFORMED_AVRO'),
    );
    await assert.rejects(
      codecs.events.decode(Buffer.concat([good, Buffer.from([1, 2])])),
      assertDecodeError('DW_MALFORMED_AVRO'),
    );
    // A schema id this registry never issued.
    const unknownId = Buffer.from(good);
    unknownId.writeInt32BE(4242, 1);
    await assert.rejects(codecs.events.decode(unknownId), (error: unknown) => {
      assertDecodeError('DW_MALFORMED_AVRO')(error);
      assert.match((error as Error).message, /schema id 4242 is not registered/);
      return true;
    });
    // Valid Avro, but not a valid label: the zod schema has the last word.
    const [label] = sampleMessages.labels;
    assert.ok(label);
    const bad = await codecs.labels.encode({ ...label, id: '', score: 1 } as typeof label);
    await assert.rejects(codecs.labels.decode(bad), (error: unknown) => {
      assertDecodeError('DW_SCHEMA_VIOLATION')(error);
      assert.match((error as Error).message, /id: must not be empty/);
      return true;
    });
  });

  it('writes plain Uint8Array bytes fields, and names the fields of an unencodable message', async (t) => {
    const registry = await startRegistry(t);
    const codecs = await createCodecs({ schemaRegistryUrl: registry.url, names });
    const [letter] = sampleMessages.deadLetter;
    assert.ok(letter);
    const decoded = await codecs.deadLetter.decode(
      await codecs.deadLetter.encode({ ...letter, key: new Uint8Array([107]) }),
    );
    assert.deepEqual([...(decoded.key ?? [])], [107]);

    const [event] = sampleMessages.events;
    assert.ok(event);
    const unencodable = { ...event, features: { x1: 'high' as unknown as number } };
    await assert.rejects(codecs.events.encode(unencodable), (error: unknown) => {
      assert.ok(error instanceof EncodeError);
      assert.equal(error.retriable, false);
      assert.match(error.message, /events message .*features\.x1/);
      return true;
    });
  });

  it('fails to start with a retriable SchemaRegistryError while the registry is down', async (t) => {
    const registry = await startRegistry(t);
    await registry.close();
    await assert.rejects(
      createCodecs({ schemaRegistryUrl: registry.url, names }),
      assertRegistryError('DW_SCHEMA_REGISTRY_UNAVAILABLE', /ECONNREFUSED/),
    );
  });

  it('fails to start, retriably, while the registry answers 5xx or not at all', async (t) => {
    const registry = await startRegistry(t);
    registry.fault = 'backend-unavailable';
    await assert.rejects(
      createCodecs({ schemaRegistryUrl: registry.url, names, topics: ['labels'] }),
      assertRegistryError('DW_SCHEMA_REGISTRY_UNAVAILABLE', /labels-value.*backend data store/),
    );
    registry.fault = 'no-response';
    await assert.rejects(
      createCodecs({
        schemaRegistryUrl: registry.url,
        names,
        topics: ['labels'],
        registryTimeoutMs: 100,
      }),
      assertRegistryError('DW_SCHEMA_REGISTRY_UNAVAILABLE', /labels-value.*Timeout/),
    );
    registry.fault = null;
    await createCodecs({ schemaRegistryUrl: registry.url, names, topics: ['labels'] });
  });

  it('fails to start, not retriable, when the registry rejects a schema as incompatible', async (t) => {
    const registry = await startRegistry(t);
    // Someone else's events with a field ours cannot read from old records: BACKWARD fails.
    const theirs = {
      type: 'record',
      name: 'FeatureEvent',
      namespace: 'io.driftwatch',
      fields: [{ name: 'id', type: 'long' }],
    };
    await fetch(`${registry.url}/subjects/events-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: JSON.stringify(theirs) }),
    });
    await assert.rejects(
      createCodecs({ schemaRegistryUrl: registry.url, names }),
      assertRegistryError(
        'DW_SCHEMA_REGISTRY_REJECTED',
        /subject "events-value" \(HTTP 409\): Schema being registered is incompatible/,
      ),
    );
  });

  it('fails to start, not retriable, naming the fix, when the subject has another compatibility level', async (t) => {
    const registry = await startRegistry(t);
    await createCodecs({ schemaRegistryUrl: registry.url, names, topics: ['labels'] });
    // An operator set another level after driftwatch registered the subject.
    await fetch(`${registry.url}/config/labels-value`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'NONE' }),
    });
    await assert.rejects(
      createCodecs({ schemaRegistryUrl: registry.url, names, topics: ['labels'] }),
      assertRegistryError(
        'DW_SCHEMA_REGISTRY_REJECTED',
        /subject "labels-value": .*\(BACKWARD != NONE\)\. .*PUT \/config\/labels-value \{"compatibility":"BACKWARD"\}/,
      ),
    );
  });

  it('a registry outage while looking up a schema id is retriable, not a DecodeError', async (t) => {
    const registry = await startRegistry(t);
    const writer = await createCodecs({ schemaRegistryUrl: registry.url, names });
    const reader = await createCodecs({ schemaRegistryUrl: registry.url, names, topics: [] });
    const [version] = sampleMessages.modelVersions;
    assert.ok(version);
    const encoded = await writer.modelVersions.encode(version);
    const id = encoded.readInt32BE(1);

    registry.fault = 'backend-unavailable';
    await assert.rejects(
      reader.modelVersions.decode(encoded),
      assertRegistryError('DW_SCHEMA_REGISTRY_UNAVAILABLE', new RegExp(`schema id ${id}`)),
    );
    // The failed lookup is not remembered: once the registry is back, the same record decodes.
    registry.fault = null;
    assert.deepEqual(await reader.modelVersions.decode(encoded), version);

    const [letter] = sampleMessages.deadLetter;
    assert.ok(letter);
    const unseen = await writer.deadLetter.encode(letter);
    await registry.close();
    await assert.rejects(
      reader.deadLetter.decode(unseen),
      assertRegistryError('DW_SCHEMA_REGISTRY_UNAVAILABLE', /ECONNREFUSED/),
    );
    // Ids the reader has seen need no registry.
    assert.deepEqual(await reader.modelVersions.decode(encoded), version);
  });
});
