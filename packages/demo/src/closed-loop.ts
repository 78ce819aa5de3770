import { calibrateVersionAlarms } from '@driftwatch/alarms';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  catalogTopicSpecs,
  createKeyPartitioner,
  followModelRegistry,
  followTopic,
  provisionTopics,
  type InputRecord,
  type Kafka,
  type TopicFollower,
} from '@driftwatch/bus';
import { eventId } from '@driftwatch/datasets';
import {
  bootstrapVersion,
  buildFeatureMatrix,
  loadVersionScorer,
  predictClasses,
} from '@driftwatch/model';
import { createLogger, type Logger } from '@driftwatch/service-kit';
import {
  createCodecs,
  defaultBinaryClasses,
  labelClassName,
  modelVersionKey,
  topicIds,
  topicNames,
  type DriftAlert,
  type ModelVersion,
  type RetrainRequest,
  type AlarmSettings,
  type TopicNames,
} from '@driftwatch/topics';

import { summarizeDemo, type DemoSummary, type LabeledOutcome } from './demo-summary.js';
import { DemoError } from './errors.js';
import { pipelineFlowControl, pipelineStages, type Hold } from './flow-control.js';
import { replayStream, type ReplayRow } from './replay-stream.js';
import { metricValue, serviceNames, startService, type ServiceProcess } from './service-runner.js';

export type LoopEvent =
  | { kind: 'bootstrapped'; version: ModelVersion }
  | { kind: 'services-ready'; services: { name: string; port: number; logFile: string }[] }
  | { kind: 'progress'; events: number; labels: number; duplicateLabels: number; total: number }
  | { kind: 'held'; hold: Hold }
  | { kind: 'alert'; alert: DriftAlert }
  | { kind: 'retrain-requested'; request: RetrainRequest }
  | { kind: 'version'; version: ModelVersion }
  | { kind: 'waiting'; labeled: number; expected: number };

export interface ClosedLoopOptions {
  kafka: Kafka;
  redisUrl: string;
  brokers: readonly string[];
  model: string;
  streamName: string;
  featureNames: readonly string[];
  /**
   * The classes the labels name, in the order version 1's probabilities take; default `["0",
   * "1"]` (labels 0 and 1). Every class must occur in `reference`.
   */
  classes?: readonly string[];
  /** What version 1 learns from (a reference sample of the first concept); unlabeled rows skipped. */
  reference: readonly ReplayRow[];
  /**
   * What is replayed through Kafka, with ids made from `streamName` and each row's `index`
   * (a row's own `id` and `ts` are not used), in increasing `index` order.
   */
  rows: readonly ReplayRow[];
  /** Row indices where a new concept starts; empty when unknown. */
  knownDrifts: readonly number[];
  /**
   * A fixed labeled set no version learns from: version 1 and the version serving at the end are
   * both scored on it, for the summary's old vs new.
   */
  golden?: readonly ReplayRow[];
  /** Events per second. */
  rate: number;
  /**
   * Flow control: the replay holds back while a service has more than this many records to read;
   * and every this many events, once the pipeline has settled, while a retrain request is
   * unanswered or a promoted version not yet served, so what the loop does depends on events,
   * not on how fast the machine is. Default 500.
   */
  maxLag?: number;
  labelDelayMs: number;
  seed: number;
  /** Variables for the services beyond the stack's addresses (detector and trainer tuning). */
  serviceEnv: Record<string, string>;
  /**
   * The detector's false-alarm budget and rule settings under `serviceEnv`, when it runs on a
   * budget: version 1 is calibrated under them as a registration would be, so the detector does
   * not stall simulating it. Null or absent: raw thresholds (or the detector calibrates).
   */
  alarmSettings?: AlarmSettings | null;
  /** `dist` for the demo (built services), `source` for tests. */
  from: 'dist' | 'source';
  logDir: string;
  keepTopics: boolean;
  /** How long to wait for the last labels and retrains after the replay. */
  settleTimeoutMs?: number;
  /**
   * Called once the run has settled and been summarised, while its topics still exist (they are
   * deleted afterwards unless `keepTopics`): where the demo reads them back for its report.
   */
  beforeCleanup?: (run: { prefix: string; names: TopicNames }) => Promise<void>;
  onEvent?: (event: LoopEvent) => void;
  logger?: Logger;
}

