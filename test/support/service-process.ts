import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { repoRoot, startService, type ServiceName, type ServiceProcess } from '@driftwatch/demo';

export type { ServiceName, ServiceProcess } from '@driftwatch/demo';

/**
 * Starts a service from source, as `npm run dev -w` does, and waits until it has started. Its
 * output goes to .cache/test-logs/<name>-<pid>.log for when a test fails.
 */
export function startServiceProcess(
  name: ServiceName,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  return startService(name, { env, logDir: join(repoRoot, '.cache', 'test-logs'), from: 'source' });
}

export interface ServiceExit {
  /** null when a signal ended it. */
  code: number | null;
  /** Its JSON log lines. */
  logs: Record<string, unknown>[];
  /** What it wrote to stderr: empty, unless it crashed outside its logger. */
  stderr: string;
}

/**
 * Runs a service from source that is expected to stop on its own — failing at start, say — and
 * resolves with its exit code and log lines. Killed, and rejected, if it is still running after
 * `timeoutMs`.
 */
export function runServiceUntilExit(
  name: ServiceName,
  env: Record<string, string>,
  timeoutMs = 90_000,
): Promise<ServiceExit> {
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--import',
      'tsx',
      '--conditions=@driftwatch/source',
      join(repoRoot, 'services', name, 'src', 'main.ts'),
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} was still running after ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const logs = stdout.split('\n').flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
      resolve({ code, logs, stderr });
    });
  });
}
