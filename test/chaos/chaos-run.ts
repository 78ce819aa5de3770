import { join } from 'node:path';

import { createSilentKafkaClient, deploymentNames, featureSketchTopic } from '@driftwatch/bus';
import { eventId, seaStream } from '@driftwatch/datasets';
import { replayStream, repoRoot, type ServiceName } from '@driftwatch/demo';
import { readStackConfig, startKafka, startRedis, stopKafka, stopRedis } from '@driftwatch/stack';
import type { DriftAlert, RetrainRequest } from '@driftwatch/topics';

import { testKafka } from '../support/environment.js';
import { createTestPipeline, publishModelVersion, seaModelVersion } from '../support/pipeline.js';
import { collectTopic, type ReadRecord } from '../support/topic-reader.js';
import { chaosPlan, type FleetMember, type PlannedAction } from './chaos-plan.js';
import { CommitMonitor } from './commit-monitor.js';
import { countDeliveries, type DeliveryCount } from './delivery-count.js';
import { alertSignature, compareSignatures, requestSignature } from './detector-signatures.js';
import { Fleet, type UnexpectedExit } from './fleet.js';
import { medianAndMax, recoveryMs } from './recovery-times.js';
import { runReferenceDetector } from './reference-detector.js';
import { checkVersionOrder, type VersionOrderCheck } from './version-order.js';
import { waitUntilCommitted } from './wait-until-committed.js';

export interface ChaosOptions {
  seed: number;
  events: number;
  /** Events per second of the steady load. */
  rate: number;
  kills: number;
  /** SIGSTOPs longer than the session timeout: the member wakes up a zombie (issue 18). */
  freezes: number;
  freezeMs: number;
  /** Add-then-remove cycles of an extra instance (a rebalance storm). */
  stormCycles: number;
  /** The isolated stack's variables (`isolatedStackEnv`), already up. */
  stackEnv: Record<string, string>;
  logDir?: string;
  /** Overall safety net for each wait; a failure then names what is missing. */
  timeoutMs: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  events: number;
  /** Distinct events whose label arrived at least once. */
  labeled: number;
  kills: number;
  freezes: number;
  restarts: number;
  /** Stale copies of a member found running at its restart (a harness race), killed. */
  strays: number;
  rebalances: number;
  lost: number;
  duplicated: number;
  predictions: DeliveryCount;
  joined: DeliveryCount;
  /** Edge cases against the committed predictions inference marked as such: each once. */
  edgeCases: DeliveryCount;
  alerts: { disturbed: number; undisturbed: number; missing: string[]; extra: string[] };
  requests: { disturbed: number; undisturbed: number; missing: string[]; extra: string[] };
  versions: VersionOrderCheck & { published: number };
  unexpectedExits: UnexpectedExit[];
  /** Milliseconds from each kill to its group committing again on the victim's partitions. */
  recovery: {
    median: number;
    max: number;
    measured: number;
    byService: Partial<Record<ServiceName, { median: number; max: number; measured: number }>>;
  } | null;
  /** Kills after which the group never committed on the victim's partitions (nothing arrived). */
  unmeasuredKills: number;
  plan: PlannedAction[];
}

const model = 'sea';

/** Two instances each of inference, joiner and detector, so every kill moves partitions. */
export const chaosMembers: readonly FleetMember[] = [
  { name: 'inference-1', service: 'inference' },
  { name: 'inference-2', service: 'inference' },
  { name: 'joiner-1', service: 'joiner' },
  { name: 'joiner-2', service: 'joiner' },
  { name: 'detector-1', service: 'detector' },
  { name: 'detector-2', service: 'detector' },
  { name: 'trainer-1', service: 'trainer' },
];

