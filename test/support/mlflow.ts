import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { pinnedVenvPython } from '../../services/trainer/src/testing/sklearn-trainer-python.js';
import { freePort, repoRoot } from './stack-cli.js';

/** The pinned MLflow (and the packages it runs with), frozen from a working install. */
const requirements = join(repoRoot, 'test', 'support', 'mlflow', 'requirements.txt');

export interface RunningMlflow {
  url: string;
  /** Stops the server (its SQLite store and artifacts stay), as an outage would. */
  stop(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
}

/**
 * A real `mlflow server` of a test's own: pinned, in the virtualenv scripts/python-venv.sh keeps
 * outside git (pip on first use), a SQLite backend and an artifact store under `dir`, a free port
 * on 127.0.0.1, one worker. `{ skip }` only when pip could not install it.
 */
export async function startMlflow(dir: string): Promise<RunningMlflow | { skip: string }> {
  const venv = await pinnedVenvPython('mlflow-server', requirements);
  if ('skip' in venv) return venv;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  await mkdir(join(dir, 'artifacts'), { recursive: true });
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const log = createWriteStream(join(dir, 'mlflow.log'), { flags: 'a' });
    child = spawn(
      venv.python,
      [
        '-m',
        'mlflow',
        'server',
        '--backend-store-uri',
        `sqlite:///${join(dir, 'mlflow.db')}`,
        '--artifacts-destination',
        join(dir, 'artifacts'),
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--workers',
        '1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    // First start creates the SQLite schema: tens of seconds on a busy machine.
    for (let attempt = 0; attempt < 1200; attempt += 1) {
      if (child.exitCode !== null) {
        throw new Error(`mlflow server exited ${child.exitCode}; see ${join(dir, 'mlflow.log')}`);
      }
      try {
        if ((await fetch(`${url}/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`mlflow server did not answer on ${url}; see ${join(dir, 'mlflow.log')}`);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null || running.pid === undefined) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    // Its gunicorn workers are its process group.
    process.kill(-running.pid, 'SIGTERM');
    await exited;
  };
  await start();
  return { url, stop, start };
}
