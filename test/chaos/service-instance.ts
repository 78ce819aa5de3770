import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { spawnService, type ServiceName } from '@driftwatch/demo';

/** One process of a service, handed back at once so it can be killed while it starts. */
export interface ServiceInstance {
  readonly service: ServiceName;
  /** The member it runs as (its INSTANCE_ID). */
  readonly instanceId: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Its JSON log lines so far. */
  readonly logs: Record<string, unknown>[];
  /** Resolves once it logs `service.started`; rejects if it exits first. */
  readonly started: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a service from source as `startService` does, stopping with this process as it does,
 * but returns before it is ready: a chaos run kills, freezes and replaces processes whatever
 * state they are in, and must keep the handle of one that never becomes ready. Output goes to
 * `<logDir>/<service>-<instance>-<pid>.log`.
 */
export async function spawnServiceInstance(
  service: ServiceName,
  options: { env: Record<string, string>; logDir: string },
): Promise<ServiceInstance> {
  await mkdir(options.logDir, { recursive: true });
  const child = spawnService(service, {
    ...process.env,
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...options.env,
  });
  const instanceId = options.env['INSTANCE_ID'] ?? 'x';
  const logFile = join(options.logDir, `${service}-${instanceId}-${child.pid ?? 'x'}.log`);
  const log = createWriteStream(logFile);
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve, reject) => {
    markStarted = resolve;
    void exited.then(({ code, signal }) => {
      reject(new Error(`${service} exited (${String(code ?? signal)}) before it started`));
    });
  });
  // A kill before start is a normal part of a chaos run, not an unhandled rejection.
  started.catch(() => undefined);
  let buffered = '';
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
      if (entry['event'] === 'service.started') markStarted();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    log.write(chunk);
    logs.push({ level: 'fatal', stderr: chunk.toString() });
  });
  void exited.then(() => log.end());
  return { service, instanceId, child, logFile, logs, started, exited };
}