/**
 * Detector and trainer tuning that makes the detector's output a function of its input alone:
 * ADWIN alerts once per version (a cooldown longer than any run), no wall-clock or volume
 * policies — so one drift asks for one retrain, however fast the trainer answers — and the
 * closed loop's sizes for streams of a few thousand events.
 *
 * Raw thresholds, not the default false-alarm budget: the disturbed detector and the undisturbed
 * one it is compared with read `predictions-labeled`'s partitions interleaved as their fetches
 * fell, so one model's error stream reaches ADWIN in two orders. At the raw δ (0.002) ADWIN
 * fires where the stream's drift is plain in either order; at the budget's (about 0.01 for these
 * settings) it once fired on a rise from 15.5% to 16.6% errors, and the two runs' alerts and
 * requests differed (one missing, one extra each): a detection that close depends on the order.
 */
export const chaosServiceEnv: Record<string, string> = {
  DETECTOR_FALSE_ALARM_EVERY: '0',
  DETECTOR_WINDOW: '500',
  DETECTOR_ADWIN_COOLDOWN: '100000000',
  DETECTOR_BLOCK_SIZE: '500',
  DETECTOR_BLOCK_ACCURACY_THRESHOLD: '0',
  RETRAIN_ON_DRIFT: 'true',
  RETRAIN_INTERVAL_MS: '0',
  RETRAIN_AFTER_LABELED: '0',
  RETRAIN_AFTER_EDGE_CASES: '0',
  RETRAIN_ACCURACY_BELOW: '0',
  RETRAIN_MIN_ROWS: '300',
  TRAINER_MIN_ROWS: '300',
  PROMOTION_MIN_HOLDOUT: '100',
};

