import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository this file sits in (services/trainer/src/testing → ../../../..). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** examples/sklearn-trainer, whose train.py the tests run for real. */
export const sklearnTrainerDir = join(repoRoot, 'examples', 'sklearn-trainer');

/**
 * The Python of examples/sklearn-trainer's pinned requirements, in the virtualenv that
 * scripts/python-venv.sh's `ensure_venv` keeps under `${DRIFTWATCH_CACHE_DIR:-~/.cache/driftwatch}`:
 * created (with pip, wheels only) on first use, reused while requirements.txt is unchanged.
 *
 * `{ skip }` only when the virtualenv was created but pip could not install the packages (no
 * network, no wheel for this platform): a test then says so and skips. Any other failure — no
 * python3, no venv module — throws.
 */
export function sklearnTrainerPython(): Promise<{ python: string } | { skip: string }> {
  return pinnedVenvPython('sklearn-trainer', join(sklearnTrainerDir, 'requirements.txt'));
}

const found = new Map<string, Promise<{ python: string } | { skip: string }>>();

/**
 * The Python of virtualenv `venv-<name>` holding `requirements` (pinned), made or reused by
 * scripts/python-venv.sh's `ensure_venv`, once per process; `{ skip }` as for
 * {@link sklearnTrainerPython}.
 */
export function pinnedVenvPython(
  name: string,
  requirements: string,
): Promise<{ python: string } | { skip: string }> {
  let python = found.get(name);
  if (!python) {
    python = ensureVenv(name, requirements);
    found.set(name, python);
  }
  return python;
}

function ensureVenv(
  venvName: string,
  requirements: string,
): Promise<{ python: string } | { skip: string }> {
  const script = [
    'set -euo pipefail',
    'source "$1"',
    'ensure_venv "$2" "$3" >&2',
    'printf %s "$VENV_PYTHON"',
  ].join('\n');
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [
        '-c',
        script,
        'ensure-venv',
        join(repoRoot, 'scripts', 'python-venv.sh'),
        venvName,
        requirements,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ python: stdout });
          return;
        }
        const cache =
          process.env['DRIFTWATCH_CACHE_DIR'] || join(homedir(), '.cache', 'driftwatch');
        const venvPython = join(cache, `venv-${venvName}`, 'bin', 'python');
        const why = stderr.trim().split('\n').slice(-5).join('\n');
        if (existsSync(venvPython)) {
          resolve({
            skip: `pip could not install ${requirements} into ${venvPython}: ${why}`,
          });
        } else {
          reject(
            new Error(`could not create the virtualenv venv-${venvName}: ${why}`, { cause: error }),
          );
        }
      },
    );
  });
}
