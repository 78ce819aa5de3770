import type { Logger } from 'pino';

export interface Shutdown {
  /** Aborted on the first SIGTERM/SIGINT (or `trigger`); long-running loops watch it. */
  readonly signal: AbortSignal;
  /** Resolves when the process has been asked to stop. */
  readonly requested: Promise<string>;
  trigger(reason: string): void;
}

/**
 * One place that turns SIGTERM/SIGINT into an orderly stop: the service's main awaits
 * `requested`, then finishes its batch, commits and closes in its own order. A second signal
 * while stopping exits at once, for the operator who really means it.
 */
export function createShutdown(logger: Logger): Shutdown {
  const controller = new AbortController();
  let resolveRequested: (reason: string) => void = () => undefined;
  const requested = new Promise<string>((resolve) => {
    resolveRequested = resolve;
  });
  const trigger = (reason: string): void => {
    if (controller.signal.aborted) return;
    logger.info({ event: 'shutdown.requested', reason }, 'shutting down');
    controller.abort(reason);
    resolveRequested(reason);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (controller.signal.aborted) {
        logger.warn({ event: 'shutdown.forced', signal }, 'second signal: exiting now');
        process.exit(130);
      }
      trigger(signal);
    });
  }
  return { signal: controller.signal, requested, trigger };
}
