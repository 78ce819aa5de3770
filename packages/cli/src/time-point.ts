import { parseDuration } from './duration.js';
import { CliError } from './errors.js';

/** A calendar date, optionally with a time: what `Date.parse` reads reliably across engines. */
const isoDate =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A moment in time from a command line, in epoch milliseconds:
 * - digits only: epoch milliseconds as they are (`0` is the beginning of time);
 * - `now`;
 * - a duration (`15m`, `2h`, `7d`): that long before `now`;
 * - an ISO 8601 date or date-time (`2024-06-01`, `2024-06-01T12:00:00Z`); without a zone, local.
 *
 * @example
 * ```ts
 * parseTimePoint('1717000000000'); // => 1717000000000
 * parseTimePoint('15m', 1_000_000_000); // => 999100000
 * parseTimePoint('2024-06-01T00:00:00Z'); // => 1717200000000
 * ```
 */
export function parseTimePoint(spec: string, now: number = Date.now()): number {
  const text = spec.trim();
  if (/^\d+$/.test(text)) {
    const epochMs = Number(text);
    if (Number.isSafeInteger(epochMs)) return epochMs;
    throw badTime(spec, 'too large for epoch milliseconds');
  }
  if (text.toLowerCase() === 'now') return now;
  if (isoDate.test(text)) {
    const epochMs = Date.parse(text);
    if (Number.isNaN(epochMs)) throw badTime(spec, 'not a real date');
    if (epochMs < 0) throw badTime(spec, 'before 1970');
    return epochMs;
  }
  let agoMs: number;
  try {
    agoMs = parseDuration(text);
  } catch {
    throw badTime(spec, 'not epoch ms, an ISO date or a duration');
  }
  if (agoMs > now) throw badTime(spec, 'reaches back before 1970');
  return now - agoMs;
}

function badTime(spec: string, why: string): CliError {
  return new CliError(
    'DW_CLI_BAD_TIME',
    `${JSON.stringify(spec)} is not a time (${why}); write epoch ms (1717000000000), an ISO date (2024-06-01T12:00:00Z), now, or a duration ago (15m, 2h, 7d)`,
    { input: spec },
  );
}