export interface ClosedLoopResult {
  summary: DemoSummary;
  prefix: string;
  /** The detector's /metrics at the end of the run: what Prometheus and Grafana saw. */
  detectorMetrics: string;
  logFiles: Record<string, string>;
}

const quietLogger = createLogger('driftwatch-demo', 'silent');
const defaultMaxLag = 500;
/**
 * How long the replay waits for a retrain request's answer, or for inference to serve a promoted
 * version, before it goes on without.
 */
const retrainHoldLimitMs = 120_000;
/** How long a checkpoint waits for the pipeline to settle before it goes on without. */
const settleLimitMs = 60_000;

/**
 * One closed loop on the local stack, under a fresh topic prefix: bootstrap version 1 on a
 * reference sample, start inference, joiner, detector and trainer as processes, replay the
 * stream with delayed labels, wait for the last labels and retrains, and summarise from what the
 * topics hold — next to the never-retrained version 1 scored offline on the same events.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const { kafka, model } = options;
  const logger = options.logger ?? quietLogger;
  const emit = options.onEvent ?? (() => undefined);
  const prefix = `demo-${Date.now().toString(36)}-${randomUUID().slice(0, 4)}.`;
  const names = topicNames(prefix);
  const codecs = await createCodecs({ schemaRegistryUrl: '', names });
  const admin = kafka.admin();
  await admin.connect();
  const followers: TopicFollower[] = [];
  const services: ServiceProcess[] = [];
  const producer = kafka.producer({ idempotent: true, createPartitioner: createKeyPartitioner });
  try {
    // One partition per topic: the joiner then writes labeled predictions in the replay's order
    // (a join completes with the later of its two halves, and each half's topic is in order), so
    // the detector's error stream, and where ADWIN cuts it, is the same on every run. Across
    // several partitions the order is the machine's, and a detection moves by hundreds of events.
    await provisionTopics(
      admin,
      catalogTopicSpecs(names, topicIds, { partitions: 1, replicationFactor: 1 }),
    );

    const classes = options.classes ?? defaultBinaryClasses;
    const classOf = classIndexer(classes);
    const learned = options.reference.filter((row) => row.label !== undefined);
    const bootstrapped = await bootstrapVersion({
      model,
      featureNames: options.featureNames,
      rows: learned.map((row) => options.featureNames.map((name) => row.features[name] ?? NaN)),
      labels: learned.map((row) => classOf(row.label)),
      candidate: {
        family: 'logistic',
        training: {},
        referenceBins: 10,
        classCount: classes.length,
        classes,
      },
      createdAt: Date.now(),
    });
    const golden = options.golden?.filter((row) => row.label !== undefined);
    // The golden set rides in version 1, as `models register --golden` puts it there: the
    // trainer then scores every challenger and its champion on it.
    const version1: ModelVersion = {
      ...bootstrapped,
      ...(options.alarmSettings
        ? { alarmCalibration: calibrateVersionAlarms(bootstrapped, options.alarmSettings) }
        : {}),
      ...(golden && golden.length > 0
        ? {
            goldenSet: {
              rows: golden.map((row) =>
                options.featureNames.map((name) => row.features[name] ?? NaN),
              ),
              labels: golden.map((row) => classOf(row.label)),
            },
          }
        : {}),
    };
    await producer.connect();
    await producer.send({
      topic: names.modelVersions,
      messages: [
        { key: modelVersionKey(model, 1), value: await codecs.modelVersions.encode(version1) },
      ],
    });
    emit({ kind: 'bootstrapped', version: version1 });

    const indexOf = new Map(
      options.rows.map((row) => [eventId(options.streamName, row.index), row.index]),
    );
    const labeled: LabeledOutcome[] = [];
    const alerts: DriftAlert[] = [];
    const requests: RetrainRequest[] = [];
    const follow = async (
      topic: string,
      onValue: (value: Buffer, timestamp: number, record: InputRecord) => Promise<void>,
    ) => {
      const follower = await followTopic({
        kafka,
        topic,
        logger,
        groupIdPrefix: `${prefix}demo-reader`,
        onRecord: async (record) => {
          if (record.value) {
            await onValue(record.value, Number(record.timestamp), record);
          }
        },
      });
      followers.push(follower);
    };
    await follow(
      names.predictionsLabeled,
      async (value, writtenAt, { topic, partition, offset }) => {
        const record = await codecs.predictionsLabeled.decode(value);
        const index = indexOf.get(record.id);
        if (index === undefined) return;
        labeled.push({
          index,
          modelVersion: record.modelVersion,
          correct: record.label === record.predicted,
          score: record.score,
          writtenAt,
          evidence: { topic, partition, offset },
          edgeCase: Boolean(record.edgeCase),
        });
      },
    );
    let edgeCases = 0;
    await follow(names.edgeCases, async (value) => {
      const edgeCase = await codecs.edgeCases.decode(value);
      if (indexOf.has(edgeCase.id)) edgeCases++;
    });
    await follow(names.driftAlerts, async (value) => {
      const alert = await codecs.driftAlerts.decode(value);
      alerts.push(alert);
      emit({ kind: 'alert', alert });
    });
    await follow(names.retrainRequested, async (value) => {
      const request = await codecs.retrainRequested.decode(value);
      requests.push(request);
      emit({ kind: 'retrain-requested', request });
    });
    const registry = await followModelRegistry({
      kafka,
      topic: names.modelVersions,
      codec: codecs.modelVersions,
      logger,
      groupIdPrefix: `${prefix}demo-registry`,
      onVersion: (version) => {
        if (version.version > 1) emit({ kind: 'version', version });
      },
    });
    followers.push(registry);

    const env = {
      KAFKA_BROKERS: options.brokers.join(','),
      REDIS_URL: options.redisUrl,
      TOPIC_PREFIX: prefix,
      REDIS_KEY_PREFIX: 'driftwatch-demo:',
      // The demo's join state is worthless an hour later: let Redis forget it.
      JOIN_TTL_SECONDS: '3600',
      ...options.serviceEnv,
    };
    services.push(
      ...(await Promise.all(
        serviceNames.map((name) =>
          startService(name, { env, logDir: options.logDir, from: options.from }),
        ),
      )),
    );
    emit({
      kind: 'services-ready',
      services: services.map((service) => ({
        name: service.name,
        port: service.port,
        logFile: service.logFile,
      })),
    });

    const inference = services.find((service) => service.name === 'inference');
    const detector = services.find((service) => service.name === 'detector');
    /** Whether the detector has read every labeled record read here, and sent what it counted. */
    const detectorCaughtUp = async (): Promise<boolean> => {
      if (!detector) return true;
      const text = await detector.metrics();
      const consumed = metricValue(text, 'driftwatch_detector_records_consumed_total', {
        topic: names.predictionsLabeled,
      });
      const alerted = metricValue(text, 'driftwatch_detector_alerts_total', { model });
      const requested = metricValue(text, 'driftwatch_detector_retrain_requests_total', { model });
      return consumed >= labeled.length && alerts.length >= alerted && requests.length >= requested;
    };
    const sent = { events: 0, labels: 0, duplicateLabels: 0 };
    const maxLag = options.maxLag ?? defaultMaxLag;
    let nextCheckpoint = maxLag;
    // Settling is routine at every checkpoint: not a hold worth telling anyone about.
    let settling = false;
    const firstSeen = new Map<string, number>();
    /** A reason to go on holding until `limitMs` after it was first given, then null. */
    const holdAtMost = (key: string, reason: string, limitMs: number): string | null => {
      const now = Date.now();
      const seen = firstSeen.get(key) ?? now;
      firstSeen.set(key, seen);
      return now - seen < limitMs ? reason : null;
    };
    // Labels a checkpoint gave up waiting for: later checkpoints do not wait for them again.
    let neverJoined = 0;
    /**
     * At a checkpoint, first the pipeline settles: every label sent so far has joined and the
     * detector has read it and sent its alerts and requests. Then what the detector asked is known
     * at the same event on every run, however fast the machine, and so is where the next version
     * starts serving.
     */
    const unsettled = async (): Promise<string | null> => {
      const joining = sent.labels - sent.duplicateLabels - neverJoined - labeled.length;
      // A label whose event inference refused, or whose class the model lacks, never joins: wait
      // only so long for it, once.
      const key = `checkpoint ${nextCheckpoint}`;
      if (joining > 0) {
        const reason = holdAtMost(key, `${joining} labels sent are not joined yet`, settleLimitMs);
        if (reason === null) neverJoined += joining;
        return reason;
      }
      return (await detectorCaughtUp())
        ? null
        : holdAtMost(key, 'the detector has not read every labeled record', settleLimitMs);
    };
    const retrainHold = async (): Promise<string | null> => {
      const unanswered = requests.find(
        (request) =>
          !registry.registry.hasAnswered(request.requestId) &&
          // A trainer that never answers must not stop the replay for good.
          holdAtMost(request.requestId, 'unanswered', retrainHoldLimitMs) !== null,
      );
      if (unanswered) return `retrain request ${unanswered.requestId} is not answered yet`;
      const promoted = registry.registry.latestPromoted(model)?.version ?? 1;
      const served = inference
        ? metricValue(await inference.metrics(), 'driftwatch_inference_served_model_version', {
            model,
          })
        : promoted;
      if (served >= promoted) return null;
      // A version inference cannot load (it keeps serving the last one) must not either.
      return holdAtMost(
        `version ${promoted}`,
        `version ${promoted} is promoted, not yet served`,
        retrainHoldLimitMs,
      );
    };
    const flowControl = pipelineFlowControl({
      admin,
      stages: pipelineStages(prefix, names),
      maxLag,
      // Asked only at checkpoints, every max-lag events: between them the loop runs freely.
      holdWhile: async () => {
        if (sent.events < nextCheckpoint) return null;
        const waitingToSettle = await unsettled();
        settling = waitingToSettle !== null;
        const reason = waitingToSettle ?? (await retrainHold());
        if (reason === null) nextCheckpoint = sent.events + maxLag;
        return reason;
      },
      onHold: (hold) => {
        if (hold.kind === 'caller' && settling) return;
        emit({ kind: 'held', hold });
      },
    });
    const replayed = await replayStream({
      producer,
      codecs,
      names,
      model,
      streamName: options.streamName,
      // Ids from the stream's name and the row's index: how labeled records are found again.
      rows: options.rows.map(({ index, features, label }) => ({ index, features, label })),
      schedule: { seed: options.seed, labelDelay: { kind: 'fixed', ms: options.labelDelayMs } },
      rate: options.rate,
      flowControl,
      onProgress: (progress) => {
        Object.assign(sent, progress);
        emit({ kind: 'progress', ...progress });
      },
    });

    // Every label that was sent joins once; then give the last retrain a chance to land.
    const expected = replayed.labels - replayed.duplicateLabels;
    const deadline = Date.now() + (options.settleTimeoutMs ?? 120_000);
    while (labeled.length < expected && Date.now() < deadline) {
      emit({ kind: 'waiting', labeled: labeled.length, expected });
      await sleep(500);
    }
    // The detector reads what the joiner wrote a moment later: a drift near the end of the stream
    // is alerted on, and retrained for, after the last label joined. Wait until it has committed
    // every labeled record and the alerts and requests it counted have arrived here.
    while (Date.now() < deadline && !(await detectorCaughtUp())) await sleep(500);
    const unanswered = (): RetrainRequest[] =>
      requests.filter((r) => !registry.registry.hasAnswered(r.requestId));
    const trainingDeadline = Math.min(deadline, Date.now() + 30_000);
    while (unanswered().length > 0 && Date.now() < trainingDeadline) await sleep(500);
    if (labeled.length < expected) {
      logger.warn(
        { event: 'demo.incomplete', labeled: labeled.length, expected },
        'not every label joined in time',
      );
    }

    const detectorMetrics = detector ? await detector.metrics() : '';
    const staticCorrect = await scoreOffline(version1, options.rows, classOf);
    const serving = registry.registry.latestPromoted(model) ?? version1;
    const goldenComparison =
      golden && golden.length > 0
        ? {
            rows: golden.length,
            old: {
              version: version1.version,
              accuracy: await accuracyOn(version1, golden, classOf),
            },
            new: {
              version: serving.version,
              accuracy: await accuracyOn(serving, golden, classOf),
            },
          }
        : null;
    const summary = summarizeDemo({
      dataset: options.streamName,
      model,
      events: replayed.events,
      firstEvent: options.rows[0]?.index ?? 0,
      knownDrifts: options.knownDrifts,
      segmentLength: Math.max(1000, Math.ceil(options.rows.length / 8)),
      labeled,
      staticCorrect: (index) => staticCorrect.get(index) ?? false,
      alerts,
      requests,
      versions: registry.registry.versions(model),
      edgeCases,
      golden: goldenComparison,
    });
    await options.beforeCleanup?.({ prefix, names });
    return {
      summary,
      prefix,
      detectorMetrics,
      logFiles: Object.fromEntries(services.map((service) => [service.name, service.logFile])),
    };
  } finally {
    await Promise.all(services.map((service) => service.stop()));
    await Promise.all(followers.map((follower) => follower.stop()));
    await producer.disconnect();
    if (!options.keepTopics) {
      const existing = new Set(await admin.listTopics());
      const ours = [...existing].filter((topic) => topic.startsWith(prefix));
      if (ours.length > 0) await admin.deleteTopics({ topics: ours }).catch(() => undefined);
    }
    await admin.disconnect();
  }
}