/**
 * Issue 10's chaos run: the four services (two instances of three) under a steady seeded SEA
 * load with a concept drift and late, duplicated and missing labels, while a seeded plan kills,
 * restarts and freezes instances and restarts Redis and the broker; then it drains and checks,
 * from the topics read back read_committed, that nothing was lost or duplicated.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const brokers = [options.stackEnv['KAFKA_BROKERS'] ?? ''];
  const kafka = testKafka(brokers);
  // The rest of the environment too: the stack finds java and redis-server on its PATH.
  const stack = readStackConfig({ ...process.env, ...options.stackEnv });
  const logDir = options.logDir ?? join(repoRoot, '.cache', 'chaos-logs');
  const pipeline = await createTestPipeline(kafka);
  const deployment = deploymentNames(pipeline.prefix);
  const features = featureSketchTopic(pipeline.prefix);
  const { names } = pipeline;
  const serviceEnv = {
    KAFKA_BROKERS: brokers.join(','),
    REDIS_URL: options.stackEnv['REDIS_URL'] ?? '',
    ...pipeline.env,
    ...chaosServiceEnv,
  };

  // The load rides out the broker restart: a send waits for the broker instead of failing.
  const loadRetry = { retries: 100, initialRetryTime: 300, maxRetryTime: 2000 };
  const producer = createSilentKafkaClient({
    brokers,
    clientId: 'driftwatch-chaos-load',
    retry: loadRetry,
  }).producer({ idempotent: true, retry: loadRetry });
  await producer.connect();
  await publishModelVersion(producer, pipeline, await seaModelVersion({ model, version: 1 }));

  const fleet = new Fleet({
    env: serviceEnv,
    logDir,
    groupOf: (service) => deployment.consumerGroup(service),
  });
  const monitor = new CommitMonitor(kafka, [
    { group: deployment.consumerGroup('inference'), topics: [names.events] },
    { group: deployment.consumerGroup('joiner'), topics: [names.predictions, names.labels] },
    {
      group: deployment.consumerGroup('detector'),
      topics: [features, names.predictionsLabeled],
    },
    { group: deployment.consumerGroup('trainer'), topics: [names.retrainRequested] },
  ]);
  const plan = chaosPlan({
    seed: options.seed,
    events: options.events,
    members: chaosMembers,
    kills: options.kills,
    freezes: options.freezes,
    stormCycles: options.stormCycles,
  });
  let freezes = 0;
  try {
    log(`starting ${chaosMembers.length} instances under prefix ${pipeline.prefix}`);
    await fleet.add(chaosMembers);
    monitor.start();

    // The stack restarts one at a time; kills and freezes run beside them.
    let stackTurn = Promise.resolve();
    const running: Promise<unknown>[] = [];
    const failures: string[] = [];
    const perform = (step: PlannedAction): Promise<unknown> => {
      const { action } = step;
      log(`at event ${step.atEvent}: ${JSON.stringify(action)}`);
      switch (action.kind) {
        case 'kill':
          return fleet.kill(action.member);
        case 'freeze':
          freezes++;
          return fleet.freeze(action.member, options.freezeMs);
        case 'add-instance':
          fleet.addExtra(action.service);
          return Promise.resolve();
        case 'remove-instance':
          return fleet.removeExtra(action.service);
        case 'restart-redis':
          return (stackTurn = stackTurn.then(async () => {
            await stopRedis(stack, { wipe: false });
            await startRedis(stack, log);
          }));
        case 'restart-broker':
          return (stackTurn = stackTurn.then(async () => {
            await stopKafka(stack, { wipe: false });
            await startKafka(stack, log);
          }));
      }
    };
    const pending = [...plan];
    const due = (sent: number): void => {
      while (pending[0] && pending[0].atEvent <= sent) {
        const step = pending.shift();
        // Caught at once, or a failure during the replay is an unhandled rejection; thrown below.
        if (step)
          running.push(
            perform(step).catch((error: unknown) => {
              failures.push(`${JSON.stringify(step.action)}: ${String(error)}`);
            }),
          );
      }
    };

    const rows = [
      ...seaStream({
        seed: options.seed,
        length: options.events,
        concepts: [
          { start: 0, threshold: 7 },
          { start: Math.floor(options.events * 0.4), threshold: 10 },
        ],
      }),
    ];
    log(`replaying ${rows.length} events at ${options.rate}/s`);
    const replayed = await replayStream({
      producer,
      codecs: pipeline.codecs,
      names,
      model,
      streamName: 'chaos',
      rows,
      rate: options.rate,
      schedule: {
        seed: options.seed,
        labelDelay: { kind: 'uniform', minMs: 100, maxMs: 5000 },
        missingLabelRate: 0.05,
        duplicateLabelRate: 0.05,
      },
      onProgress: ({ events }) => {
        due(events);
      },
    });
    due(Number.POSITIVE_INFINITY);
    await Promise.all(running);
    if (failures.length > 0) throw new Error(`chaos actions failed: ${failures.join('; ')}`);
    await fleet.settled();
    log(`replayed ${replayed.events} events and ${replayed.labels} labels; draining`);

    // What should be there: every event once, and every label that was sent joined once.
    const eventIds = rows.map((row) => eventId('chaos', row.index));
    const labelReader = await collectTopic(kafka, names.labels);
    await labelReader.waitFor(replayed.labels, options.timeoutMs);
    const labeledIds = new Set(
      await Promise.all(
        labelReader.records.map(async (r) => (await pipeline.codecs.labels.decode(r.value)).id),
      ),
    );
    await labelReader.stop();

    const predictions = await collectTopic(kafka, names.predictions);
    const joined = await collectTopic(kafka, names.predictionsLabeled);
    await predictions.waitFor(eventIds.length, options.timeoutMs);
    await joined.waitFor(labeledIds.size, options.timeoutMs);
    // Every detector input is processed before its outputs are read.
    const detectorGroup = deployment.consumerGroup('detector');
    const featureReader = await collectTopic(kafka, features);
    await featureReader.settle(2000);
    await waitUntilCommitted(
      kafka,
      detectorGroup,
      features,
      featureReader.records,
      options.timeoutMs,
    );
    await waitUntilCommitted(
      kafka,
      detectorGroup,
      names.predictionsLabeled,
      joined.records,
      options.timeoutMs,
    );
    const alertReader = await collectTopic(kafka, names.driftAlerts);
    const requestReader = await collectTopic(kafka, names.retrainRequested);
    await requestReader.settle(2000);
    await waitUntilCommitted(
      kafka,
      deployment.consumerGroup('trainer'),
      names.retrainRequested,
      requestReader.records,
      options.timeoutMs,
    );
    const versionReader = await collectTopic(kafka, names.modelVersions);
    const edgeCaseReader = await collectTopic(kafka, names.edgeCases);
    // Quiet for a while: a copy that arrives late is a duplicate, and must be counted.
    await Promise.all(
      [
        predictions,
        joined,
        featureReader,
        alertReader,
        requestReader,
        versionReader,
        edgeCaseReader,
      ].map((reader) => reader.settle(3000)),
    );
    await monitor.stop();
    await fleet.stopAll();

    const predictionCount = countDeliveries(
      eventIds,
      predictions.records.map((r) => r.key ?? ''),
      predictions.records.map((r) => `${r.partition}@${r.offset}`),
    );
    // An edge case rides in its prediction's transaction: the marked predictions that committed
    // are exactly the edge cases there must be, whatever a killed instance had judged before.
    const marked = (
      await Promise.all(predictions.records.map((r) => pipeline.codecs.predictions.decode(r.value)))
    ).flatMap((prediction) => (prediction.edgeCase ? [prediction.id] : []));
    const edgeCaseCount = countDeliveries(
      marked,
      edgeCaseReader.records.map((r) => r.key ?? ''),
      edgeCaseReader.records.map((r) => `${r.partition}@${r.offset}`),
    );
    const joinedIds = await Promise.all(
      joined.records.map(
        async (r) => (await pipeline.codecs.predictionsLabeled.decode(r.value)).id,
      ),
    );
    const joinedCount = countDeliveries(
      labeledIds,
      joinedIds,
      joined.records.map((r) => `${r.partition}@${r.offset}`),
    );
    const versions = await Promise.all(
      versionReader.records.map(async (r) => {
        const version = await pipeline.codecs.modelVersions.decode(r.value);
        return {
          partition: r.partition,
          offset: r.offset,
          model: version.model,
          version: version.version,
        };
      }),
    );
    const versionCheck = checkVersionOrder(versions);

    log('running an undisturbed detector over the same committed input');
    const reference = await runReferenceDetector({
      kafka,
      input: {
        labeled: joined.records,
        features: featureReader.records,
        versions: versionReader.records,
      },
      env: serviceEnv,
      logDir,
      timeoutMs: options.timeoutMs,
    });
    const disturbedAlerts = await Promise.all(
      alertReader.records.map((r) => pipeline.codecs.driftAlerts.decode(r.value)),
    );
    const disturbedRequests = await Promise.all(
      requestReader.records.map((r) => pipeline.codecs.retrainRequested.decode(r.value)),
    );
    const alertComparison = compareRuns(
      {
        prefix: pipeline.prefix,
        alerts: disturbedAlerts,
        requests: disturbedRequests,
        evidence: new Map([
          [names.predictionsLabeled, joined.records],
          [features, featureReader.records],
        ]),
      },
      {
        prefix: reference.prefix,
        alerts: reference.alerts,
        requests: reference.requests,
        evidence: new Map([
          [reference.topics.labeled, reference.labeled],
          [reference.topics.features, reference.features],
        ]),
      },
    );
    await Promise.all(
      [predictions, joined, featureReader, alertReader, requestReader, versionReader].map(
        (reader) => reader.stop(),
      ),
    );

    const recoveries = fleet.kills.map((kill) => ({
      service: kill.service,
      ms: recoveryMs(monitor.samples, {
        at: kill.at,
        group: deployment.consumerGroup(kill.service),
        owned: kill.owned,
      }),
    }));
    const measured = recoveries.flatMap(({ service, ms }) =>
      ms === undefined ? [] : [{ service, ms }],
    );
    const overall = medianAndMax(measured.map((r) => r.ms));
    const byService: NonNullable<ChaosReport['recovery']>['byService'] = {};
    for (const service of ['inference', 'joiner', 'detector', 'trainer'] as const) {
      const of = measured.filter((r) => r.service === service).map((r) => r.ms);
      const stats = medianAndMax(of);
      if (stats) byService[service] = { ...stats, measured: of.length };
    }

    const lost =
      predictionCount.lost.length +
      joinedCount.lost.length +
      edgeCaseCount.lost.length +
      alertComparison.alerts.missing.length +
      alertComparison.requests.missing.length;
    const duplicated =
      predictionCount.duplicated +
      joinedCount.duplicated +
      edgeCaseCount.duplicated +
      alertComparison.alerts.extra.length +
      alertComparison.requests.extra.length +
      versionCheck.reused.reduce((sum, entry) => sum + entry.copies - 1, 0);
    return {
      events: replayed.events,
      labeled: labeledIds.size,
      kills: fleet.kills.length,
      freezes,
      restarts: fleet.restarts,
      strays: fleet.strays,
      rebalances: fleet.rebalances(),
      lost,
      duplicated,
      predictions: predictionCount,
      joined: joinedCount,
      edgeCases: edgeCaseCount,
      alerts: alertComparison.alerts,
      requests: alertComparison.requests,
      versions: { ...versionCheck, published: versions.length },
      unexpectedExits: fleet.unexpectedExits,
      recovery: overall ? { ...overall, measured: measured.length, byService } : null,
      unmeasuredKills: recoveries.length - measured.length,
      plan,
    };
  } finally {
    await monitor.stop();
    await fleet.stopAll();
    await producer.disconnect().catch(() => undefined);
  }
}

interface RunOutputs {
  prefix: string;
  alerts: readonly DriftAlert[];
  requests: readonly RetrainRequest[];
  /** Topic → its committed records, for each topic alerts cite as evidence. */
  evidence: ReadonlyMap<string, readonly ReadRecord[]>;
}

