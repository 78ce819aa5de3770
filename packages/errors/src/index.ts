export { DriftwatchError } from './driftwatch-error.js';
export { optionChecks, type OptionChecks } from './option-checks.js';
