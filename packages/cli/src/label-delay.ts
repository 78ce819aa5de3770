import type { LabelDelay } from '@driftwatch/datasets';

import { formatDuration, parseDuration } from './duration.js';
import { CliError } from './errors.js';

const forms =
  'a duration (2s, fixed:2s), uniform:<min>-<max> (uniform:1s-5s) or exp:<mean> (exp:2s)';

/**
 * How long after its event a label arrives, from a command-line spec:
 * - `2s` or `fixed:2s`: always that long;
 * - `uniform:1s-5s`: uniformly between the two (inclusive), the first not above the second;
 * - `exp:2s` (or `exponential:2s`): exponentially distributed with that mean, which must be > 0.
 *
 * @example
 * ```ts
 * parseLabelDelay('500ms'); // => {"kind":"fixed","ms":500}
 * parseLabelDelay('uniform:1s-5s'); // => {"kind":"uniform","minMs":1000,"maxMs":5000}
 * parseLabelDelay('exp:2s'); // => {"kind":"exponential","meanMs":2000}
 * ```
 */
export function parseLabelDelay(spec: string): LabelDelay {
  const text = spec.trim();
  const colon = text.indexOf(':');
  const kind = colon === -1 ? 'fixed' : text.slice(0, colon).toLowerCase();
  const rest = colon === -1 ? text : text.slice(colon + 1);
  const duration = (part: string): number => {
    try {
      return parseDuration(part);
    } catch {
      throw badDelay(spec, `${JSON.stringify(part)} is not a duration`);
    }
  };
  switch (kind) {
    case 'fixed':
      return checkLabelDelay({ kind: 'fixed', ms: duration(rest) }, spec);
    case 'uniform': {
      const dash = rest.indexOf('-');
      if (dash === -1) throw badDelay(spec, 'uniform needs <min>-<max>, like uniform:1s-5s');
      return checkLabelDelay(
        {
          kind: 'uniform',
          minMs: duration(rest.slice(0, dash)),
          maxMs: duration(rest.slice(dash + 1)),
        },
        spec,
      );
    }
    case 'exp':
    case 'exponential':
      return checkLabelDelay({ kind: 'exponential', meanMs: duration(rest) }, spec);
    default:
      throw badDelay(spec, `unknown kind ${JSON.stringify(kind)}`);
  }
}

/**
 * Validates a label delay given as an object (the API's callers skip the parser), naming `spec`
 * (the user's text, when there was one) in the error.
 */
export function checkLabelDelay(delay: LabelDelay, spec = JSON.stringify(delay)): LabelDelay {
  const valid = (ms: number): boolean => Number.isFinite(ms) && ms >= 0;
  switch (delay.kind) {
    case 'fixed':
      if (!valid(delay.ms)) throw badDelay(spec, 'the delay must be ≥ 0');
      return delay;
    case 'uniform':
      if (!valid(delay.minMs) || !valid(delay.maxMs)) throw badDelay(spec, 'bounds must be ≥ 0');
      if (delay.maxMs < delay.minMs) {
        throw badDelay(
          spec,
          `the minimum (${formatDuration(delay.minMs)}) is above the maximum (${formatDuration(delay.maxMs)})`,
        );
      }
      return delay;
    case 'exponential':
      if (!valid(delay.meanMs) || delay.meanMs === 0) throw badDelay(spec, 'the mean must be > 0');
      return delay;
  }
}

/** For summaries: `2s`, `uniform 1s–5s`, `exponential, mean 2s`. */
export function formatLabelDelay(delay: LabelDelay): string {
  switch (delay.kind) {
    case 'fixed':
      return formatDuration(delay.ms);
    case 'uniform':
      return `uniform ${formatDuration(delay.minMs)}–${formatDuration(delay.maxMs)}`;
    case 'exponential':
      return `exponential, mean ${formatDuration(delay.meanMs)}`;
  }
}

function badDelay(spec: string, why: string): CliError {
  return new CliError(
    'DW_CLI_BAD_LABEL_DELAY',
    `${JSON.stringify(spec)} is not a label delay (${why}); write ${forms}`,
    { input: spec },
  );
}
