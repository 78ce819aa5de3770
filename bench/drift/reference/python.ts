/**
 * The Python venv that reference ("oracle") libraries run in: `.cache/venv-oracles` at the
 * repository root, git-ignored, created on demand. Benches and fixture generators share it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { repositoryRoot } from './paths.js';

const run = promisify(execFile);

export const VENV_DIR = join(repositoryRoot, '.cache', 'venv-oracles');
const PYTHONS = ['python3.11', 'python3'];

/**
 * Returns the venv's python once `packages` (pip requirement strings, e.g. `river` or
 * `river==0.26.1`) are importable there, creating the venv and installing what is missing. Throws
 * an Error whose message says what failed (no python, pip could not install, …).
 */
export async function ensurePythonVenv(packages: readonly string[]): Promise<string> {
  const python = join(VENV_DIR, 'bin', 'python');
  if (!existsSync(python)) await createVenv();
  const missing: string[] = [];
  for (const requirement of packages) {
    const name = requirement.split(/[<>=!~[ ]/, 1)[0] ?? requirement;
    try {
      await run(python, ['-m', 'pip', 'show', '--quiet', name]);
    } catch {
      missing.push(requirement);
    }
  }
  if (missing.length > 0) {
    try {
      await run(python, ['-m', 'pip', 'install', '--quiet', ...missing], {
        maxBuffer: 16 << 20,
      });
    } catch (error) {
      throw new Error(`pip install ${missing.join(' ')} failed: ${describe(error)}`, {
        cause: error,
      });
    }
  }
  return python;
}

async function createVenv(): Promise<void> {
  const failures: string[] = [];
  for (const candidate of PYTHONS) {
    try {
      await run(candidate, ['-m', 'venv', VENV_DIR]);
      return;
    } catch (error) {
      failures.push(`${candidate}: ${describe(error)}`);
    }
  }
  throw new Error(`cannot create ${VENV_DIR}: ${failures.join('; ')}`);
}

/** The last line of a child's stderr (or the error message): the part that says why. */
export function describe(error: unknown): string {
  const { code, path } = error as { code?: unknown; path?: unknown };
  if (code === 'ENOENT' && typeof path === 'string') return `${path} is not on PATH`;
  const stderr = (error as { stderr?: unknown }).stderr;
  const text = typeof stderr === 'string' && stderr.trim() !== '' ? stderr : String(error);
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? text;
}
