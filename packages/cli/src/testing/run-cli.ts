import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const mainPath = fileURLToPath(new URL('../main.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts the CLI from source in a child process, as a person would run it: real argument parsing,
 * real exit codes. `env` is added to a copy of this process's environment.
 */
export function spawnCli(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@driftwatch/source', mainPath, ...args],
    { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/**
 * Runs the CLI to its end and returns what it printed. `timeoutMs` only guards the test run from
 * a CLI that never ends (it is then killed and `code` is null); no test measures time with it.
 */
export async function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  { timeoutMs = 60_000 } = {},
): Promise<CliResult> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.once('close', (exitCode) => {
      resolve(exitCode);
    });
  });
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** The JSON lines of a `--json` output that prints one object per line. */
export function jsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}
