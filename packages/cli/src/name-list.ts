import { CliError } from './errors.js';

/**
 * A comma-separated list of distinct non-empty names, such as `--features a,b,c` or `--classes
 * setosa,versicolor,virginica`; spaces around each name are dropped.
 *
 * @example
 * ```ts
 * parseNameList('sepal_length, sepal_width'); // => ["sepal_length", "sepal_width"]
 * ```
 */
export function parseNameList(spec: string): string[] {
  const names = spec.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) {
    throw new CliError(
      'DW_CLI_BAD_OPTION',
      `${JSON.stringify(spec)}: expected names separated by commas, with none empty`,
      { input: spec },
    );
  }
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) {
    throw new CliError('DW_CLI_BAD_OPTION', `${JSON.stringify(spec)}: names ${repeated} twice`, {
      input: spec,
    });
  }
  return names;
}
