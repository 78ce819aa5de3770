import {
  deadLetterMessage,
  untilCommitted,
  type BatchHandler,
  type InputRecord,
  type ModelRegistry,
  type OutputMessage,
} from '@driftwatch/bus';
import {
  DecodeError,
  modelVersionKey,
  type Codec,
  type DeadLetter,
  type ModelVersion,
  type RetrainRequest,
  type TopicNames,
} from '@driftwatch/topics';
import type { Logger } from '@driftwatch/service-kit';

import type { TrainerDiagnostics } from './diagnostics.js';
import type { ReadWindow } from './read-training-window.js';
import type { CommandReport } from './train-with-command.js';
import { trainForRequest, type TrainingPolicy, type VersionLedger } from './train-for-request.js';

export interface TrainerDependencies {
  names: Pick<TopicNames, 'modelVersions' | 'deadLetter'>;
  codecs: {
    retrainRequested: Codec<RetrainRequest>;
    modelVersions: Codec<ModelVersion>;
    deadLetter: Codec<DeadLetter>;
  };
  registry: ModelRegistry;
  /** Resolves once the registry holds every version committed so far, our own included. */
  refreshRegistry: () => Promise<void>;
  readWindow: ReadWindow;
  policy: TrainingPolicy;
  now: () => number;
  diagnostics: TrainerDiagnostics;
  logger: Logger;
}

/** The registry, plus the versions this batch has produced but not yet committed. */
function batchLedger(registry: ModelRegistry, produced: readonly ModelVersion[]): VersionLedger {
  const ofModel = (model: string): ModelVersion[] => [
    ...registry.versions(model),
    ...produced.filter((version) => version.model === model),
  ];
  return {
    latestPromoted: (model) =>
      ofModel(model)
        .filter((version) => version.status === 'promoted')
        .reduce<ModelVersion | undefined>(
          (latest, version) => (version.version > (latest?.version ?? 0) ? version : latest),
          undefined,
        ),
    highestVersionNumber: (model) =>
      Math.max(0, ...ofModel(model).map((version) => version.version)),
    newestCreatedAt: (model) => {
      const times = ofModel(model).map((version) => version.createdAt);
      return times.length > 0 ? Math.max(...times) : undefined;
    },
  };
}

/** One line per run of the training command: how it ended, how long it took, what it said. */
function logCommand(logger: Logger, request: RetrainRequest, report: CommandReport): void {
  const { verdict, run } = report;
  const fields = {
    event: 'training.command',
    requestId: request.requestId,
    model: request.model,
    verdict,
    outcome: run?.outcome ?? null,
    exitCode: run?.exitCode ?? null,
    exitSignal: run?.exitSignal ?? null,
    durationMs: run ? Math.round(run.durationMs) : null,
    stdout: run?.stdout ?? '',
    stderr: run?.stderr ?? '',
  };
  const message = `training command for ${request.model}: ${verdict}${run ? ` (${run.outcome}, exit ${String(run.exitCode ?? run.exitSignal)}, ${Math.round(run.durationMs)} ms)` : ''}`;
  if (verdict === 'usable') logger.info(fields, message);
  else logger.warn(fields, message);
}

/**
 * Trains for each retrain request of a batch, in order, and returns the model versions to
 * publish; a batch of `model-versions` is only checked, its unreadable records dead-lettered; they commit with the requests' offsets, so a crash mid-training loses nothing: the
 * request is read again and trained again.
 */
export function createTrainerHandler(deps: TrainerDependencies): BatchHandler {
  return async ({ topic, records }, context) => {
    const diagnostics = untilCommitted(deps.diagnostics, context);
    const now = deps.now();
    const deadLetter = async (record: InputRecord, error: DecodeError): Promise<OutputMessage> => {
      diagnostics.deadLettered(error.code);
      return deadLetterMessage({
        service: 'trainer',
        record,
        why: { code: error.code, reason: error.message },
        deadLetterTopic: deps.names.deadLetter,
        codec: deps.codecs.deadLetter,
        now,
      });
    };
    if (topic === deps.names.modelVersions) {
      // Every service skips an unreadable version as it follows the registry; the trainer, which
      // publishes versions, is the one group that reads them exactly once, so it files them.
      const letters: OutputMessage[] = [];
      for (const record of records) {
        try {
          await deps.codecs.modelVersions.decode(record.value);
        } catch (error) {
          if (!(error instanceof DecodeError)) throw error;
          letters.push(await deadLetter(record, error));
        }
      }
      return letters;
    }
    // Read our own writes: version numbers must follow the last committed version.
    await deps.refreshRegistry();
    const produced: ModelVersion[] = [];
    const outputs: OutputMessage[] = [];
    for (const record of records) {
      let request: RetrainRequest;
      try {
        request = await deps.codecs.retrainRequested.decode(record.value);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        outputs.push(await deadLetter(record, error));
        continue;
      }
      const outcome = await trainForRequest(request, {
        ledger: batchLedger(deps.registry, produced),
        readWindow: deps.readWindow,
        policy: deps.policy,
        now: deps.now,
        // A shutdown kills a running training command; the request is handled after the restart.
        signal: context.signal,
        // A training command may run for minutes: without heartbeats the group drops this member
        // after its 30 s session timeout, and the processor fails once the batch commits.
        keepAlive: () => {
          context.heartbeat();
        },
      });
      if (outcome.kind === 'published' && outcome.command) {
        logCommand(deps.logger, request, outcome.command);
        diagnostics.commandRan(request.model, outcome.command);
      }
      if (outcome.kind === 'skipped') {
        diagnostics.skipped(request.model, outcome.reason);
        deps.logger.warn(
          {
            event: 'training.skipped',
            requestId: request.requestId,
            model: request.model,
            reason: outcome.reason,
            detail: outcome.detail,
          },
          `retrain request skipped: ${outcome.detail}`,
        );
        continue;
      }
      const { version } = outcome;
      produced.push(version);
      diagnostics.trained(version, outcome.trainMs);
      deps.logger.info(
        {
          event: 'training.done',
          requestId: request.requestId,
          model: version.model,
          version: version.version,
          parentVersion: version.parentVersion,
          status: version.status,
          trainRows: version.trainingWindow.trainRows,
          holdoutRows: version.trainingWindow.holdoutRows,
        },
        `${version.model} v${version.version} ${version.status}: ${version.reason}`,
      );
      outputs.push({
        topic: deps.names.modelVersions,
        key: modelVersionKey(version.model, version.version),
        value: await deps.codecs.modelVersions.encode(version),
      });
    }
    return outputs;
  };
}
