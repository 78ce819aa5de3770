export interface Interrupt {
  /** Aborted on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** Removes the handlers, so a later signal ends the process as usual. */
  dispose(): void;
}

/**
 * Turns Ctrl-C (and SIGTERM) into an abort a command watches, so it can flush and disconnect
 * before it exits. A second signal exits at once with 130, for a person who really means it.
 */
export function onInterrupt(): Interrupt {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
