import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

export interface DocExamplesOptions {
  /** The package's `src/` directory. */
  sourceDir: string;
  /** The package's public exports (`import * as pkg from './index.js'`). */
  exports: Readonly<Record<string, unknown>>;
  /** More names an example may use, e.g. a seeded generator from another package. */
  scope?: Readonly<Record<string, unknown>>;
  /** Exports that need no example: error classes, documented where they are thrown. */
  withoutExample?: readonly string[];
}

interface Example {
  file: string;
  line: number;
  code: string;
  assertions: number;
  /** The class or function whose doc comment holds the example. */
  documents: string | undefined;
}

const ASSERTION = /^(\s*)(.+?);\s*\/\/ => (.+)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function toAssertion(line: string, offset: number): string {
  const match = ASSERTION.exec(line);
  if (!match) return line;
  const [, indent = '', expression = '', expected = ''] = match;
  return `${indent}__expect(${expression}, ${JSON.stringify(expected)}, ${offset});`;
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

/** Numbers to 1e-12 relative; objects match on the keys the expected value names. */
export function closeEnough(actual: unknown, expected: unknown): boolean {
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
    return Object.entries(expected).every(([key, value]) =>
      closeEnough((actual as Record<string, unknown>)[key], value),
    );
  }
  return Object.is(actual, expected);
}

// The constructor of async functions, to run an example's code with `await` allowed in it.
const AsyncFunction = (
  Object.getPrototypeOf(async function example() {}) as { constructor: unknown }
).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;

/**
 * Runs every `@example` block in a package's doc comments as a test. An example is plain
 * JavaScript inside a ```ts fence; it sees the package's exports, the exports of its own module,
 * and `scope`. A line `expression; // => <json>` asserts that the expression equals the JSON value
 * (numbers to 1e-12, relative). Every exported class and function must have an example in its doc
 * comment (unless listed in `withoutExample`), and every example must assert something.
 */
export function describeDocExamples(options: DocExamplesOptions): void {
  const { sourceDir, exports } = options;
  const withoutExample = new Set(options.withoutExample ?? []);
  void describe('doc examples', () => {
    const examples = sourceFiles(sourceDir).flatMap(examplesIn);

    void it('document every exported class and function, each with an asserted result', () => {
      const documented = new Set(examples.map((example) => example.documents));
      const missing = Object.entries(exports)
        .filter(([name, value]) => typeof value === 'function' && !withoutExample.has(name))
        .map(([name]) => name)
        .filter((name) => !documented.has(name));
      assert.deepEqual(missing, [], 'exports without an @example in their doc comment');
      for (const example of examples) {
        assert.ok(example.assertions > 0, `${example.file}:${example.line} asserts nothing`);
      }
    });

    for (const example of examples) {
      const where = `${relative(sourceDir, example.file)}:${example.line}`;
      void it(where, async () => {
        const own = (await import(pathToFileURL(example.file).href)) as Record<string, unknown>;
        const scope: Record<string, unknown> = { ...options.scope, ...own, ...exports };
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
}
