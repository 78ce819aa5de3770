import { setTimeout as sleep } from 'node:timers/promises';

import {
  deploymentNames,
  featureSketchTopic,
  unreadRecords,
  type CommittedOffsets,
  type PartitionWatermarks,
} from '@driftwatch/bus';
import type { TopicNames } from '@driftwatch/topics';

import { DemoError } from './errors.js';

/**
 * What a replay asks, every `every` events, before it sends more. `admit` resolves once the
 * pipeline may take them; the replay's clock stands still meanwhile, so a slow machine runs the
 * same stream slower rather than differently.
 */
export interface FlowControl {
  readonly every: number;
  /** Resolves when more events may be sent, or as soon as `signal` aborts. */
  admit(signal?: AbortSignal): Promise<void>;
}

/** A consumer group of the pipeline, and the topics whose records it has to read. */
export interface PipelineStage {
  name: string;
  groupId: string;
  topics: readonly string[];
}

/** Why the replay is held back: a stage too far behind, or the caller's own reason. */
export interface Hold {
  /** `lag`: a stage is behind; `caller`: the caller's `holdWhile` said why. */
  kind: 'lag' | 'caller';
  /** The stage's name, or the caller's reason: a hold is reported again when this changes. */
  cause: string;
  reason: string;
  /** Records the slowest stage has yet to read. */
  lag: number;
}

export interface PipelineFlowControlOptions {
  /** What is read of the cluster: a kafkajs admin client is one. */
  admin: {
    fetchOffsets(request: { groupId: string; topics: string[] }): Promise<CommittedOffsets[]>;
    fetchTopicOffsets(topic: string): Promise<PartitionWatermarks[]>;
    listTopics(): Promise<string[]>;
  };
  stages: readonly PipelineStage[];
  /** Hold back while any stage has more than this many records to read. */
  maxLag: number;
  /**
   * A further reason to hold, asked after the stages are within `maxLag`: a text saying why, or
   * null to go on. The closed loop holds while a retrain request is unanswered.
   */
  holdWhile?: () => Promise<string | null>;
  /** Called when a hold starts and when its reason changes. */
  onHold?: (hold: Hold) => void;
  /** How often a hold looks again; default 50 ms. */
  pollMs?: number;
}

/** Below this a commit marker — one per partition per transaction, never read — could hold forever. */
export const minMaxLag = 50;

/**
 * Flow control for a replay in front of the pipeline: lets the replay send `maxLag / 4` events
 * between looks at the stages' committed offsets, and holds it while any stage's group has more
 * than `maxLag` records of its topics to read (a group that never committed is behind by every
 * record), so at most about 1.25 × `maxLag` records wait before each stage. Offsets count
 * records, and a transaction's commit marker is one: the bound is in records, close to events.
 *
 * Usage:
 * ```ts
 * const flow = pipelineFlowControl({ admin, maxLag: 500, stages: [
 *   { name: 'inference', groupId: 'driftwatch-inference', topics: [names.events] },
 * ] });
 * await replayStream({ ...options, flowControl: flow });
 * ```
 */
export function pipelineFlowControl(options: PipelineFlowControlOptions): FlowControl {
  const { admin, stages, maxLag } = options;
  if (!Number.isInteger(maxLag) || maxLag < minMaxLag) {
    throw new DemoError(
      'DW_DEMO_BAD_OPTION',
      `max lag must be a whole number of events, at least ${minMaxLag}, got ${maxLag}`,
    );
  }
  const pollMs = options.pollMs ?? 50;
  let holding: string | null = null;

  const slowest = async (): Promise<Hold> => {
    // A topic no one has written yet (the detector's, before it starts) holds nothing to read.
    const existing = new Set(await admin.listTopics());
    // Stages share topics (joiner and detector both read predictions): each is looked up once.
    const topics = [...new Set(stages.flatMap((stage) => stage.topics))].filter((topic) =>
      existing.has(topic),
    );
    const watermarks = new Map(
      await Promise.all(
        topics.map(async (topic) => [topic, await admin.fetchTopicOffsets(topic)] as const),
      ),
    );
    const lags = await Promise.all(
      stages.map(async (stage) => {
        const read = stage.topics.filter((topic) => watermarks.has(topic));
        const committed =
          read.length === 0
            ? []
            : await admin.fetchOffsets({ groupId: stage.groupId, topics: read });
        const lag = read.reduce(
          (sum, topic) => sum + unreadRecords(topic, committed, watermarks.get(topic) ?? []),
          0,
        );
        return { stage, lag };
      }),
    );
    const worst = lags.reduce<{ stage?: PipelineStage; lag: number }>(
      (a, b) => (b.lag > a.lag ? b : a),
      { lag: 0 },
    );
    return {
      kind: 'lag' as const,
      cause: worst.stage?.name ?? '',
      lag: worst.lag,
      reason: worst.stage ? `${worst.stage.name} has ${worst.lag} records to read` : '',
    };
  };

  const blocker = async (): Promise<Hold | null> => {
    const hold = await slowest();
    if (hold.lag > maxLag) return hold;
    const reason = await options.holdWhile?.();
    return reason ? { kind: 'caller', cause: reason, reason, lag: hold.lag } : null;
  };

  return {
    every: Math.floor(maxLag / 4),
    async admit(signal) {
      for (let hold = await blocker(); hold && !signal?.aborted; hold = await blocker()) {
        if (hold.cause !== holding) options.onHold?.(hold);
        holding = hold.cause;
        await sleep(pollMs, undefined, signal ? { signal } : {}).catch(() => undefined);
      }
      holding = null;
    },
  };
}

/**
 * The pipeline's consumer groups under a deployment's prefix, and what each reads: inference
 * its events, the joiner predictions and labels, the detector inference's feature sketches and
 * the labeled predictions. `groupIds` overrides a service's group as its
 * `<SERVICE>_GROUP_ID` does.
 */
export function pipelineStages(
  prefix: string,
  names: Pick<TopicNames, 'events' | 'labels' | 'predictions' | 'predictionsLabeled'>,
  groupIds: Partial<Record<'inference' | 'joiner' | 'detector', string>> = {},
): PipelineStage[] {
  const deployment = deploymentNames(prefix);
  const stage = (name: 'inference' | 'joiner' | 'detector', topics: string[]): PipelineStage => ({
    name,
    groupId: groupIds[name] || deployment.consumerGroup(name),
    topics,
  });
  return [
    stage('inference', [names.events]),
    stage('joiner', [names.predictions, names.labels]),
    stage('detector', [featureSketchTopic(prefix), names.predictionsLabeled]),
  ];
}
