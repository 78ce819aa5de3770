import { readFile } from 'node:fs/promises';

import type { z } from 'zod';

import type { TopicDefinition } from './topic-catalog.js';

/**
 * The repository's top-level `schemas/` folder. Both `src/` (run through tsx) and `dist/` sit
 * three levels below the root, and the image copies the whole repository, so one relative URL
 * serves tests, local runs and containers alike.
 */
export const avroSchemasDirectory = new URL('../../../schemas/', import.meta.url);

/** A topic's Avro schema as JSON text, whitespace removed (it is sent to the registry as is). */
export async function readAvroSchema(
  definition: Pick<TopicDefinition<z.ZodType>, 'avroSchemaFile'>,
): Promise<string> {
  const text = await readFile(new URL(definition.avroSchemaFile, avroSchemasDirectory), 'utf8');
  return JSON.stringify(JSON.parse(text));
}
