/**
 * `npm run bench [-- <filter>]`: imports every `bench/**\/*.bench.ts` whose path contains the
 * filter, runs each in turn, prints a table per suite and writes all rows to
 * `bench-results/latest.json`.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { renderTable, type BenchContext, type BenchRow } from './report.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const scale = Number(process.env['BENCH_SCALE'] ?? '1');
if (!(scale > 0))
  throw new Error(`BENCH_SCALE must be a positive number, got ${process.env['BENCH_SCALE'] ?? ''}`);

async function findBenchFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return findBenchFiles(path);
      return Promise.resolve(entry.name.endsWith('.bench.ts') ? [path] : []);
    }),
  );
  return nested.flat().sort();
}

const files = (await findBenchFiles(benchDir)).filter((file) =>
  relative(benchDir, file).includes(filter),
);
if (files.length === 0) throw new Error(`no bench file matches "${filter}"`);

const allRows: BenchRow[] = [];
for (const file of files) {
  const rows: BenchRow[] = [];
  const context: BenchContext = {
    report: (row) => rows.push(row),
    log: (message) => {
      console.log(`  ${message}`);
    },
    scale,
  };
  console.log(`\n## ${relative(benchDir, file)}`);
  const module = (await import(pathToFileURL(file).href)) as {
    default: (context: BenchContext) => Promise<void>;
  };
  await module.default(context);
  console.log(renderTable(rows));
  allRows.push(...rows);
}

const resultsDir = join(benchDir, '..', 'bench-results');
await mkdir(resultsDir, { recursive: true });
const output = {
  measuredAt: new Date().toISOString(),
  scale,
  node: process.version,
  rows: allRows,
};
await writeFile(join(resultsDir, 'latest.json'), JSON.stringify(output, null, 2));
console.log(`\nwrote ${relative(process.cwd(), join(resultsDir, 'latest.json'))}`);
