import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const stackCli = join(repoRoot, 'packages/stack/src/cli.ts');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `stack <args>` exactly as `npm run stack:*` does, with the given environment. */
export function runStackCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@driftwatch/source', stackCli, ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** A port nothing listens on right now (the OS picks it, we release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

/**
 * An isolated stack (own ports, own data dir) so these tests never disturb the shared one. Without
 * a schema registry, whatever the test run's DRIFTWATCH_SCHEMA_REGISTRY says: the run already has
 * one, and a second would cost a JVM start.
 */
export async function isolatedStackEnv(): Promise<Record<string, string>> {
  const [kafkaPort, controllerPort, redisPort, registryPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  return {
    KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
    DRIFTWATCH_KAFKA_CONTROLLER_PORT: String(controllerPort),
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    DRIFTWATCH_STACK_DIR: await mkdtemp(join(tmpdir(), 'driftwatch-stack-')),
    DRIFTWATCH_KAFKA_HEAP: '256m',
    DRIFTWATCH_SCHEMA_REGISTRY: 'false',
    DRIFTWATCH_SCHEMA_REGISTRY_PORT: String(registryPort),
  };
}
