import { CliError } from './errors.js';

/**
 * `run`'s result, or a DW_CLI_TIMEOUT naming `what` after `ms`: a command reading Kafka ends with
 * a message rather than waiting forever on a consumer group that never gets its partitions. `run`
 * gets an `AbortSignal.timeout(ms)` to stop its reading with; whether it does or not, the
 * deadline holds. That timer does not keep the process alive by itself: it is for a run waiting on
 * I/O, whose socket does.
 */
export async function withinDeadline<Value>(
  ms: number,
  what: string,
  run: (signal: AbortSignal) => Promise<Value>,
): Promise<Value> {
  const signal = AbortSignal.timeout(ms);
  const expired = (): CliError =>
    new CliError('DW_CLI_TIMEOUT', `${what} did not finish within ${ms / 1000} s`, {
      retriable: true,
    });
  const running = run(signal);
  return new Promise<Value>((resolve, reject) => {
    const onAbort = (): void => {
      reject(expired());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    running.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}
