export interface ConfigProblem {
  variable: string;
  problem: string;
}

/** Thrown once at start when environment variables are missing or malformed; names every bad one. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'DW_CONFIG_INVALID';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.problem}`).join('\n')}`,
    );
    this.problems = problems;
  }
}
