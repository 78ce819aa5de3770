import { connectServiceBus, followTopic } from '@driftwatch/bus';
import { runService } from '@driftwatch/service-kit';
import { topicNames } from '@driftwatch/topics';

import { checkFalseAlarmBudget, detectorEnv, detectorOptions } from './config.js';
import { createDetectorHandler } from './create-detector-handler.js';
import { createDetectorDiagnostics } from './diagnostics.js';
import { internalTopicNames } from './internal-topics.js';
import { createDetectorStores } from './detector-stores.js';
import { restoreAfterRebalance } from './restore-after-rebalance.js';
import { restoreFromChangelog } from './restore-from-changelog.js';
import { workerAlarmCalibrator } from './worker-alarm-calibrator.js';

await runService({
  name: 'detector',
  env: detectorEnv,
  start: async ({ config, logger, metrics, health, shutdown }) => {
    checkFalseAlarmBudget(config);
    const internal = internalTopicNames(config.TOPIC_PREFIX);
    const consumes = topicNames(config.TOPIC_PREFIX);
    const diagnostics = createDetectorDiagnostics(metrics, {
      consumedTopics: [internal.sketches, consumes.predictionsLabeled],
    });
    const sizing = {
      partitions: config.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    };
    const bus = await connectServiceBus({
      service: 'detector',
      config,
      logger,
      groupId: config.DETECTOR_GROUP_ID,
      topics: [
        'predictionsLabeled',
        'modelVersions',
        'driftAlerts',
        'retrainRequested',
        'deadLetter',
      ],
      extraTopics: [
        { topic: internal.sketches, ...sizing, configs: {} },
        { topic: internal.state, ...sizing, configs: { 'cleanup.policy': 'compact' } },
      ],
      // A model's retrain policy is fed from both, keyed by model: one member must own both.
      coPartitioned: [topicNames(config.TOPIC_PREFIX).predictionsLabeled, internal.sketches],
      signal: shutdown.signal,
    });
    const { kafka, names, codecs, deployment } = bus;

    const options = detectorOptions(config);

    const registryFollower = await bus.followRegistry();
    const { registry } = registryFollower;
    const unrevivable = (key: string, error: unknown): void => {
      logger.warn(
        { event: 'state.unrevivable', key, err: error },
        'state snapshot cannot be continued; starting afresh',
      );
    };
    const { concept, data, policies } = createDetectorStores(options, registry, unrevivable);
    const changelog = await followTopic({
      kafka,
      topic: internal.state,
      logger,
      groupIdPrefix: deployment.followerGroupPrefix('detector', 'restore'),
      onRecord: (record) => {
        restoreFromChangelog(record, { concept, data, policies }, logger);
      },
    });
    await Promise.all([registryFollower.caughtUp, changelog.caughtUp]);
    logger.info(
      { event: 'state.restored', models: registry.models() },
      'registry and state restored',
    );

    const detect = createDetectorHandler({
      names,
      internal,
      codecs,
      registry,
      refreshRegistry: () => registryFollower.catchUp(),
      concept,
      data,
      policies,
      options,
      now: Date.now,
      // Seconds of CPU for a version published without a calibration: off the event loop.
      calibrator: workerAlarmCalibrator,
      diagnostics,
    });
    const { handle, onGroupJoin } = restoreAfterRebalance(detect, {
      catchUp: () => changelog.catchUp(),
      concept,
      data,
      policies,
    });
    const processor = await bus.startProcessor({
      kafkaHealth: health.dependency('kafka'),
      topics: [internal.sketches, names.predictionsLabeled],
      handle,
      onGroupJoin,
      coPartitioned: true,
      partitionsConcurrently: config.DETECTOR_CONCURRENT_PARTITIONS,
      logger,
      diagnostics,
    });
    health.watch('processor', processor.healthy);
    return {
      done: Promise.race([processor.done, registryFollower.failed, changelog.failed]),
      stop: async () => {
        await processor.stop();
        await changelog.stop();
        await registryFollower.stop();
      },
    };
  },
});
