import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { runCli, spawnCli } from '../testing/run-cli.js';
import { testDeployment } from '../testing/test-deployment.js';
import { cliRepoRoot, serviceEntryPoint } from './run.js';

const runModule = fileURLToPath(new URL('./run.ts', import.meta.url));

/**
 * A checkout whose `trainer` is a stand-in: it prints "ready", counts the signals it gets, and
 * exits with 3 on SIGTERM or SIGINT (after a moment, to see whether a second one arrives).
 */
async function fakeCheckout(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'driftwatch-run-'));
  const dist = join(root, 'services', 'trainer', 'dist');
  await mkdir(dist, { recursive: true });
  await writeFile(
    join(dist, 'main.js'),
    `let signals = 0;
     const stop = (signal) => {
       signals++;
       console.log('got ' + signal);
       if (signals === 1) setTimeout(() => { console.log('signals ' + signals); process.exit(3); }, 300);
     };
     process.on('SIGTERM', stop);
     process.on('SIGINT', stop);
     console.log('ready');
     setInterval(() => {}, 1000);`,
  );
  return root;
}

describe('serviceEntryPoint', () => {
  let root: string;
  before(async () => {
    root = await fakeCheckout();
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('finds a built service', () => {
    assert.equal(
      serviceEntryPoint('trainer', root),
      join(root, 'services', 'trainer', 'dist', 'main.js'),
    );
  });

  it('names the valid services for an unknown one', () => {
    assert.throws(() => serviceEntryPoint('scorer', root), {
      code: 'DW_CLI_UNKNOWN_SERVICE',
      message: 'unknown service "scorer": choose one of inference, joiner, detector, trainer',
    });
  });

  it('says to build first when the service is not built', () => {
    assert.throws(() => serviceEntryPoint('joiner', root), {
      code: 'DW_CLI_SERVICE_NOT_BUILT',
      message: /services\/joiner\/dist\/main\.js does not exist: run `npm run build` first/,
    });
  });

  it('resolves the repository from its own location', () => {
    assert.ok(existsSync(join(cliRepoRoot, 'packages', 'cli', 'package.json')), cliRepoRoot);
  });
});

describe('runServiceProcess', () => {
  let root: string;
  before(async () => {
    root = await fakeCheckout();
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Runs `runServiceProcess` in a process of its own, as the CLI does, in its own group. */
  async function startHarness(): Promise<{
    harness: ChildProcessByStdio<null, Readable, null>;
    output: () => string;
  }> {
    const harness = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { runServiceProcess } from ${JSON.stringify(runModule)};
         process.exitCode = await runServiceProcess('trainer', { repoRoot: ${JSON.stringify(root)} });`,
      ],
      // Its own process group, like a shell job: a signal to the group is a Ctrl-C.
      { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
    );
    let output = '';
    harness.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (!output.includes('ready')) {
      assert.ok(Date.now() < deadline, 'the service did not start');
      await sleep(50);
    }
    return { harness, output: () => output };
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`forwards ${signal} and exits with the service's code`, async () => {
      const { harness, output } = await startHarness();
      harness.kill(signal);
      const [code] = (await once(harness, 'exit')) as [number | null];
      assert.equal(code, 3);
      assert.deepEqual(output().trim().split('\n'), ['ready', `got ${signal}`, 'signals 1']);
    });
  }

  it('delivers a Ctrl-C to the whole process group to the service once, not twice', async () => {
    const { harness, output } = await startHarness();
    assert.ok(harness.pid !== undefined);
    process.kill(-harness.pid, 'SIGINT');
    const [code] = (await once(harness, 'exit')) as [number | null];
    assert.equal(code, 3);
    assert.deepEqual(output().trim().split('\n'), ['ready', 'got SIGINT', 'signals 1']);
  });
});

describe('driftwatch run', () => {
  it('rejects an unknown service, listing the valid ones (exit 2)', async () => {
    const result = await runCli(['run', 'scorer']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Allowed choices are inference, joiner, detector, trainer/);
  });

  const trainer = join(cliRepoRoot, 'services', 'trainer', 'dist', 'main.js');
  it(
    'runs the built trainer in the foreground and stops it cleanly on SIGINT',
    { skip: !existsSync(trainer) && 'the trainer is not built' },
    async () => {
      const deployment = await testDeployment('run');
      const child = spawnCli(['run', 'trainer'], {
        ...deployment.env,
        HTTP_PORT: '0',
        HTTP_HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      });
      const logs: Record<string, unknown>[] = [];
      let buffered = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          try {
            logs.push(JSON.parse(line) as Record<string, unknown>);
          } catch {
            // Not a log line.
          }
        }
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = once(child, 'exit') as Promise<[number | null]>;
      try {
        const deadline = Date.now() + 45_000;
        while (!logs.some((l) => l['event'] === 'service.started')) {
          assert.ok(
            child.exitCode === null,
            `the trainer exited with ${String(child.exitCode)}: ${stderr}`,
          );
          assert.ok(Date.now() < deadline, `the trainer did not start: ${stderr}`);
          await sleep(100);
        }
        child.kill('SIGINT');
        const [code] = await exited;
        assert.equal(code, 0, stderr);
        const requested = logs.filter((l) => l['event'] === 'shutdown.requested');
        assert.equal(requested.length, 1);
        assert.equal(requested[0]?.['reason'], 'SIGINT');
        assert.equal(logs.filter((l) => l['event'] === 'shutdown.forced').length, 0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        await deployment.cleanup();
      }
    },
  );
});
