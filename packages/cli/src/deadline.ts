import { CliError } from './errors.js';

/**
 * `promise`, or a DW_CLI_TIMEOUT naming `what` after `ms`: a command reading Kafka ends with a
 * message rather than waiting forever on a consumer group that never gets its partitions.
 */
export async function withinDeadline<Value>(
  promise: Promise<Value>,
  ms: number,
  what: string,
): Promise<Value> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(
        new CliError('DW_CLI_TIMEOUT', `${what} did not finish within ${ms / 1000} s`, {
          retriable: true,
        }),
      );
    }, ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
