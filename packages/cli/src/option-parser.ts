import { InvalidArgumentError } from 'commander';

import { CliError } from './errors.js';

/**
 * Adapts one of this package's parsers to commander, so a bad option is reported the way commander
 * reports its own usage errors: naming the option, with the parser's reason.
 */
export function optionParser<Value>(parse: (spec: string) => Value): (spec: string) => Value {
  return (spec) => {
    try {
      return parse(spec);
    } catch (error) {
      if (error instanceof CliError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}
