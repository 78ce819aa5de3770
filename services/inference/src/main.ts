import { connectServiceBus, featureSketchTopic } from '@driftwatch/bus';
import { loadVersionScorer } from '@driftwatch/model';
import { runService } from '@driftwatch/service-kit';
import { topicNames } from '@driftwatch/topics';

import { inferenceEnv } from './config.js';
import { createInferenceDiagnostics } from './diagnostics.js';
import { createInferenceHandler } from './score-batch.js';
import { ServingModels } from './serving-models.js';

await runService({
  name: 'inference',
  env: inferenceEnv,
  start: async ({ config, logger, metrics, health, shutdown }) => {
    const diagnostics = createInferenceDiagnostics(metrics, {
      onEdgeCaseMilestone: (model, found, judged) => {
        logger.info(
          { event: 'edge_cases.count', model, edgeCases: found, samples: judged },
          `${model}: ${found} edge cases identified out of ${judged} total samples`,
        );
      },
    });
    const sketchTopic = featureSketchTopic(config.TOPIC_PREFIX);
    const bus = await connectServiceBus({
      service: 'inference',
      config,
      logger,
      groupId: config.INFERENCE_GROUP_ID,
      // predictions-labeled only to size the sketch topic after it: the detector keeps one state
      // per model across both, so they must have as many partitions whoever creates them first.
      topics: [
        'events',
        'predictions',
        'predictionsLabeled',
        'edgeCases',
        'modelVersions',
        'deadLetter',
      ],
      extraTopics: [
        {
          topic: sketchTopic,
          partitions: config.KAFKA_TOPIC_PARTITIONS,
          replicationFactor: config.KAFKA_REPLICATION_FACTOR,
          configs: {},
        },
      ],
      coPartitioned: [topicNames(config.TOPIC_PREFIX).predictionsLabeled, sketchTopic],
      signal: shutdown.signal,
    });
    const { names, codecs } = bus;

    const models = new ServingModels(
      (version) => loadVersionScorer(version),
      (version, error) => {
        diagnostics.modelLoadFailed(version.model, version.version);
        logger.error(
          {
            event: 'model.load_failed',
            model: version.model,
            version: version.version,
            err: error,
          },
          'promoted model version could not be loaded; still serving the previous one',
        );
      },
      {
        edgeCases: config.INFERENCE_EDGE_CASES && {
          distanceQuantile: config.INFERENCE_EDGE_CASE_QUANTILE,
          growthFactor: config.INFERENCE_EDGE_CASE_GROWTH,
          window: config.INFERENCE_EDGE_CASE_WINDOW,
        },
        onEdgeCasesOff: (version, error) => {
          logger.warn(
            {
              event: 'model.edge_cases_off',
              model: version.model,
              version: version.version,
              err: error,
            },
            "the version's reference clusters could not be read; it serves without edge cases",
          );
        },
      },
    );
    const follower = await bus.followRegistry({
      onVersion: async (version) => {
        const outcome = await models.apply(version);
        if (outcome === 'served') {
          diagnostics.serving(version.model, version.version);
          logger.info(
            { event: 'model.swapped', model: version.model, version: version.version },
            'now serving',
          );
        }
        if (outcome === 'served' || outcome === 'shadowing' || outcome === 'shadow-ended') {
          const shadows = models.shadowVersions()[version.model] ?? [];
          diagnostics.shadowing(version.model, shadows);
          if (outcome !== 'served') {
            logger.info(
              { event: 'model.shadow', model: version.model, version: version.version, shadows },
              outcome === 'shadowing'
                ? `v${version.version} on trial as a shadow: it scores every event, serves none`
                : `shadow v${version.version} retired`,
            );
          }
        }
        if (outcome === 'served' || outcome === 'split' || outcome === 'split-ended') {
          const split = models.splitVersions()[version.model];
          diagnostics.splitting(version.model, split?.version ?? 0, split?.traffic ?? 0);
          if (outcome !== 'served') {
            logger.info(
              { event: 'model.split', model: version.model, candidate: split ?? null },
              split
                ? `A/B split: v${split.version} scores ${(split.traffic * 100).toFixed(1)}% of events`
                : `A/B split of v${version.version} ended`,
            );
          }
        }
      },
    });
    await follower.caughtUp;
    await models.goLive();
    for (const [model, version] of Object.entries(models.servedVersions()))
      diagnostics.serving(model, version);
    for (const [model, split] of Object.entries(models.splitVersions()))
      diagnostics.splitting(model, split.version, split.traffic);
    for (const [model, versions] of Object.entries(models.shadowVersions()))
      diagnostics.shadowing(model, versions);
    logger.info(
      { event: 'models.ready', serving: models.servedVersions() },
      'model registry caught up',
    );

    const processor = await bus.startProcessor({
      kafkaHealth: health.dependency('kafka'),
      topics: [names.events],
      handle: createInferenceHandler({
        names,
        sketchTopic,
        codecs,
        models,
        threshold: config.INFERENCE_THRESHOLD > 0 ? config.INFERENCE_THRESHOLD : undefined,
        now: Date.now,
        diagnostics,
        onShadowFailure: (shadow, error) => {
          logger.warn(
            {
              event: 'model.shadow_failed',
              model: shadow.model,
              version: shadow.version,
              err: error,
            },
            `shadow v${shadow.version} failed to score a batch; its predictions of that batch are left out, serving is not affected`,
          );
        },
      }),
      logger,
      diagnostics,
    });
    health.watch('processor', processor.healthy);
    return {
      done: Promise.race([processor.done, follower.failed]),
      stop: async () => {
        await processor.stop();
        await follower.stop();
        await models.releaseAll();
      },
    };
  },
});
