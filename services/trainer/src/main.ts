import { connectServiceBus, readTimeRange } from '@driftwatch/bus';
import { MlflowClient, MlflowTracker } from '@driftwatch/mlflow';
import { runService } from '@driftwatch/service-kit';

import { checkPromotion, trainerEnv } from './config.js';
import { createTrainerDiagnostics } from './diagnostics.js';
import { createTrainerHandler } from './create-trainer-handler.js';
import { startMlflowSync, type MlflowSync } from './mlflow-sync.js';
import { readTrainingWindow } from './read-training-window.js';

await runService({
  name: 'trainer',
  env: trainerEnv,
  start: async ({ config, logger, metrics, health, shutdown }) => {
    checkPromotion(config);
    const diagnostics = createTrainerDiagnostics(metrics);
    const bus = await connectServiceBus({
      service: 'trainer',
      config,
      logger,
      groupId: config.TRAINER_GROUP_ID,
      topics: ['retrainRequested', 'predictionsLabeled', 'modelVersions', 'deadLetter'],
      signal: shutdown.signal,
    });
    const { kafka, names, codecs } = bus;
    let mlflow: MlflowSync | undefined;
    const registryFollower = await bus.followRegistry({
      onVersion: (version) => {
        diagnostics.modelSeen(version.model);
        mlflow?.poke();
      },
    });
    await registryFollower.caughtUp;
    if (config.MLFLOW_TRACKING_URI !== '') {
      mlflow = startMlflowSync({
        tracker: new MlflowTracker(new MlflowClient({ trackingUri: config.MLFLOW_TRACKING_URI })),
        registry: registryFollower.registry,
        logger,
        diagnostics,
        intervalMs: config.MLFLOW_RETRY_INTERVAL,
      });
    }

    if (config.TRAINER_COMMAND.length > 0) {
      logger.info(
        {
          event: 'training.command_configured',
          argv: config.TRAINER_COMMAND,
          cwd: process.cwd(),
          timeoutMs: config.TRAINER_COMMAND_TIMEOUT,
        },
        `challengers come from ${JSON.stringify(config.TRAINER_COMMAND)}, run in ${process.cwd()}`,
      );
    }

    const readWindow = readTrainingWindow({
      readRecords: (fromTs, toTs, keep) =>
        readTimeRange({ kafka, topic: names.predictionsLabeled, fromTs, toTs, filter: keep }),
      codec: codecs.predictionsLabeled,
    });

    const processor = await bus.startProcessor({
      kafkaHealth: health.dependency('kafka'),
      // model-versions too, to dead-letter what no registry follower can read (see the handler).
      topics: [names.retrainRequested, names.modelVersions],
      handle: createTrainerHandler({
        names,
        codecs,
        registry: registryFollower.registry,
        refreshRegistry: () => registryFollower.catchUp(),
        readWindow,
        policy: {
          candidate: {
            family: config.TRAINER_MODEL_FAMILY,
            training: {
              logistic: { l2: config.TRAINER_L2 },
              mlp: {
                l2: config.TRAINER_L2,
                hiddenUnits: config.TRAINER_MLP_HIDDEN_UNITS,
                epochs: config.TRAINER_MLP_EPOCHS,
                seed: config.TRAINER_SEED,
              },
            },
            referenceBins: config.TRAINER_REFERENCE_BINS,
            calibration: config.TRAINER_CALIBRATION,
            calibrationFolds: config.TRAINER_CALIBRATION_FOLDS,
          },
          command:
            config.TRAINER_COMMAND.length > 0
              ? {
                  argv: config.TRAINER_COMMAND,
                  cwd: process.cwd(),
                  timeoutMs: config.TRAINER_COMMAND_TIMEOUT,
                  env: process.env,
                }
              : null,
          holdoutFraction: config.TRAINER_HOLDOUT_FRACTION,
          minRows: config.TRAINER_MIN_ROWS,
          maxRows: config.TRAINER_MAX_ROWS,
          windows: { sizes: config.TRAINER_WINDOWS, lookbackMs: config.TRAINER_LOOKBACK },
          mode: config.PROMOTION_MODE,
          shadow:
            config.PROMOTION_STAGE === 'shadow'
              ? {
                  minLabeled: config.SHADOW_MIN_LABELED,
                  minGain: config.SHADOW_MIN_GAIN,
                  mcnemarAlpha:
                    config.SHADOW_MCNEMAR_ALPHA > 0 ? config.SHADOW_MCNEMAR_ALPHA : null,
                }
              : null,
          criteria: {
            metric: config.PROMOTION_METRIC,
            minGain: config.PROMOTION_MIN_GAIN,
            minHoldout: config.PROMOTION_MIN_HOLDOUT,
            ...(config.PROMOTION_MCNEMAR_ALPHA > 0
              ? { mcnemarAlpha: config.PROMOTION_MCNEMAR_ALPHA }
              : {}),
          },
        },
        now: Date.now,
        diagnostics,
        logger,
      }),
      logger,
      diagnostics,
    });
    health.watch('processor', processor.healthy);
    return {
      done: Promise.race([processor.done, registryFollower.failed]),
      stop: async () => {
        await processor.stop();
        await registryFollower.stop();
        await mlflow?.stop();
      },
    };
  },
});
