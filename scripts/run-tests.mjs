// Runs every *.test.ts under packages/, services/ and test/ in one node:test run (so one summary),
// TypeScript through tsx, workspace packages resolved to their sources. Arguments filter by path.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const skipped = new Set(['node_modules', 'dist', '.stack', '.cache', '.git', 'fixtures']);

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skipped.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

const filters = process.argv.slice(2);
const files = ['packages', 'services', 'test']
  .flatMap((dir) => testFiles(join(root, dir)))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`no test file matches ${filters.join(' ')}`);
  process.exit(1);
}

// One file at a time by default: the integration tests run four services and, some, a second
// broker; on a 2-core machine two of them at once starve each other's timing.
const concurrency = process.env.TEST_CONCURRENCY ?? '1';
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--conditions=@driftwatch/source',
    '--test',
    // A test file whose tests have all finished is done: once, with the demo running beside the
    // suite, one file's process kept a broker connection open after its last test had passed, and
    // the run waited on it forever. Exiting when the tests end keeps such a leak from hanging the
    // run; a test that really hangs still never reports as passed.
    '--test-force-exit',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
