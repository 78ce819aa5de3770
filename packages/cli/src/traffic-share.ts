import { CliError } from './errors.js';

/**
 * An A/B share as a person types it: `10%` or `0.1`; strictly between 0 and 1 (all traffic is
 * `promote` without a share).
 *
 * @example
 * ```ts
 * parseTrafficShare('10%'); // => 0.1
 * parseTrafficShare('0.25'); // => 0.25
 * ```
 */
export function parseTrafficShare(text: string): number {
  const percent = text.trim().endsWith('%');
  const number = Number(percent ? text.trim().slice(0, -1) : text);
  const share = percent ? number / 100 : number;
  if (text.trim() === '' || !Number.isFinite(share) || share <= 0 || share >= 1) {
    throw new CliError(
      'DW_CLI_BAD_OPTION',
      `a traffic share is more than 0 and less than 100% (10% or 0.1), got "${text}"; all traffic is promote without --traffic`,
      { input: text },
    );
  }
  return share;
}
