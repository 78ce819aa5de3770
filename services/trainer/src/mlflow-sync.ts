import type { ModelRegistry } from '@driftwatch/bus';
import type { MlflowTracker } from '@driftwatch/mlflow';
import type { Logger } from '@driftwatch/service-kit';

import type { TrainerDiagnostics } from './diagnostics.js';

export interface MlflowSync {
  /** Something changed on model-versions: sync soon. */
  poke(): void;
  stop(): Promise<void>;
}

/**
 * Keeps MLflow a mirror of model-versions beside the trainer, off its path: a sync (every model's
 * versions through `MlflowTracker.track`) runs when poked — a version arrived — and every
 * `intervalMs` while the last one failed. A failure is logged and counted, and the next sync
 * tries again from what MLflow holds, so an MLflow outage never blocks or fails a training and
 * loses no run: what was published while it was down is logged when it is back. One sync at a
 * time; pokes during one run it again after.
 */
export function startMlflowSync(options: {
  tracker: Pick<MlflowTracker, 'track'>;
  registry: Pick<ModelRegistry, 'models' | 'versions'>;
  logger: Logger;
  diagnostics: Pick<TrainerDiagnostics, 'mlflowSynced' | 'mlflowFailed'>;
  intervalMs: number;
}): MlflowSync {
  const { tracker, registry, logger, diagnostics } = options;
  // One object, not three variables: the loop reads what poke() and stop() change meanwhile.
  const state = { due: true, failing: false, stopped: false };
  let wake: (() => void) | undefined;

  async function syncOnce(): Promise<void> {
    for (const model of registry.models()) {
      const outcome = await tracker.track(registry.versions(model));
      diagnostics.mlflowSynced(outcome.logged.length);
      if (outcome.logged.length > 0 || outcome.restated.length > 0 || outcome.champion !== null) {
        logger.info(
          { event: 'mlflow.synced', model, ...outcome },
          `MLflow: ${model} runs logged for ${outcome.logged.map((v) => `v${v}`).join(', ') || 'none'}${outcome.champion === null ? '' : `; champion alias → v${outcome.champion}`}`,
        );
      }
    }
  }

  const changedMeanwhile = (): Readonly<typeof state> => state;

  const loop = (async () => {
    while (!state.stopped) {
      if (state.due) {
        state.due = false;
        try {
          await syncOnce();
          if (state.failing)
            logger.info({ event: 'mlflow.recovered' }, 'MLflow reachable again; synced');
          state.failing = false;
        } catch (error) {
          diagnostics.mlflowFailed();
          if (!state.failing) {
            logger.warn(
              { event: 'mlflow.sync_failed', err: error },
              `MLflow sync failed; retrying every ${options.intervalMs} ms (training is not affected)`,
            );
          }
          state.failing = true;
        }
      }
      // Read afresh: stop() and poke() may have run during the sync.
      if (changedMeanwhile().stopped) break;
      // Poked during a sync that worked: sync again at once.
      if (changedMeanwhile().due && !state.failing) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        // While failing, retry on a timer (or sooner when poked); otherwise sleep until poked.
        if (state.failing) setTimeout(resolve, options.intervalMs).unref();
      });
      wake = undefined;
      if (state.failing) state.due = true;
    }
  })();

  return {
    poke() {
      state.due = true;
      wake?.();
    },
    async stop() {
      state.stopped = true;
      wake?.();
      // A sync stuck on an MLflow that hangs must not hold shutdown: what it did not log, the
      // next start logs.
      await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    },
  };
}
