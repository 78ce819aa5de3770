import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';

import avro from 'avsc';
import type { Schema, Type } from 'avsc';
import { z } from 'zod';

import { avroSchemasDirectory, readAvroSchema } from './avro-schema-file.js';
import { sampleMessages } from './testing/sample-messages.js';
import { topicCatalog, topicIds } from './topic-catalog.js';

/** avsc's view of a record type, which its typings leave out. */
interface RecordView {
  getFields(): readonly { getName(): string; getType(): Type }[];
}

async function avroTypeOf(id: (typeof topicIds)[number]): Promise<Type> {
  return avro.Type.forSchema(JSON.parse(await readAvroSchema(topicCatalog[id])) as Schema);
}

function zodShape(id: (typeof topicIds)[number]): Record<string, z.ZodType> {
  const schema: z.ZodType = topicCatalog[id].schema;
  assert.ok(schema instanceof z.ZodObject, `${id}: the zod schema is an object`);
  return schema.shape;
}

/** The types a value of `type` may have: the branches of a union, else the type itself. */
function branches(type: Type): readonly Type[] {
  return type.typeName.startsWith('union') ? (type as unknown as { types: Type[] }).types : [type];
}

/** Every `doc` missing from a schema's fields and named types, as JSON paths. */
function undocumented(schema: unknown, path = '$'): string[] {
  if (Array.isArray(schema))
    return schema.flatMap((item, i) => undocumented(item, `${path}[${i}]`));
  if (schema === null || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const needsDoc = typeof node.name === 'string' && (node.type !== undefined || 'fields' in node);
  const missing = needsDoc && !(typeof node.doc === 'string' && node.doc.length > 0) ? [path] : [];
  return [
    ...missing,
    ...Object.entries(node).flatMap(([key, value]) => undocumented(value, `${path}.${key}`)),
  ];
}

describe('the Avro schemas under schemas/ mirror the zod schemas', () => {
  it('has exactly one schema per catalog topic, named after its base name', async () => {
    const files = (await readdir(avroSchemasDirectory)).filter((file) => file.endsWith('.avsc'));
    assert.deepEqual(
      files.sort(),
      topicIds.map((id) => `${topicCatalog[id].baseName}.avsc`).sort(),
    );
    for (const id of topicIds) {
      assert.equal(topicCatalog[id].avroSchemaFile, `${topicCatalog[id].baseName}.avsc`);
    }
  });

  for (const id of topicIds) {
    describe(topicCatalog[id].avroSchemaFile, () => {
      it('parses with avsc as a documented io.driftwatch record', async () => {
        const type = await avroTypeOf(id);
        assert.equal(type.typeName, 'record');
        assert.match(type.name ?? '', /^io\.driftwatch\.[A-Z][A-Za-z]+$/);
        const raw: unknown = JSON.parse(await readAvroSchema(topicCatalog[id]));
        assert.deepEqual(undocumented(raw), []);
      });

      it('has the zod fields, with null, enum symbols and bytes where zod has them', async () => {
        const type = await avroTypeOf(id);
        const shape = zodShape(id);
        const fields = (type as unknown as RecordView).getFields();
        assert.deepEqual(
          fields.map((field) => field.getName()),
          Object.keys(shape),
        );
        for (const field of fields) {
          const name = field.getName();
          const zodField = shape[name];
          assert.ok(zodField);
          const fieldType = field.getType();
          assert.equal(
            fieldType.isValid(null),
            zodField.safeParse(null).success,
            `${name}: nullable in both or neither`,
          );
          if (zodField instanceof z.ZodEnum) {
            assert.equal(fieldType.typeName, 'enum', `${name}: a zod enum is an Avro enum`);
            assert.deepEqual(
              (fieldType as unknown as { symbols: string[] }).symbols,
              zodField.options,
            );
          }
          assert.equal(
            branches(fieldType).some((branch) => branch.typeName === 'bytes'),
            topicCatalog[id].bytesFields.includes(name),
            `${name}: bytes in Avro exactly when a bytes field in the catalog`,
          );
        }
      });

      it('round-trips every sample message, valid under zod, to deep-equal values', async () => {
        const type = await avroTypeOf(id);
        const schema: z.ZodType = topicCatalog[id].schema;
        const samples: readonly unknown[] = sampleMessages[id];
        assert.ok(samples.length > 0);
        for (const sample of samples) {
          assert.deepEqual(schema.parse(sample), sample, 'the sample is valid under zod');
          const decoded: unknown = type.fromBuffer(type.toBuffer(sample));
          assert.deepEqual(schema.parse(decoded), sample);
        }
      });
    });
  }
});
