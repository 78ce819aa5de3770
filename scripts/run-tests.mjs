// Runs every *.test.ts under packages/, services/ and test/ in one node:test run (so one summary),
// TypeScript through tsx, workspace packages resolved to their sources. Arguments filter by path.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
// Each test's uniqueName goes into this run's file; the topics named after them are deleted when
// the run ends (test/support/delete-test-topics.ts), so a long-lived local broker does not pile
// up every run's partitions.
const namesDir = join(root, '.cache', 'test-names');
mkdirSync(namesDir, { recursive: true });
const namesFile = join(namesDir, `${process.pid}.txt`);
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
    // …and without losing its results to that exit (see the file).
    '--import',
    pathToFileURL(join(root, 'scripts', 'blocking-test-report.mjs')).href,
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, DRIFTWATCH_TEST_NAMES_FILE: namesFile } },
);
child.on('exit', (code, signal) => {
  // The run's result is the tests'; the cleanup only says when it could not clean up.
  const exit = () => {
    rmSync(namesFile, { force: true });
    process.exit(code ?? (signal ? 1 : 0));
  };
  if (!existsSync(namesFile)) exit();
  const cleanup = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@driftwatch/source',
      join(root, 'test', 'support', 'delete-test-topics.ts'),
      namesFile,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  // A broker that went away is not waited for long.
  setTimeout(() => cleanup.kill(), 60_000).unref();
  cleanup.on('exit', exit);
});
