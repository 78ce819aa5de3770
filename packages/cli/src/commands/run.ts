import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Argument, Command } from 'commander';

import { CliError } from '../errors.js';
import { serviceNames, type ServiceName } from '../service-names.js';

/** The checkout this CLI runs from: src/commands/ and dist/commands/ are both 4 levels down. */
export const cliRepoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The built entry point of a service, or a CliError: an unknown name (listing the valid ones) or
 * a service not built yet.
 */
export function serviceEntryPoint(service: string, repoRoot: string = cliRepoRoot): string {
  if (!(serviceNames as readonly string[]).includes(service)) {
    throw new CliError(
      'DW_CLI_UNKNOWN_SERVICE',
      `unknown service ${JSON.stringify(service)}: choose one of ${serviceNames.join(', ')}`,
      { input: service },
    );
  }
  const entryPoint = join(repoRoot, 'services', service, 'dist', 'main.js');
  if (!existsSync(entryPoint)) {
    throw new CliError(
      'DW_CLI_SERVICE_NOT_BUILT',
      `${relative(process.cwd(), entryPoint) || entryPoint} does not exist: run \`npm run build\` first`,
      { input: service },
    );
  }
  return entryPoint;
}

/**
 * Runs a service in the foreground and resolves with the exit code to pass on: the child's, or
 * 128 + the signal's number when a signal ended it, as a shell reports it.
 *
 * The child gets its own process group, and SIGINT and SIGTERM are forwarded to it once: were it in
 * ours, Ctrl-C would reach it from the terminal and again from us, and a service takes a second
 * signal as "exit now, skip the clean stop".
 */
export async function runServiceProcess(
  service: ServiceName,
  options: { repoRoot?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  const entryPoint = serviceEntryPoint(service, options.repoRoot);
  const child = spawn(process.execPath, ['--enable-source-maps', entryPoint], {
    env: options.env ?? process.env,
    stdio: 'inherit',
    detached: true,
  });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  // Should this process die without forwarding, the detached child must not outlive it.
  const killChild = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  process.on('exit', killChild);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
      });
    });
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    process.off('exit', killChild);
  }
}

export function runCommand(): Command {
  return new Command('run')
    .description('run one service in the foreground (built: services/<service>/dist/main.js)')
    .addArgument(new Argument('<service>', 'the service to run').choices(serviceNames))
    .addHelpText(
      'after',
      `
The service reads its configuration from the environment (KAFKA_BROKERS, TOPIC_PREFIX, …) as
it does when run any other way, logs JSON lines to stdout, and stops cleanly on Ctrl-C or
SIGTERM; driftwatch exits with its exit code. Build first: npm run build.

Examples:
  $ driftwatch run inference
  $ TOPIC_PREFIX=staging. HTTP_PORT=9464 driftwatch run detector`,
    )
    .action(async (service: ServiceName) => {
      process.exitCode = await runServiceProcess(service);
    });
}
