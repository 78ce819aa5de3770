// What other packages use of the CLI; the commands themselves are registered in main.ts.
export { CliError, type CliErrorCode } from './errors.js';
export { formatDuration, parseDuration } from './duration.js';
export { parseLabelDelay } from './label-delay.js';
export { parseTimePoint } from './time-point.js';
export { parseRate } from './number-options.js';
