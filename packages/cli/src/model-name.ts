import { retrainRequestSchema } from '@driftwatch/topics';

import { CliError } from './errors.js';

/**
 * A model name, checked by the topics' own schema (the same rule for every message), so a typo is
 * reported here rather than as a record the services dead-letter.
 */
export function parseModelName(name: string): string {
  const result = retrainRequestSchema.shape.model.safeParse(name);
  if (result.success) return result.data;
  const problem = result.error.issues[0]?.message ?? 'is not a model name';
  throw new CliError('DW_CLI_BAD_OPTION', `model name ${JSON.stringify(name)} ${problem}`, {
    input: name,
  });
}
