import { CliError } from './errors.js';

/**
 * A version as a person types it: `2` or `v2`.
 *
 * @example
 * ```ts
 * parseVersionNumber('v2'); // => 2
 * ```
 */
export function parseVersionNumber(text: string): number {
  const number = Number(text.replace(/^v/, ''));
  if (text.trim() === '' || !Number.isSafeInteger(number) || number < 1) {
    throw new CliError('DW_CLI_BAD_OPTION', `a version is a number ≥ 1 (2 or v2), got "${text}"`, {
      input: text,
    });
  }
  return number;
}
