import type { Logger } from '@driftwatch/service-kit';

import type { JoinerDiagnostics } from './diagnostics.js';
import type { RedisJoinStore } from './join-store.js';

/** Every interval, counts and forgets pairs whose other half never came; reports the backlog. */
export function startExpirySweeper(options: {
  store: Pick<RedisJoinStore, 'sweepExpired' | 'backlog'>;
  intervalMs: number;
  now: () => number;
  diagnostics: JoinerDiagnostics;
  logger: Logger;
}): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const sweep = async (): Promise<void> => {
    try {
      const { expiredPredictions, orphanLabels } = await options.store.sweepExpired(options.now());
      options.diagnostics.expired(expiredPredictions, orphanLabels);
      if (expiredPredictions + orphanLabels > 0) {
        options.logger.info(
          { event: 'join.expired', expiredPredictions, orphanLabels },
          'pairs expired unjoined',
        );
      }
      options.diagnostics.backlog(await options.store.backlog());
    } catch (error) {
      options.logger.warn(
        { event: 'join.sweep_failed', err: error },
        'expiry sweep failed; will retry',
      );
    }
  };
  const timer = setInterval(() => {
    running = running.then(sweep);
  }, options.intervalMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
