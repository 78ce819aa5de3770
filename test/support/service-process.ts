import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { repoRoot } from './stack-cli.js';

export type ServiceName = 'inference' | 'joiner' | 'detector' | 'trainer';

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly child: ChildProcess;
  readonly port: number;
  /** Resolves with the exit code when the process ends. */
  readonly exited: Promise<number | null>;
  /** Parsed JSON log lines so far. */
  readonly logs: Record<string, unknown>[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  metrics(): Promise<string>;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

const logsDir = join(repoRoot, '.cache', 'test-logs');

/**
 * Starts a service from source, exactly as `npm run dev -w` does, and waits until it logs that it
 * started. Its output goes to .cache/test-logs/<name>-<pid>.log for when a test fails.
 */
export async function startServiceProcess(
  name: ServiceName,
  env: Record<string, string>,
  { readyEvent = 'service.started', timeoutMs = 60_000 } = {},
): Promise<ServiceProcess> {
  await mkdir(logsDir, { recursive: true });
  const child = spawn(
    process.execPath,
    [
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
  const logFile = createWriteStream(join(logsDir, `${name}-${child.pid ?? 'x'}.log`));
  const logs: Record<string, unknown>[] = [];
  let port = 0;
  let buffered = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
    }),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new Error(
          `${name} did not log ${readyEvent} within ${timeoutMs} ms; see ${logFile.path.toString()}`,
        ),
      );
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `${name} exited with ${String(code)} before ${readyEvent}; see ${logFile.path.toString()}`,
        ),
      );
    });
    child.stdout.on('data', (chunk: Buffer) => {
      logFile.write(chunk);
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        logs.push(entry);
        if (entry['event'] === 'ops.listening') port = Number(entry['port']);
        if (entry['event'] === readyEvent) {
          clearTimeout(timer);
          resolve();
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => logFile.write(chunk));
  });
  await ready;

  const metrics = async (): Promise<string> =>
    (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return {
    name,
    child,
    get port() {
      return port;
    },
    exited,
    logs,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    metrics,
    metric: async (metricName, labels = {}) => metricValue(await metrics(), metricName, labels),
  };
}

/** The value of one sample in Prometheus text format (0 when absent; summed over unnamed labels). */
export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (match?.[1] !== name) continue;
    const sampleLabels = new Map(
      [...(match[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => sampleLabels.get(key) === value))
      total += Number(match[4]);
  }
  return total;
}