/** The disturbed run's alerts and requests against the undisturbed run's, as multisets. */
function compareRuns(
  disturbed: RunOutputs,
  undisturbed: RunOutputs,
): Pick<ChaosReport, 'alerts' | 'requests'> {
  const signatures = (run: RunOutputs) => {
    const positions = positionIndex(run.evidence);
    const byId = new Map(
      run.alerts.map((alert) => [
        alert.alertId,
        alertSignature(alert, run.prefix, (e) =>
          positions.get(`${e.topic}\u0000${e.partition}\u0000${e.offset}`),
        ),
      ]),
    );
    return {
      alerts: run.alerts.map((alert) => byId.get(alert.alertId) ?? ''),
      requests: run.requests.map((request) => requestSignature(request, byId)),
    };
  };
  const left = signatures(undisturbed);
  const right = signatures(disturbed);
  return {
    alerts: {
      disturbed: disturbed.alerts.length,
      undisturbed: undisturbed.alerts.length,
      ...compareSignatures(left.alerts, right.alerts),
    },
    requests: {
      disturbed: disturbed.requests.length,
      undisturbed: undisturbed.requests.length,
      ...compareSignatures(left.requests, right.requests),
    },
  };
}

/** Each record's place among the committed records of its partition. */
function positionIndex(evidence: RunOutputs['evidence']): Map<string, number> {
  const byPartition = new Map<string, ReadRecord[]>();
  for (const [topic, records] of evidence) {
    for (const record of records) {
      const key = `${topic}\u0000${record.partition}`;
      const list = byPartition.get(key) ?? [];
      list.push(record);
      byPartition.set(key, list);
    }
  }
  const positions = new Map<string, number>();
  for (const [key, list] of byPartition) {
    list
      .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)))
      .forEach((record, position) => positions.set(`${key}\u0000${record.offset}`, position));
  }
  return positions;
}

/** The one line issue 10 asks for, and the recovery times issue 18 asks for beside it. */
export function formatCounts(report: ChaosReport): string {
  const recovery = report.recovery
    ? `recovery median=${(report.recovery.median / 1000).toFixed(1)}s max=${(report.recovery.max / 1000).toFixed(1)}s (${report.recovery.measured} kills measured, ${report.unmeasuredKills} not)`
    : 'recovery n/a';
  return `events=${report.events} kills=${report.kills} restarts=${report.restarts} rebalances=${report.rebalances} lost=${report.lost} duplicated=${report.duplicated} | freezes=${report.freezes} unexpected_exits=${report.unexpectedExits.length} strays=${report.strays} alerts=${report.alerts.disturbed}/${report.alerts.undisturbed} retrains=${report.requests.disturbed}/${report.requests.undisturbed} versions=${report.versions.published} | ${recovery}`;
}
