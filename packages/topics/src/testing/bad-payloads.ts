import type { z } from 'zod';

import { jsonCodec } from '../json-codec.js';
import { topicCatalog, type TopicDefinition, type TopicId } from '../topic-catalog.js';
import { sampleMessages } from './sample-messages.js';

/** The ways a generated payload is bad; each one's value fails the topic's codec. */
export type BadPayloadKind =
  | 'random-bytes'
  | 'empty'
  | 'truncated-json'
  | 'deeply-nested-json'
  | 'wrong-type'
  | 'non-finite-number'
  | 'huge-number'
  | 'long-string'
  | 'unicode'
  | 'oversize'
  | 'wrong-magic-byte'
  | 'unknown-schema-id'
  | 'truncated-avro';

export interface BadPayload {
  kind: BadPayloadKind;
  value: Buffer | null;
}

export interface BadPayloadOptions {
  /** Uniform in [0, 1): a seeded generator, so a failing payload can be made again. */
  random: () => number;
  /** Length of an `oversize` payload: over the services' MAX_RECORD_BYTES. */
  oversizeBytes: number;
  /** Length of a `long-string` field: under MAX_RECORD_BYTES. Default 5 000. */
  longStringChars?: number;
}

const jsonKinds = [
  'random-bytes',
  'empty',
  'truncated-json',
  'deeply-nested-json',
  'wrong-type',
  'non-finite-number',
  'huge-number',
  'long-string',
  'unicode',
] as const;

const oddStrings = [
  'モデル 🚀',
  '\u0000',
  '\ud800',
  'a\u202eb',
  'Ω≈ç√∫',
  '\ufeff',
  '𝕯𝖗𝖎𝖋𝖙',
  '',
  ' ',
  '../../etc/passwd',
];

/**
 * `count` payloads for `topic` that no service can accept, in JSON mode, from a seeded
 * generator: random bytes, empty values, truncated and deeply nested JSON, a field of the wrong
 * type, non-finite and huge numbers, long and odd unicode strings, and (one in 500) a value over
 * the size limit. Each starts from the topic's sample message and is checked to fail the topic's
 * JSON codec, so a test can count every one of them on the dead-letter topic.
 */
export async function badJsonPayloads(
  topic: TopicId,
  count: number,
  options: BadPayloadOptions,
): Promise<BadPayload[]> {
  const { random } = options;
  const definition: TopicDefinition<z.ZodType> = topicCatalog[topic];
  const codec = jsonCodec(definition);
  const sample = JSON.parse((await codec.encode(sampleMessages[topic][0])).toString()) as Record<
    string,
    unknown
  >;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // A model's bytes would make each payload 90 KB; a few bytes are as good a base to break.
  for (const field of topicCatalog[topic].bytesFields) sample[field] = 'CAgSCg==';
  const payloads: BadPayload[] = [];
  while (payloads.length < count) {
    if (payloads.length % 500 === 499) {
      payloads.push({ kind: 'oversize', value: oversize(sample, options.oversizeBytes) });
      continue;
    }
    const kind = pick(jsonKinds);
    const value = makeJson(kind, sample, random, pick, options.longStringChars ?? 5_000);
    // A mutation that happens to leave a valid message (a huge id is still an id) is drawn again.
    const refused = await codec.decode(value).then(
      () => false,
      () => true,
    );
    if (refused) payloads.push({ kind, value });
  }
  return payloads;
}

function makeJson(
  kind: (typeof jsonKinds)[number],
  sample: Record<string, unknown>,
  random: () => number,
  pick: <T>(items: readonly T[]) => T,
  longStringChars: number,
): Buffer | null {
  const text = JSON.stringify(sample);
  const withField = (value: unknown, raw?: string): Buffer => {
    const field = pick(Object.keys(sample));
    if (raw === undefined) return Buffer.from(JSON.stringify({ ...sample, [field]: value }));
    // Text JSON.stringify cannot write (NaN, 1e400): put a placeholder, then swap it in.
    return Buffer.from(JSON.stringify({ ...sample, [field]: '@@raw@@' }).replace('"@@raw@@"', raw));
  };
  switch (kind) {
    case 'random-bytes':
      return Buffer.from(
        Array.from({ length: 1 + Math.floor(random() * 512) }, () => Math.floor(random() * 256)),
      );
    case 'empty':
      return random() < 0.5 ? null : Buffer.alloc(0);
    case 'truncated-json':
      return Buffer.from(text.slice(0, Math.floor(random() * text.length)));
    case 'deeply-nested-json': {
      const depth = 100 + Math.floor(random() * 2_000);
      const nested =
        random() < 0.5
          ? `${'['.repeat(depth)}${']'.repeat(depth)}`
          : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      return random() < 0.5 ? Buffer.from(nested) : withField(null, nested);
    }
    case 'wrong-type':
      return withField(pick([true, 'text', 42, [], {}, [1, 'a'], { nested: { deeper: null } }]));
    case 'non-finite-number':
      return withField(null, pick(['NaN', 'Infinity', '-Infinity', '1e400', '-1e400']));
    case 'huge-number':
      return withField(
        null,
        pick(['1e308', '-1e308', '123456789012345678901234567890', '-0.5', '4.9e-324']),
      );
    case 'long-string':
      return withField(pick(['x', 'é', '🚀', ' ']).repeat(longStringChars));
    case 'unicode':
      if (random() < 0.3) {
        // Not UTF-8 at all: a lone continuation byte and an invalid lead byte mid-string.
        return Buffer.concat([
          Buffer.from(text.slice(0, 10)),
          Buffer.from([0x80, 0xff, 0xfe]),
          Buffer.from(text.slice(10)),
        ]);
      }
      return withField(pick(oddStrings) + pick(oddStrings));
  }
}

/**
 * The sample message padded past `bytes` and left unterminated: refused for its size before it is
 * read, and unreadable too, where a topic allows larger records (`model-versions`).
 */
function oversize(sample: Record<string, unknown>, bytes: number): Buffer {
  const text = JSON.stringify({ ...sample, padding: 'x'.repeat(bytes) });
  return Buffer.from(text.slice(0, -2));
}

/**
 * `count` payloads that fail an Avro topic's codec at the wire format: a wrong magic byte, a
 * schema id the registry never issued, or a valid record cut short. `valid` is a record encoded
 * with the topic's codec; `unknownSchemaId` an id the registry does not have.
 */
export function badAvroPayloads(
  count: number,
  options: { random: () => number; valid: Buffer; unknownSchemaId: number },
): BadPayload[] {
  const { random, valid } = options;
  const payloads: BadPayload[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    if (roll < 1 / 3) {
      const value = Buffer.from(valid);
      value[0] = 1 + Math.floor(random() * 255);
      payloads.push({ kind: 'wrong-magic-byte', value });
    } else if (roll < 2 / 3) {
      const value = Buffer.from(valid);
      value.writeInt32BE(options.unknownSchemaId, 1);
      payloads.push({ kind: 'unknown-schema-id', value });
    } else {
      // Past the 5-byte header, short of the end: the body runs out mid-record.
      const cut = 5 + Math.floor(random() * (valid.length - 5));
      payloads.push({ kind: 'truncated-avro', value: valid.subarray(0, cut) });
    }
  }
  return payloads;
}
