import { minMaxLag } from '@driftwatch/demo';

import { CliError } from './errors.js';

/** A plain decimal number; `Number()` alone would take '', ' ', '0x1f' and 'Infinity'. */
const decimal = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function number(spec: string, what: string): number {
  const text = spec.trim();
  if (!decimal.test(text)) throw badOption(spec, `${what}, and this is not a number`);
  return Number(text);
}

/**
 * Events per second. `max` or `0` mean as fast as possible (`Infinity`), which is what `0` means to
 * most rate limiters; anything else must be a positive number.
 *
 * @example
 * ```ts
 * parseRate('250'); // => 250
 * parseRate('max') === Infinity; // => true
 * ```
 */
export function parseRate(spec: string): number {
  const text = spec.trim().toLowerCase();
  if (text === 'max' || text === 'inf' || text === 'infinity') return Infinity;
  const rate = number(spec, 'the rate must be events per second (or max)');
  if (rate === 0) return Infinity;
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw badOption(spec, 'the rate must be a positive number of events per second, 0 or max');
  }
  return rate;
}

/** A fraction in [0, 1], like 0.1 for 10%. */
export function parseFraction(spec: string): number {
  const fraction = number(spec, 'a fraction in [0, 1] is expected');
  if (!(fraction >= 0 && fraction <= 1)) throw badOption(spec, 'a fraction must be in [0, 1]');
  return fraction;
}

/** `--max-lag`: records a stage may have to read, no fewer than flow control accepts. */
export function parseMaxLag(spec: string): number {
  const value = parsePositiveInteger(spec);
  if (value < minMaxLag) throw badOption(spec, `must be at least ${minMaxLag}`);
  return value;
}

/** A binary model's decision threshold: a probability strictly between 0 and 1. */
export function parseThreshold(spec: string): number {
  const threshold = number(spec, 'a threshold in (0, 1) is expected');
  if (!(threshold > 0 && threshold < 1)) {
    throw badOption(spec, 'a threshold must be strictly between 0 and 1');
  }
  return threshold;
}

/** A gain in a metric that is a share, such as accuracy: from -1 to 1 (0.01 is one point). */
export function parseGain(spec: string): number {
  const gain = number(spec, 'a gain in [-1, 1] is expected (0.01 is one point of accuracy)');
  if (!(gain >= -1 && gain <= 1)) throw badOption(spec, 'a gain must be in [-1, 1]');
  return gain;
}

/** A test's significance level: strictly between 0 and 1, like 0.01. */
export function parseSignificance(spec: string): number {
  const alpha = number(spec, 'a significance level in (0, 1) is expected');
  if (!(alpha > 0 && alpha < 1)) {
    throw badOption(spec, 'a significance level must be strictly between 0 and 1');
  }
  return alpha;
}

/** A whole number ≥ 1, such as a row count. */
export function parsePositiveInteger(spec: string): number {
  const value = number(spec, 'a whole number ≥ 1 is expected');
  if (!Number.isSafeInteger(value) || value < 1)
    throw badOption(spec, 'must be a whole number ≥ 1');
  return value;
}

/**
 * Positions in a stream, such as drifts' rows: whole numbers ≥ 0 separated by commas, ascending.
 *
 * @example
 * ```ts
 * parsePositions('5000, 12000'); // => [5000, 12000]
 * ```
 */
export function parsePositions(spec: string): number[] {
  const positions = spec.split(',').map((part) => {
    const value = number(part, 'positions are whole numbers ≥ 0 separated by commas');
    if (!Number.isSafeInteger(value) || value < 0) {
      throw badOption(spec, 'positions must be whole numbers ≥ 0');
    }
    return value;
  });
  if (positions.some((position, i) => i > 0 && position <= (positions[i - 1] ?? -1))) {
    throw badOption(spec, 'positions must be ascending, each once');
  }
  return positions;
}

/** Any whole number, such as a seed. */
export function parseInteger(spec: string): number {
  const value = number(spec, 'a whole number is expected');
  if (!Number.isSafeInteger(value)) throw badOption(spec, 'must be a whole number');
  return value;
}

function badOption(spec: string, why: string): CliError {
  return new CliError('DW_CLI_BAD_OPTION', `${JSON.stringify(spec)}: ${why}`, { input: spec });
}
