import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, rm, writeFile } from 'node:fs/promises';

import { StackError, type StackErrorCode } from './errors.js';

/** A program the stack runs, and how to get it when it is missing. */
export interface DebianProgram {
  /** The command looked up on PATH, e.g. `redis-server`. */
  command: string;
  /** The Debian package that provides it, e.g. `redis-server`, `prometheus`. */
  debianPackage: string;
  /** The error thrown when it is missing and cannot be installed. */
  code: StackErrorCode;
  /** What a person without root or apt should do, e.g. `sudo apt-get install redis-server`. */
  installHint: string;
}

export function commandPath(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/**
 * Finds `program.command`, installing its Debian package when it is missing and we may (root +
 * apt). A policy-rc.d that says "no" keeps the package from starting a system service (a Redis on
 * 6379, a Prometheus on 9090) behind our back; it is removed again afterwards.
 */
export async function ensureDebianProgram(
  program: DebianProgram,
  log: (message: string) => void,
): Promise<string> {
  const { command, debianPackage, code } = program;
  const existing = commandPath(command);
  if (existing) return existing;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    throw new StackError(
      code,
      `${command} is not installed. Install it (${program.installHint}) and run the command again.`,
    );
  }
  log(`${command} not found; installing Debian's ${debianPackage} package with apt-get …`);
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) {
    await writeFile(policy, '#!/bin/sh\nexit 101\n');
    await chmod(policy, 0o755);
  }
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['update'], ['install', '-y', '--no-install-recommends', debianPackage]]) {
      const result = spawnSync('apt-get', args, { encoding: 'utf8', env });
      if (result.status !== 0) {
        throw new StackError(
          code,
          `installing ${debianPackage} failed (apt-get ${args.join(' ')}): ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')}`,
        );
      }
    }
  } finally {
    if (ownPolicy) await rm(policy, { force: true });
  }
  const installed = commandPath(command);
  if (!installed)
    throw new StackError(code, `apt-get installed ${debianPackage} but ${command} is not on PATH`);
  return installed;
}
