import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';

import { DemoError } from './errors.js';

export type ServiceName = 'inference' | 'joiner' | 'detector' | 'trainer';
export const serviceNames: readonly ServiceName[] = ['inference', 'joiner', 'detector', 'trainer'];

/** The repository this package sits in (packages/demo/{src,dist}/ → ../../..). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly child: ChildProcess;
  /** Where /metrics and /healthz answer. */
  readonly port: number;
  readonly logFile: string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** The JSON log lines so far. */
  readonly logs: Record<string, unknown>[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  metrics(): Promise<string>;
  /** One sample of Prometheus text (0 when absent; summed over labels not named). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

export interface StartServiceOptions {
  env: Record<string, string>;
  logDir: string;
  /** `source` runs src/main.ts through tsx (tests); `dist` runs the build (the demo). */
  from?: 'source' | 'dist';
  readyTimeoutMs?: number;
}

/** The value of one sample in Prometheus text format, summed over labels not asked for. */
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

/**
 * Spawns one driftwatch service, from source through tsx (tests) or from its build (the demo),
 * with stdout and stderr piped and an IPC channel: the channel is how the service learns that
 * this process is gone, even by SIGKILL; it then stops itself (createShutdown) instead of running
 * on, orphaned. Unreferenced, the channel does not keep this process alive.
 */
export function spawnService(
  name: ServiceName,
  env: NodeJS.ProcessEnv,
  from: 'source' | 'dist' = 'source',
): ChildProcessByStdio<null, Readable, Readable> {
  const entry =
    from === 'dist'
      ? [join(repoRoot, 'services', name, 'dist', 'main.js')]
      : [
          '--import',
          'tsx',
          '--conditions=@driftwatch/source',
          join(repoRoot, 'services', name, 'src', 'main.ts'),
        ];
  const child = spawn(process.execPath, ['--enable-source-maps', ...entry], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Node's typings know the piped streams of a three-entry stdio only.
  }) as ChildProcessByStdio<null, Readable, Readable>;
  child.channel?.unref();
  return child;
}

/**
 * Starts one driftwatch service as a child process, exactly as an operator would, and resolves
 * once it logs `service.started`. Its output goes to `<logDir>/<name>-<pid>.log`.
 */
export async function startService(
  name: ServiceName,
  options: StartServiceOptions,
): Promise<ServiceProcess> {
  await mkdir(options.logDir, { recursive: true });
  const child = spawnService(
    name,
    {
      ...process.env,
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    options.from,
  );
  const logFile = join(options.logDir, `${name}-${child.pid ?? 'x'}.log`);
  const log = createWriteStream(logFile);
  const logs: Record<string, unknown>[] = [];
  let port = 0;
  let buffered = '';
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  const timeoutMs = options.readyTimeoutMs ?? 90_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${name} did not start within ${timeoutMs} ms; see ${logFile}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${String(code)} before it started; see ${logFile}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
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
        if (entry['event'] === 'service.started') {
          clearTimeout(timer);
          resolve();
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => log.write(chunk));
  });
  const metrics = async (): Promise<string> => {
    // A service that died (kafkajs can leave a transaction stuck after the broker moves its
    // coordinator) is said as such, with its log, rather than as a refused connection.
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new DemoError(
        'DW_DEMO_SERVICE_EXITED',
        `${name} exited (${String(child.exitCode ?? child.signalCode)}) during the run; see ${logFile}`,
      );
    }
    const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    try {
      return await scrape();
    } catch (error) {
      // A service whose event loop was busy for seconds (a detector calibrating a version) runs
      // its overdue keep-alive timer and closes the idle connection this request just went out
      // on: the request was never read, so asking again on a fresh connection is safe.
      if (!isConnectionReset(error)) throw error;
      return scrape();
    }
  };
  return {
    name,
    child,
    port,
    logFile,
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

function isConnectionReset(error: unknown): boolean {
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET';
}
