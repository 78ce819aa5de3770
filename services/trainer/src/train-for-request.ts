import { LearnError, decidePromotion, type PromotionCriteria } from '@driftwatch/learn';
import {
  ModelError,
  buildCandidate,
  evaluateChampion,
  metricsRecord,
  type CandidateOptions,
} from '@driftwatch/model';
import {
  defaultBinaryClasses,
  versionClasses,
  type LabeledPrediction,
  type ModelVersion,
  type RetrainRequest,
} from '@driftwatch/topics';

import { splitTrainingRows } from './split-training-rows.js';

export interface TrainingPolicy {
  candidate: CandidateOptions;
  holdoutFraction: number;
  minRows: number;
  maxRows: number;
  criteria: PromotionCriteria;
}

/** What the trainer knows of a model's versions: the registry plus what this batch produced. */
export interface VersionLedger {
  latestPromoted(model: string): ModelVersion | undefined;
  highestVersionNumber(model: string): number;
  /** Newest `createdAt` of any version of the model, or undefined when there is none. */
  newestCreatedAt(model: string): number | undefined;
}

export type SkipReason =
  'superseded' | 'not-enough-data' | 'one-class' | 'invalid-input' | 'export-mismatch';

export type TrainingOutcome =
  | { kind: 'published'; version: ModelVersion; trainMs: number }
  | { kind: 'skipped'; reason: SkipReason; detail: string };

/**
 * Answers one retrain request: reads the labeled window, trains a challenger, proves its ONNX,
 * scores the champion on the same holdout, decides under the configured criteria, and returns
 * the model-version message — promoted or rejected, with metrics and lineage — to publish.
 *
 * A request older than the model's newest version is superseded: that version already learned
 * from everything the request could offer. Version numbers come from the ledger, so a request
 * retried after a crash (its version was never committed) takes the same number again, and a
 * committed number is never reused.
 */
export async function trainForRequest(
  request: RetrainRequest,
  deps: {
    ledger: VersionLedger;
    readWindow: (model: string, fromTs: number, toTs: number) => Promise<LabeledPrediction[]>;
    policy: TrainingPolicy;
    now: () => number;
  },
): Promise<TrainingOutcome> {
  const { model } = request;
  const newest = deps.ledger.newestCreatedAt(model);
  if (newest !== undefined && newest >= request.requestedAt) {
    return {
      kind: 'skipped',
      reason: 'superseded',
      detail: `a version of ${model} was created at ${new Date(newest).toISOString()}, after the request`,
    };
  }
  const champion = deps.ledger.latestPromoted(model);
  const labeled = await deps.readWindow(model, request.fromTs, request.toTs);
  const split = splitTrainingRows(labeled, {
    featureNames: champion?.featureNames ?? null,
    holdoutFraction: deps.policy.holdoutFraction,
    maxRows: deps.policy.maxRows,
  });
  const rowCount = split.train.rows.length + split.holdout.rows.length;
  if (rowCount < deps.policy.minRows || split.train.rows.length === 0) {
    return {
      kind: 'skipped',
      reason: 'not-enough-data',
      detail: `${rowCount} labeled rows of ${model} in the window, fewer than ${deps.policy.minRows}`,
    };
  }
  const started = performance.now();
  // The champion's classes, in its order: the labels on the topic are indices into them.
  const classes = champion ? versionClasses(champion) : defaultBinaryClasses;
  let candidate;
  try {
    candidate = await buildCandidate(split.featureNames, split.train, split.holdout, {
      ...deps.policy.candidate,
      classCount: classes.length,
      classes,
    });
  } catch (error) {
    if (error instanceof LearnError && error.code === 'DW_LEARN_ONE_CLASS') {
      return { kind: 'skipped', reason: 'one-class', detail: error.message };
    }
    // Rows the window holds but training cannot take (an unnamed feature): the same window fails
    // the same way however often it is retried, so the request is answered by skipping it.
    if (error instanceof LearnError && error.code === 'DW_LEARN_INVALID_INPUT') {
      return { kind: 'skipped', reason: 'invalid-input', detail: error.message };
    }
    if (error instanceof ModelError && error.code === 'DW_MODEL_EXPORT_MISMATCH') {
      return { kind: 'skipped', reason: 'export-mismatch', detail: error.message };
    }
    throw error;
  }
  const championEvaluation = champion ? await evaluateChampion(champion, split.holdout) : null;
  const decision = decidePromotion({
    challenger: candidate.holdoutMetrics,
    champion: championEvaluation?.metrics ?? null,
    ...(championEvaluation
      ? { championCorrect: championEvaluation.correct, challengerCorrect: candidate.holdoutCorrect }
      : {}),
    criteria: deps.policy.criteria,
  });
  const version: ModelVersion = {
    model,
    version: deps.ledger.highestVersionNumber(model) + 1,
    parentVersion: champion?.version ?? null,
    createdAt: deps.now(),
    status: decision.promote ? 'promoted' : 'rejected',
    reason: `${request.reason} request: ${decision.reason}`,
    requestId: request.requestId,
    sha256: candidate.sha256,
    onnx: candidate.onnx,
    featureNames: split.featureNames,
    classes: [...classes],
    threshold: champion?.threshold ?? 0.5,
    // Our own exports: a single [N, 1] output is a probability; [N, K] needs no reading hint.
    outputKind: classes.length === 2 ? 'probability' : null,
    reference: candidate.reference,
    metrics: {
      challenger: metricsRecord(candidate.holdoutMetrics),
      champion: championEvaluation ? metricsRecord(championEvaluation.metrics) : null,
    },
    trainingWindow: {
      fromTs: request.fromTs,
      toTs: request.toTs,
      trainRows: split.train.rows.length,
      holdoutRows: split.holdout.rows.length,
    },
  };
  return { kind: 'published', version, trainMs: performance.now() - started };
}
