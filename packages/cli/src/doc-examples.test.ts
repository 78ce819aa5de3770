/**
 * Runs every `@example` block in this package's doc comments, so the examples cannot rot (the
 * datasets package's runner, scoped to the CLI's modules).
 *
 * An example is plain JavaScript inside a ```ts fence. It sees the exports of its own module and
 * of index.ts by name. A line `expression; // => <json>` asserts that the expression deep-equals the
 * JSON value.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import * as cli from './index.js';

const sourceDir = dirname(fileURLToPath(import.meta.url));

interface Example {
  file: string;
  line: number;
  code: string;
}

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
    examples.push({ file, line: fence + 2, code: body.map(toAssertion).join('\n') });
    index = end;
  }
  return examples;
}

function toAssertion(line: string, offset: number): string {
  const match = /^(\s*)(.+?);\s*\/\/ => (.+)$/.exec(line);
  if (!match) return line;
  const [, indent = '', expression = '', expected = ''] = match;
  return `${indent}__expect(${expression}, ${JSON.stringify(expected)}, ${offset});`;
}

// The constructor of async functions, to run an example's code with `await` allowed in it.
const AsyncFunction = (
  Object.getPrototypeOf(async function example() {}) as { constructor: unknown }
).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;

describe('doc examples', () => {
  const examples = sourceFiles(sourceDir).flatMap(examplesIn);
  it('finds the examples', () => {
    assert.ok(examples.length >= 8, `only ${examples.length} examples found`);
  });
  for (const example of examples) {
    const where = `${relative(sourceDir, example.file)}:${example.line}`;
    it(where, async () => {
      const own = (await import(pathToFileURL(example.file).href)) as Record<string, unknown>;
      const scope: Record<string, unknown> = { ...cli, ...own };
      const names = Object.keys(scope);
      const run = new AsyncFunction(...names, '__expect', example.code);
      const expect = (actual: unknown, expectedJson: string, offset: number): void => {
        assert.deepEqual(
          actual,
          JSON.parse(expectedJson),
          `${where}+${offset}: expected ${expectedJson}, got ${JSON.stringify(actual)}`,
        );
      };
      await run(...names.map((name) => scope[name]), expect);
    });
  }
});
