import { DriftwatchError } from '@driftwatch/errors';

/** - `DW_SERVICE_CONFIG_INVALID`: environment variables missing or malformed at start. */
export type ServiceErrorCode = 'DW_SERVICE_CONFIG_INVALID';

export interface ConfigProblem {
  variable: string;
  problem: string;
}

/** Thrown once at start when environment variables are missing or malformed; names every bad one. */
export class ConfigError extends DriftwatchError<ServiceErrorCode> {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    // One problem reads on one line, so it stays whole in a log line or a terminal's last line.
    const [only] = problems;
    super(
      'DW_SERVICE_CONFIG_INVALID',
      problems.length === 1 && only
        ? `invalid configuration: ${only.variable}: ${only.problem}`
        : `invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.problem}`).join('\n')}`,
    );
    this.problems = problems;
  }
}
