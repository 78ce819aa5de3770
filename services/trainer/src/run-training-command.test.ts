import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { runTrainingCommand } from './run-training-command.js';

const dir = mkdtempSync(join(tmpdir(), 'dw-run-command-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});
const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
const options = { cwd: dir, env, timeoutMs: 60_000 };

/** Whether process `pid` is gone (or a zombie nobody has reaped yet: it runs no more). */
function isGone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (condition()) return;
    await sleep(50);
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('runTrainingCommand', () => {
  it('reports the exit code and the last 20 lines of stderr, holding at most 2 KB of it', async () => {
    const run = await runTrainingCommand({
      ...options,
      argv: [
        'sh',
        '-c',
        'head -c 3000000 /dev/zero | tr "\\0" x >&2; echo >&2; for i in $(seq 1 100); do echo "err $i" >&2; done; echo summary; exit 3',
      ],
    });
    assert.equal(run.outcome, 'exited');
    assert.equal(run.exitCode, 3);
    assert.equal(run.exitSignal, null);
    const lines = run.stderr.split('\n');
    assert.equal(lines.length, 20);
    assert.equal(lines[0], '…err 81');
    assert.equal(lines.at(-1), 'err 100');
    assert.equal(run.stdout, 'summary');
    assert.equal(run.startError, null);
  });

  it('runs without a shell, in cwd, with exactly the environment given and no stdin', async () => {
    const run = await runTrainingCommand({
      ...options,
      env: { ...env, DRIFTWATCH_MODEL: 'iris' },
      argv: [
        'sh',
        '-c',
        'printf "%s|%s|%s|" "$PWD" "$DRIFTWATCH_MODEL" "${HOME-unset}"; cat',
        '$x',
      ],
    });
    assert.equal(run.exitCode, 0);
    assert.equal(run.stdout, `${dir}|iris|unset|`);
  });

  it('at the deadline, kills the program and is timed-out', async () => {
    const run = await runTrainingCommand({ ...options, argv: ['sleep', '300'], timeoutMs: 300 });
    assert.equal(run.outcome, 'timed-out');
    assert.equal(run.exitCode, null);
    assert.equal(run.exitSignal, 'SIGKILL');
  });

  it('on shutdown, kills the whole process group, background children included', async () => {
    const pidFile = join(dir, 'background.pid');
    const stopping = new AbortController();
    const running = runTrainingCommand({
      ...options,
      signal: stopping.signal,
      argv: ['sh', '-c', `sleep 300 & echo $! > ${pidFile}; wait`],
    });
    await waitFor(
      () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'),
      'the background pid',
    );
    const background = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(isGone(background), false, 'the background sleep runs before the shutdown');
    stopping.abort();
    const run = await running;
    assert.equal(run.outcome, 'stopped');
    assert.equal(run.exitSignal, 'SIGKILL');
    await waitFor(() => isGone(background), `pid ${background} to be killed with its group`);
  });

  it('says why a program cannot be started', async () => {
    const run = await runTrainingCommand({ ...options, argv: [join(dir, 'no-such-program')] });
    assert.equal(run.outcome, 'failed-to-start');
    assert.match(run.startError ?? '', /ENOENT/);
    assert.equal(run.exitCode, null);
  });

  it('settles a run stopped before its program could be started', async () => {
    const stopping = new AbortController();
    stopping.abort();
    const run = await runTrainingCommand({
      ...options,
      signal: stopping.signal,
      argv: [join(dir, 'no-such-program')],
    });
    assert.equal(run.outcome, 'stopped');
    assert.match(run.startError ?? '', /ENOENT/);
  });

  it('keeps the consumer group informed while the program runs', async () => {
    let beats = 0;
    const run = await runTrainingCommand({
      ...options,
      argv: ['sleep', '2.5'],
      keepAlive: () => {
        beats++;
      },
    });
    assert.equal(run.exitCode, 0);
    assert.ok(beats >= 1, `${beats} keep-alive calls in a 2.5 s run`);
    const after = beats;
    await sleep(1500);
    assert.equal(beats, after, 'no keep-alive once the run is over');
  });
});
