import type { Logger } from './logger.js';

export interface Shutdown {
  /**
   * Aborted on the first SIGTERM/SIGINT, when the parent that started the process with an IPC
   * channel is gone, or on `trigger`; long-running loops watch it.
   */
  readonly signal: AbortSignal;
  /** Resolves when the process has been asked to stop. */
  readonly requested: Promise<string>;
  trigger(reason: string): void;
  /** Removes the signal handlers, so a later signal ends the process as usual. */
  dispose(): void;
}

/**
 * One place that turns SIGTERM/SIGINT (Ctrl-C) into an orderly stop, for a service and for a CLI
 * command alike: the service's main awaits `requested`, then finishes its batch, commits and
 * closes in its own order; a command watches `signal`, flushes and disconnects. A second signal
 * while stopping exits at once with 130, for the person who really means it. With a `logger`, the
 * request and a forced exit are logged (a CLI passes none: its output is for a person).
 */
export function createShutdown(logger?: Logger): Shutdown {
  const controller = new AbortController();
  let resolveRequested: (reason: string) => void = () => undefined;
  const requested = new Promise<string>((resolve) => {
    resolveRequested = resolve;
  });
  const trigger = (reason: string): void => {
    if (controller.signal.aborted) return;
    logger?.info({ event: 'shutdown.requested', reason }, 'shutting down');
    controller.abort(reason);
    resolveRequested(reason);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      logger?.warn({ event: 'shutdown.forced', signal }, 'second signal: exiting now');
      process.exit(130);
    }
    trigger(signal);
  };
  const signals = ['SIGTERM', 'SIGINT'] as const;
  for (const signal of signals) process.on(signal, onSignal);
  // A process started with an IPC channel (by `startService`: the demo, the tests, the benches)
  // stops when its parent is gone, however it went: the OS closes the channel, even on SIGKILL,
  // and Node says 'disconnect'. Without this a killed demo left its services running, holding
  // their consumer groups. Unreferenced, the channel keeps nobody alive.
  const onParentGone = (): void => {
    trigger('parent exited');
  };
  if (process.channel) {
    process.once('disconnect', onParentGone);
    process.channel.unref();
  }
  return {
    signal: controller.signal,
    requested,
    trigger,
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal);
      process.off('disconnect', onParentGone);
    },
  };
}