/** A label's class index, as the joiner matches it: by the class its name (or digits) names. */
function classIndexer(classes: readonly string[]): (label: ReplayRow['label']) => number {
  const indexOf = new Map(classes.map((name, index) => [name, index]));
  return (label) => {
    const index = label === undefined ? undefined : indexOf.get(labelClassName(label));
    if (index === undefined) {
      throw new DemoError(
        'DW_DEMO_BAD_OPTION',
        `label ${JSON.stringify(label)} is none of the classes ${classes.join(', ')}`,
      );
    }
    return index;
  };
}

/** A version's accuracy on labeled rows, scored offline. */
async function accuracyOn(
  version: ModelVersion,
  rows: readonly ReplayRow[],
  classOf: (label: ReplayRow['label']) => number,
): Promise<number> {
  const correct = [...(await scoreOffline(version, rows, classOf)).values()];
  return correct.filter(Boolean).length / Math.max(1, correct.length);
}

/** Whether `version` is right on each labeled row (by index), scored as inference would score it. */
async function scoreOffline(
  version: ModelVersion,
  rows: readonly ReplayRow[],
  classOf: (label: ReplayRow['label']) => number,
): Promise<Map<number, boolean>> {
  const labeled = rows.filter((row) => row.label !== undefined);
  const scorer = await loadVersionScorer(version);
  try {
    const { matrix, accepted } = buildFeatureMatrix(labeled, scorer.featureNames);
    const probabilities = await scorer.score(matrix, accepted.length);
    const predicted = predictClasses(probabilities, scorer.classes.length, version.threshold);
    return new Map(
      accepted.map((at, k) => {
        const row = labeled[at];
        return [row?.index ?? -1, predicted[k] === classOf(row?.label)];
      }),
    );
  } finally {
    await scorer.release();
  }
}
