import { spawn, spawnSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

import { StackError } from './errors.js';

/** Maven is needed once per download, so its absence is reported with what it was needed for. */
export function requireMaven(purpose: string): void {
  const result = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new StackError(
      'DW_STACK_NO_MAVEN',
      `Maven is needed once, to ${purpose}, and \`mvn\` could not be run. ` +
        'Install it (Debian/Ubuntu: apt-get install maven) and run the command again.',
    );
  }
}

/** Runs `mvn`, keeping its whole output for {@link mavenErrorLine} and friends. */
export function runMaven(args: readonly string[]): Promise<{ code: number; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code: code ?? 1, text });
    });
  });
}

/** Maven's summary lines that say something failed, not what. */
const genericErrorLine =
  /^(Some problems were encountered|The build could not read|The project .* has \d+ errors?$|To see the full stack trace|Re-run Maven|For more information|\[Help \d+\])/;

/**
 * The line of Maven's output worth showing: the most detailed of its `[ERROR]`/`[FATAL]` lines
 * (the per-project line carries the cause, e.g. "Connection refused", the summary above it does
 * not), else its last lines.
 */
export function mavenErrorLine(output: string): string {
  const lines = stripVTControlCharacters(output)
    .split('\n')
    .map((line) => line.trim());
  const errors = lines
    .filter((line) => /^\[(ERROR|FATAL)\]/.test(line))
    .map((line) =>
      line
        .replace(/^(\[(ERROR|FATAL)\]\s*)+/, '')
        .replace(/\s*-> \[Help \d+\]$/, '')
        .trim(),
    )
    .filter((line) => line !== '' && !genericErrorLine.test(line));
  const longest = errors.reduce((best, line) => (line.length > best.length ? line : best), '');
  return longest || lines.filter(Boolean).slice(-5).join(' ');
}

/** Whether Maven failed because it could not reach a repository (as opposed to a bad request). */
export function isMavenNetworkFailure(output: string): boolean {
  return /UnknownHost|Unknown host|Name or service not known|Temporary failure in name resolution|Connection refused|Connect to .* failed|timed out|Network is unreachable|No route to host|Could not transfer|PKIX path/i.test(
    output,
  );
}
