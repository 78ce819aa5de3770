import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from '@driftwatch/drift';
import { z } from 'zod';

import { exactOutputCheck } from './exact-output-check.js';
import { sampleMessages } from './testing/sample-messages.js';
import { topicCatalog, type TopicId } from './topic-catalog.js';

/** Values a mutation puts in place of a field: every JSON type, the bounds the schemas use. */
const replacements: readonly unknown[] = [
  null,
  '',
  'x',
  'virginica',
  '😀😀😀',
  'a b',
  0,
  -1,
  -0.5,
  0.5,
  1,
  1.5,
  2,
  7,
  2 ** 53,
  -(2 ** 53),
  1e308,
  true,
  [],
  [0],
  [0.5, 0.5],
  ['a'],
  ['a', 'a'],
  {},
  { a: 1 },
  { modelVersion: 1, score: 0.5, predicted: 0 },
];

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [index, item] as const)
    : Object.entries(value);
  return entries.flatMap(([key, item]) => [[...prefix, key], ...paths(item, [...prefix, key])]);
}

function withValue(value: unknown, path: Path, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else Reflect.deleteProperty(parent, last);
  } else {
    parent[last] = replacement;
  }
  return copy;
}

/** Each object of the value with one more key: `extra`, or `__proto__` as JSON.parse makes it. */
function withKeyAdded(value: unknown): unknown[] {
  const text = JSON.stringify(value);
  return [...text.matchAll(/\{/g)].flatMap((match) => {
    const at = match.index + 1;
    const rest = text.slice(at);
    const comma = rest.startsWith('}') ? '' : ',';
    return ['"extra":1', '"__proto__":{"a":1}', '"__proto__":1'].map(
      (key) => JSON.parse(text.slice(0, at) + key + comma + rest) as unknown,
    );
  });
}

/** The sample, then every single-field mutation, then random combinations of 2–3. */
function mutations(sample: unknown, seed: number): unknown[] {
  const fieldPaths = paths(sample);
  const single = fieldPaths.flatMap((path) =>
    [undefined, ...replacements].map((replacement) => withValue(sample, path, replacement)),
  );
  // Seeded: the fuzz is the same on every run.
  const next = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const combined: unknown[] = [];
  for (let i = 0; i < 1500; i++) {
    let value = sample;
    for (let k = 0; k < 2 + Math.floor(next() * 2); k++) {
      const valuePaths = paths(value);
      if (valuePaths.length === 0) break;
      value = withValue(value, pick(valuePaths), pick([undefined, ...replacements]));
    }
    combined.push(value);
  }
  // As the codec sees them: straight from JSON.parse.
  return [sample, ...single, ...combined, ...withKeyAdded(sample)].map(
    (value) => JSON.parse(JSON.stringify(value)) as unknown,
  );
}

describe('exactOutputCheck', () => {
  const fastTopics: readonly TopicId[] = [
    'events',
    'labels',
    'predictions',
    'predictionsLabeled',
    'edgeCases',
    'driftAlerts',
    'retrainRequested',
  ];

  for (const topic of fastTopics) {
    it(`${topic}: what it passes, zod returns unchanged (fuzzed from every sample)`, () => {
      const { schema } = topicCatalog[topic];
      const check = exactOutputCheck(schema as z.ZodType);
      assert.ok(check, `${topic} has a check`);
      let passed = 0;
      let refused = 0;
      let missed = 0;
      for (const [index, sample] of sampleMessages[topic].entries()) {
        const values = mutations(sample, 0x9e3779b9 ^ (index + 1));
        assert.equal(check(values[0]), true, `sample ${String(index)} of ${topic} passes`);
        for (const value of values) {
          const parsed = schema.safeParse(value);
          if (check(value)) {
            passed++;
            assert.ok(
              parsed.success,
              `zod refuses what the check passed: ${JSON.stringify(value)}`,
            );
            assert.deepStrictEqual(parsed.data, value, `zod changes ${JSON.stringify(value)}`);
          } else {
            refused++;
            // Left to zod, which may still accept it unchanged: a value the check could have
            // passed (a missed shortcut, not a wrong answer).
            if (parsed.success && JSON.stringify(parsed.data) === JSON.stringify(value)) missed++;
          }
        }
      }
      assert.ok(passed > 20, `${topic}: ${String(passed)} mutations passed`);
      assert.ok(refused > 100, `${topic}: ${String(refused)} mutations refused`);
      // Only a value zod returns as is with nothing removed may be missed, and rarely: the check
      // is what saves the time, so it must pass nearly everything zod passes unchanged.
      assert.ok(missed <= passed / 10, `${topic}: ${String(missed)} missed of ${String(passed)}`);
    });
  }

  it('runs a root refinement: classes and probabilities must agree', () => {
    const check = exactOutputCheck(topicCatalog.predictions.schema);
    const prediction = JSON.parse(JSON.stringify(sampleMessages.predictions[0])) as Record<
      string,
      unknown
    >;
    assert.ok(check);
    assert.equal(check(prediction), true);
    assert.equal(check({ ...prediction, probabilities: [1] }), false);
    assert.equal(check({ ...prediction, predicted: 2 }), false);
  });

  it('declines schemas whose JSON Schema would not be exact', () => {
    const declined: Record<string, z.ZodType> = {
      transform: z.object({ a: z.string().transform((text) => text.length) }),
      trim: z.object({ a: z.string().trim() }),
      'string max': z.object({ a: z.string().max(3) }),
      email: z.object({ a: z.email() }),
      'regex with a flag': z.object({ a: z.string().regex(/^a$/i) }),
      'nested refinement': z.object({ a: z.string().refine((text) => text !== 'b') }),
      'custom type': z.object({ a: z.custom<Uint8Array>((value) => value instanceof Uint8Array) }),
      date: z.object({ a: z.date() }),
    };
    for (const [name, schema] of Object.entries(declined)) {
      assert.equal(exactOutputCheck(schema), undefined, name);
    }
    const arrayMax = exactOutputCheck(z.object({ a: z.array(z.number()).max(2) }));
    assert.ok(arrayMax);
    assert.equal(arrayMax({ a: [1, 2] }), true);
    assert.equal(arrayMax({ a: [1, 2, 3] }), false);
  });
});
