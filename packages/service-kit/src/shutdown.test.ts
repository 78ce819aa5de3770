import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const shutdownModule = fileURLToPath(new URL('./shutdown.ts', import.meta.url));

/** A process that waits for createShutdown to ask it to stop, writes why, and exits. */
const serviceLike = `
import { writeFileSync } from 'node:fs';
import { createShutdown } from ${JSON.stringify(shutdownModule)};
const shutdown = createShutdown();
const alive = setInterval(() => undefined, 1000);
process.send('ready');
const reason = await shutdown.requested;
clearInterval(alive);
writeFileSync(process.env.REASON_FILE, reason);
process.exit(0);
`;

/** Starts the service-like process with an IPC channel, as startService does, and prints its pid. */
const parent = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', process.env.SERVICE_LIKE], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
child.channel.unref();
child.on('message', () => console.log(String(child.pid)));
setInterval(() => undefined, 1000);
`;

/** Whether a process runs: an exited one is gone, or a zombie until whoever adopted it reaps it. */
async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8').catch(() => '');
  return !/^\d+ \(.*\) Z/.test(stat);
}

describe('createShutdown', () => {
  it('stops a process whose parent, which started it with an IPC channel, was killed with SIGKILL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'driftwatch-shutdown-'));
    try {
      const reasonFile = join(dir, 'reason');
      const started = spawn(process.execPath, ['-e', parent], {
        env: { ...process.env, SERVICE_LIKE: serviceLike, REASON_FILE: reasonFile },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      let pid = 0;
      // The service-like process shares the parent's stdout: it ends when both are gone.
      const outputEnded = new Promise<void>((resolve) => {
        started.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (pid === 0 && /^\d+\n/.test(output)) {
            pid = Number(output.trim());
            started.kill('SIGKILL');
          }
        });
        started.stdout.on('end', resolve);
      });
      // A guard against a hang, not a measure: stopping takes milliseconds.
      let guard: NodeJS.Timeout | undefined;
      const stuck = new Promise<'stuck'>((resolve) => {
        guard = setTimeout(() => {
          resolve('stuck');
        }, 30_000);
      });
      const ended = await Promise.race([outputEnded, stuck]);
      clearTimeout(guard);
      if (ended === 'stuck') {
        if (pid > 0) process.kill(pid, 'SIGKILL');
        assert.fail('the service-like process ran on 30 s after its parent was killed');
      }
      assert.ok(pid > 0, `the parent printed the service's pid: ${JSON.stringify(output)}`);
      assert.equal(await readFile(reasonFile, 'utf8'), 'parent exited');
      assert.equal(await isRunning(pid), false, 'the service-like process has exited');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
