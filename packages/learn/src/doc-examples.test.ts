/**
 * Runs every `@example` block in this package's doc comments, so the examples cannot rot.
 *
 * An example is plain JavaScript (valid TypeScript without annotations) inside a ```ts fence. It
 * sees every export of the package by name, plus `mulberry32` for seeded inputs. A line of the form
 * `expression; // => <json>` is an assertion: the expression must equal the JSON value (numbers to
 * 1e-12, relative). Every exported class and function must have an example in its doc comment, and
 * every example an assertion.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { mulberry32 } from '@driftwatch/drift';

import * as learn from './index.js';

const scope: Record<string, unknown> = { ...learn, mulberry32 };

const sourceDir = dirname(fileURLToPath(import.meta.url));

interface Example {
  file: string;
  line: number;
  code: string;
  assertions: number;
  /** The class or function the doc comment holding the example is about. */
  documents: string | undefined;
}

/** The error type is documented where it is thrown; every other export shows itself at work. */
const WITHOUT_EXAMPLE = new Set(['LearnError']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function examplesIn(file: string): Example[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const examples: Example[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (!/^\s*\*\s*@example\b/.test(lines[index] ?? '')) continue;
    const fence = lines.findIndex((line, at) => at > index && /^\s*\*\s*```/.test(line));
    if (fence < 0) continue;
    const end = lines.findIndex((line, at) => at > fence && /^\s*\*\s*```\s*$/.test(line));
    if (end < 0) throw new Error(`${file}:${fence + 1}: unterminated example fence`);
    const body = lines.slice(fence + 1, end).map((line) => line.replace(/^\s*\* ?/, ''));
    const commentEnd = lines.findIndex((line, at) => at > end && /\*\/\s*$/.test(line));
    const declaration = /^export (?:async )?(?:class|function) (\w+)/.exec(
      lines[commentEnd + 1] ?? '',
    );
    examples.push({
      file,
      line: fence + 2,
      code: body.map(toAssertion).join('\n'),
      assertions: body.filter((line) => ASSERTION.test(line)).length,
      documents: declaration?.[1],
    });
    index = end;
  }
  return examples;
}

const ASSERTION = /^(\s*)(.+?);\s*\/\/ => (.+)$/;

function toAssertion(line: string, offset: number): string {
  const match = ASSERTION.exec(line);
  if (!match) return line;
  const [, indent = '', expression = '', expected = ''] = match;
  return `${indent}__expect(${expression}, ${JSON.stringify(expected)}, ${offset});`;
}

function closeEnough(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') {
    if (Object.is(actual, expected)) return true;
    return Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected));
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return (
      actual.length === expected.length &&
      actual.every((value, i) => closeEnough(value, expected[i]))
    );
  }
  if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
    const expectedEntries = Object.entries(expected);
    return expectedEntries.every(([key, value]) =>
      closeEnough((actual as Record<string, unknown>)[key], value),
    );
  }
  return Object.is(actual, expected);
}

// The constructor of async functions, to run an example's code with `await` allowed in it.
const AsyncFunction = (
  Object.getPrototypeOf(async function example() {}) as { constructor: unknown }
).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;

describe('doc examples', () => {
  const examples = sourceFiles(sourceDir).flatMap(examplesIn);

  it('document every exported class and function, each with an asserted result', () => {
    const documented = new Set(examples.map((example) => example.documents));
    const missing = Object.entries(learn)
      .filter(([name, value]) => typeof value === 'function' && !WITHOUT_EXAMPLE.has(name))
      .map(([name]) => name)
      .filter((name) => !documented.has(name));
    assert.deepEqual(missing, [], 'exports without an @example in their doc comment');
    for (const example of examples) {
      assert.ok(example.assertions > 0, `${example.file}:${example.line} asserts nothing`);
    }
  });

  for (const example of examples) {
    const where = `${example.file.slice(sourceDir.length + 1)}:${example.line}`;
    it(where, async () => {
      const names = Object.keys(scope);
      const run = new AsyncFunction(...names, '__expect', example.code);
      const expect = (actual: unknown, expectedJson: string, offset: number): void => {
        const expected: unknown = JSON.parse(expectedJson);
        assert.ok(
          closeEnough(actual, expected),
          `${where}+${offset}: expected ${expectedJson}, got ${JSON.stringify(actual)}`,
        );
      };
      await run(...names.map((name) => scope[name]), expect);
    });
  }
});
