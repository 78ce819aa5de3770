import parse from 'parse-duration';
import prettyMilliseconds from 'pretty-ms';

import { CliError } from './errors.js';

/**
 * What the CLI accepts, stricter than parse-duration alone (which reads a bare `500` as ms and lets
 * spaces, capitals and signs through): one or more `<number><unit>` terms, nothing between them.
 */
const durationSyntax = /^(?:(?:\d+(?:\.\d+)?|\.\d+)(?:ms|min|s|m|h|d))+$/;

/**
 * A duration as people write it on a command line, in whole milliseconds (rounded): a number and
 * a unit, `ms`, `s`, `m` (or `min`), `h` or `d`, optionally several in a row (`1m30s`). A bare `0`
 * is accepted; any other number needs a unit, so `500` is never mistaken for seconds: it throws a
 * {@link CliError} `DW_CLI_BAD_DURATION` naming the text, as anything else that does not parse.
 *
 * @example
 * ```ts
 * parseDuration('1.5s'); // => 1500
 * parseDuration('1h30m'); // => 5400000
 * ```
 */
export function parseDuration(spec: string): number {
  const text = spec.trim();
  if (text === '0') return 0;
  if (!durationSyntax.test(text)) throw badDuration(spec);
  const ms = Math.round(parse(text) ?? NaN);
  if (!Number.isSafeInteger(ms)) throw badDuration(spec);
  return ms;
}

function badDuration(spec: string): CliError {
  return new CliError(
    'DW_CLI_BAD_DURATION',
    `${JSON.stringify(spec)} is not a duration: write a number and a unit, like 500ms, 2s, 1.5m, 3h, 7d or 1m30s`,
    { input: spec },
  );
}

/**
 * The short way back, for summaries, in the syntax {@link parseDuration} reads: `500ms`, `1.2s`,
 * `1m30s`, `1h30m`, `400d` (days, never years).
 *
 * @example
 * ```ts
 * formatDuration(1500); // => "1.5s"
 * formatDuration(90_000); // => "1m30s"
 * ```
 */
export function formatDuration(ms: number): string {
  // pretty-ms separates units with a space, which a duration on the command line cannot hold.
  return prettyMilliseconds(Math.round(ms), { hideYear: true }).replaceAll(' ', '');
}
