import { CliError } from './errors.js';

const unitMs: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** One `<number><unit>` term; a duration is one or more of them (`1h30m`). */
const term = /(\d+(?:\.\d+)?|\.\d+)(ms|min|s|m|h|d)/y;

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
  let total = 0;
  term.lastIndex = 0;
  while (term.lastIndex < text.length) {
    const match = term.exec(text);
    if (match === null) throw badDuration(spec);
    const [, amount = '', unit = ''] = match;
    total += Number(amount) * (unitMs[unit] ?? NaN);
  }
  if (text.length === 0 || !Number.isSafeInteger(Math.round(total))) throw badDuration(spec);
  return Math.round(total);
}

function badDuration(spec: string): CliError {
  return new CliError(
    'DW_CLI_BAD_DURATION',
    `${JSON.stringify(spec)} is not a duration: write a number and a unit, like 500ms, 2s, 1.5m, 3h, 7d or 1m30s`,
    { input: spec },
  );
}

/**
 * The short way back, for summaries: `500ms`, `1.5s`, `2m`, `1.25h`, `3d`.
 *
 * @example
 * ```ts
 * formatDuration(1500); // => "1.5s"
 * formatDuration(90_000); // => "1.5m"
 * ```
 */
export function formatDuration(ms: number): string {
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(ms) >= size) return `${Number((ms / size).toFixed(2))}${unit}`;
  }
  return `${Math.round(ms)}ms`;
}
