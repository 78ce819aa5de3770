import { calibrateVersionAlarms } from '@driftwatch/alarms';
import {
  LearnError,
  chooseTrainingWindow,
  decidePromotion,
  type PromotionCriteria,
  type WindowCandidate,
} from '@driftwatch/learn';
import {
  ModelError,
  buildCandidate,
  candidateTrainedWith,
  evaluateChampion,
  calibrationMetrics,
  metricsRecord,
  sha256Hex,
  type CandidateOptions,
  type LabeledRows,
} from '@driftwatch/model';
import {
  defaultBinaryClasses,
  embeddingColumns,
  emptyReferenceProfile,
  isEmbeddingColumn,
  versionClasses,
  versionEmbeddingLength,
  type LabeledPrediction,
  type ModelVersion,
  type RetrainRequest,
  type ShadowTrial,
} from '@driftwatch/topics';

import type { Challenger } from './challenger.js';
import type { ReadWindow } from './read-training-window.js';
import { splitTrainingRows, type TrainingSplit } from './split-training-rows.js';
import {
  trainWithCommand,
  type CommandReport,
  type TrainingCommand,
} from './train-with-command.js';

export interface TrainingPolicy {
  /** The built-in family, and the reference profile's bins and sample (for either way). */
  candidate: CandidateOptions;
  /** `TRAINER_COMMAND`: when set, challengers come from the user's program, not the family. */
  command?: TrainingCommand | null;
  holdoutFraction: number;
  minRows: number;
  maxRows: number;
  criteria: PromotionCriteria;
  /**
   * `auto` (default): a challenger that meets the criteria is promoted. `manual`: it is published
   * as a `candidate`, which inference never serves until a person promotes it.
   */
  mode?: 'auto' | 'manual';
  /**
   * `PROMOTION_STAGE=shadow`: a challenger that meets the criteria goes on trial as a shadow under
   * this rule, for the detector to decide on live labels. Null: it serves.
   */
  shadow?: Omit<ShadowTrial, 'evidence'> | null;
  /**
   * The built-in family's window choice (see `chooseTrainingWindow`): besides the rows since the
   * change, the last `sizes[i]` rows, read back as far as `lookbackMs` before the change. Null:
   * train on the request's window only.
   */
  windows?: { sizes: readonly number[]; lookbackMs: number } | null;
}

/** What the trainer knows of a model's versions: the registry plus what this batch produced. */
export interface VersionLedger {
  latestPromoted(model: string): ModelVersion | undefined;
  highestVersionNumber(model: string): number;
  /** Newest `createdAt` of any version of the model, or undefined when there is none. */
  newestCreatedAt(model: string): number | undefined;
}

export type SkipReason =
  | 'superseded'
  | 'not-enough-data'
  | 'one-class'
  | 'missing-class'
  | 'invalid-input'
  | 'export-mismatch';

export type TrainingOutcome =
  | {
      kind: 'published';
      version: ModelVersion;
      trainMs: number;
      /** How the training command went, when `policy.command` trained the challenger. */
      command: CommandReport | null;
    }
  | { kind: 'skipped'; reason: SkipReason; detail: string };

type Skipped = Extract<TrainingOutcome, { kind: 'skipped' }>;

const noModel = new Uint8Array(0);

/**
 * Answers one retrain request: reads the labeled window, trains a challenger, proves its ONNX,
 * scores the champion on the same holdout, decides under the configured criteria, and returns
 * the model-version message — promoted or rejected, with metrics and lineage — to publish.
 *
 * The challenger comes from the configured built-in family, or, with `policy.command`, from the
 * user's training program (`trainWithCommand`), then goes the same way: the same holdout, the
 * same champion evaluation, the same criteria. A program that fails, times out or writes no
 * usable model answers the request with a rejected version that carries no model (no bytes,
 * the SHA-256 of no bytes) and a reason quoting its stderr.
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
    readWindow: ReadWindow;
    policy: TrainingPolicy;
    now: () => number;
    /** Aborted when the trainer stops: a running training command is killed, and this throws. */
    signal?: AbortSignal;
    /** Called every second while a training command runs (the consumer group's heartbeat). */
    keepAlive?: () => void;
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
  const labeled = await deps.readWindow(
    model,
    request.fromTs,
    request.toTs,
    request.labeledOffsets,
  );
  const windows = deps.policy.command ? null : (deps.policy.windows ?? null);
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
  const lineage: Pick<
    ModelVersion,
    'model' | 'version' | 'parentVersion' | 'requestId' | 'classes' | 'threshold' | 'trainingWindow'
  > = {
    model,
    version: deps.ledger.highestVersionNumber(model) + 1,
    parentVersion: champion?.version ?? null,
    requestId: request.requestId,
    classes: [...classes],
    threshold: champion?.threshold ?? 0.5,
    trainingWindow: {
      fromTs: request.fromTs,
      toTs: request.toTs,
      trainRows: split.train.rows.length,
      holdoutRows: split.holdout.rows.length,
    },
  };
  let challenger: Challenger;
  let command: CommandReport | null = null;
  if (deps.policy.command) {
    const invalid = labelsProblem(split, classes.length);
    if (invalid) return invalid;
    const trained = await trainWithCommand(
      {
        model,
        requestId: request.requestId,
        featureNames: split.featureNames,
        classes,
        threshold: lineage.threshold,
        train: split.train,
        holdout: split.holdout,
        referenceBins: deps.policy.candidate.referenceBins,
        ...(deps.policy.candidate.calibration
          ? { calibration: deps.policy.candidate.calibration }
          : {}),
        ...(deps.policy.candidate.referenceSampleSize === undefined
          ? {}
          : { referenceSampleSize: deps.policy.candidate.referenceSampleSize }),
      },
      deps.policy.command,
      {
        ...(deps.signal ? { signal: deps.signal } : {}),
        ...(deps.keepAlive ? { keepAlive: deps.keepAlive } : {}),
      },
    );
    command = trained.report;
    if (trained.kind === 'rejected') {
      // Nothing usable to carry: no bytes, and the SHA-256 of no bytes (the schema wants both);
      // no service loads a rejected version.
      const version: ModelVersion = {
        ...lineage,
        createdAt: deps.now(),
        status: 'rejected',
        reason: `${request.reason} request: ${trained.reason}`,
        decidedBy: null,
        traffic: null,
        shadowTrial: null,
        trainedWith: commandTrainedWith(deps.policy.command),
        sha256: sha256Hex(noModel),
        onnx: noModel,
        featureNames: split.featureNames,
        outputKind: null,
        reference: emptyReferenceProfile(),
        metrics: { challenger: {}, champion: null },
      };
      return { kind: 'published', version, trainMs: performance.now() - started, command };
    }
    challenger = trained.challenger;
  } else {
    const edgeCaseSet =
      request.reason === 'edge_cases'
        ? await edgeCaseTraining(deps.readWindow, champion, split, deps.policy.maxRows)
        : null;
    // The rows before the change the window choice may reach back to.
    const history =
      !edgeCaseSet && windows && windows.sizes.length > 0 && request.fromTs > 0
        ? splitTrainingRows(await readHistory(deps.readWindow, request, windows.lookbackMs), {
            featureNames: split.featureNames,
            holdoutFraction: 0,
            maxRows: deps.policy.maxRows,
          }).train
        : null;
    const choice = history
      ? chooseWindow(split, history, windows?.sizes ?? [], classes, {
          ...deps.policy.candidate,
          threshold: lineage.threshold,
        })
      : null;
    const trainOn = edgeCaseSet?.train ?? choice?.train ?? split;
    if (edgeCaseSet) {
      lineage.trainingWindow = {
        ...lineage.trainingWindow,
        trainRows: edgeCaseSet.train.train.rows.length,
        chosen: edgeCaseSet.chosen,
      };
    }
    if (choice) {
      lineage.trainingWindow = {
        ...lineage.trainingWindow,
        trainRows: choice.train.train.rows.length,
        chosen: choice.chosen,
        candidates: choice.candidates,
      };
    }
    const watched = champion ? watchedEmbeddingColumns(champion) : [];
    const built = await familyChallenger(trainOn, classes, {
      ...deps.policy.candidate,
      threshold: lineage.threshold,
      // The vector the champion's drift was watched on, and the model does not take: watched on.
      ...(watched.length > 0
        ? {
            embeddingRows: splitTrainingRows(labeled, {
              featureNames: watched,
              holdoutFraction: 0,
              maxRows: deps.policy.maxRows,
            }).train.rows.slice(edgeCaseSet ? -edgeCaseReferenceRows(split) : 0),
          }
        : {}),
      // Edge cases added to an older window are no sample of today's traffic: the reference is
      // the traffic as it came, the request window's latest rows.
      ...(edgeCaseSet ? { referenceRows: latestRows(split) } : {}),
    });
    if (built.kind === 'skipped') return built;
    challenger = built.challenger;
  }
  const championEvaluation = champion ? await evaluateChampion(champion, split.holdout) : null;
  // With nothing serving there is nothing to compare a shadow with: the first version serves.
  const shadow = champion ? (deps.policy.shadow ?? null) : null;
  const manual = deps.policy.mode === 'manual';
  const decision = decidePromotion({
    challenger: challenger.holdoutMetrics,
    champion: championEvaluation?.metrics ?? null,
    ...(championEvaluation
      ? {
          championCorrect: championEvaluation.correct,
          challengerCorrect: challenger.holdoutCorrect,
        }
      : {}),
    criteria: deps.policy.criteria,
  });
  const version: ModelVersion = {
    ...lineage,
    createdAt: deps.now(),
    status: decision.promote ? (shadow ? 'shadow' : manual ? 'candidate' : 'promoted') : 'rejected',
    reason: `${request.reason} request: ${decision.reason}${
      !decision.promote
        ? ''
        : shadow
          ? `; on trial as a shadow until ${shadow.minLabeled} labeled events decide`
          : manual
            ? '; awaiting approval (driftwatch promote or reject)'
            : ''
    }`,
    decidedBy: null,
    traffic: null,
    shadowTrial: decision.promote && shadow ? { ...shadow, evidence: null } : null,
    trainedWith: deps.policy.command
      ? commandTrainedWith(deps.policy.command)
      : candidateTrainedWith(deps.policy.candidate),
    sha256: challenger.sha256,
    onnx: challenger.onnx,
    featureNames: [...challenger.featureNames],
    outputKind: challenger.outputKind,
    reference: challenger.reference,
    metrics: {
      challenger: {
        ...metricsRecord(challenger.holdoutMetrics),
        ...calibrationMetrics(challenger.reference.cbpe),
      },
      champion: championEvaluation ? metricsRecord(championEvaluation.metrics) : null,
    },
  };
  // A version that may serve carries its rules calibrated to the asking detector's budget, so
  // the detector does not stall its batch for seconds simulating them when the version arrives.
  if (version.status !== 'rejected' && request.alarmSettings) {
    version.alarmCalibration = calibrateVersionAlarms(version, request.alarmSettings);
  }
  if (champion?.goldenSet) await scoreOnGoldenSet(version, champion, champion.goldenSet);
  return { kind: 'published', version, trainMs: performance.now() - started, command };
}

/**
 * The champion's golden set, carried on to the challenger, with both scored on it: their accuracy
 * in the metrics (`goldenAccuracy`) and in the decision's reason. The decision itself stays the
 * holdout's, as the criteria say; the golden set is the owner's fixed yardstick beside it.
 */
async function scoreOnGoldenSet(
  version: ModelVersion,
  champion: ModelVersion,
  golden: NonNullable<ModelVersion['goldenSet']>,
): Promise<void> {
  const rows = { rows: golden.rows, labels: golden.labels };
  const [challenger, old] = await Promise.all([
    evaluateChampion(version, rows),
    evaluateChampion(champion, rows),
  ]);
  const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
  version.goldenSet = golden;
  version.metrics = {
    challenger: { ...version.metrics.challenger, goldenAccuracy: challenger.metrics.accuracy },
    champion: { ...(version.metrics.champion ?? {}), goldenAccuracy: old.metrics.accuracy },
  };
  version.reason += `; golden set (${golden.rows.length} rows): ${percent(challenger.metrics.accuracy)} vs champion v${champion.version} ${percent(old.metrics.accuracy)}`;
}

/**
 * The window the built-in family trains on: the rows since the change (the request's window, but
 * its holdout) after the history before it, judged on a validation slice of the holdout's size
 * just before the holdout. Null when there are too few rows to spare a validation slice, or no
 * window can train — the request's window is then trained on as before.
 */
function chooseWindow(
  split: TrainingSplit,
  history: LabeledRows,
  sizes: readonly number[],
  classes: readonly string[],
  options: CandidateOptions,
): { train: TrainingSplit; chosen: string; candidates: WindowCandidate[] } | null {
  const rows = [...history.rows, ...split.train.rows];
  const labels = [...history.labels, ...split.train.labels];
  const validationRows = split.holdout.rows.length;
  if (validationRows === 0 || rows.length < 2 * validationRows) return null;
  let choice;
  try {
    choice = chooseTrainingWindow({
      family: options.family,
      training: options.training,
      classCount: classes.length,
      featureNames: split.featureNames,
      rows,
      labels,
      changeAt: history.rows.length,
      sizes,
      validationRows,
      ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    });
  } catch (error) {
    if (error instanceof LearnError && error.code === 'DW_LEARN_INVALID_INPUT') return null;
    throw error;
  }
  return {
    train: {
      ...split,
      train: { rows: rows.slice(choice.finalFrom), labels: labels.slice(choice.finalFrom) },
    },
    chosen: choice.chosen.window,
    candidates: choice.candidates,
  };
}

/**
 * What an edge-case retrain learns from: the rows the champion was trained on (its training
 * window, read back from `predictions-labeled`) plus every labeled edge case the request's window
 * collected outside its holdout — the training data and the cases it had too few of. Null when the
 * champion's window cannot be read back (a registered or bootstrapped version trained elsewhere):
 * the request's own window, which holds its edge cases, trains as for any other request.
 */
async function edgeCaseTraining(
  readWindow: ReadWindow,
  champion: ModelVersion | undefined,
  split: TrainingSplit,
  maxRows: number,
): Promise<{ train: TrainingSplit; chosen: string } | null> {
  const window = champion?.trainingWindow;
  if (!champion || !window || window.toTs <= window.fromTs) return null;
  const base = splitTrainingRows(await readWindow(champion.model, window.fromTs, window.toTs), {
    featureNames: split.featureNames,
    holdoutFraction: 0,
    maxRows,
  }).train;
  if (base.rows.length === 0) return null;
  const { edgeCases } = split;
  return {
    train: {
      ...split,
      train: {
        rows: [...base.rows, ...edgeCases.rows],
        labels: [...base.labels, ...edgeCases.labels],
      },
    },
    chosen: `v${champion.version}'s training window + ${edgeCases.rows.length} edge cases`,
  };
}

/**
 * Rows an edge-case challenger's reference is profiled on: the request window's latest 1,000 (or
 * its holdout, when larger). Recent, because the reference says what the version will serve, and
 * the edge cases are what moved; 1,000 rows, because a reference of a few hundred gives clusters
 * of a dozen rows, whose shares and distance quantiles are too rough to judge edge cases by.
 */
function latestRows(split: TrainingSplit): LabeledRows['rows'] {
  return [...split.train.rows, ...split.holdout.rows].slice(-edgeCaseReferenceRows(split));
}

const edgeCaseReferenceRows = (split: TrainingSplit): number =>
  Math.max(1_000, split.holdout.rows.length);

/** The embedding columns `version`'s drift is watched on that its model does not take; [] if none. */
function watchedEmbeddingColumns(version: ModelVersion): string[] {
  const length = versionEmbeddingLength(version);
  return version.featureNames.some(isEmbeddingColumn) ? [] : embeddingColumns(length);
}

/** A challenger of the configured built-in family, or why the window cannot train one. */
async function familyChallenger(
  split: TrainingSplit,
  classes: readonly string[],
  options: CandidateOptions,
): Promise<{ kind: 'challenger'; challenger: Challenger } | Skipped> {
  let candidate;
  try {
    candidate = await buildCandidate(split.featureNames, split.train, split.holdout, {
      ...options,
      classCount: classes.length,
      classes,
    });
  } catch (error) {
    if (error instanceof LearnError && error.code === 'DW_LEARN_ONE_CLASS') {
      return { kind: 'skipped', reason: 'one-class', detail: error.message };
    }
    // A multiclass window lacking one of the champion's classes: the softmax cannot learn it,
    // and the same window lacks it however often it is retried.
    if (error instanceof LearnError && error.code === 'DW_LEARN_MISSING_CLASS') {
      return { kind: 'skipped', reason: 'missing-class', detail: error.message };
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
  return {
    kind: 'challenger',
    challenger: {
      onnx: candidate.onnx,
      sha256: candidate.sha256,
      featureNames: split.featureNames,
      // Our own exports: a single [N, 1] output is a probability; [N, K] needs no reading hint.
      outputKind: classes.length === 2 ? 'probability' : null,
      reference: candidate.reference,
      holdoutMetrics: candidate.holdoutMetrics,
      holdoutCorrect: candidate.holdoutCorrect,
    },
  };
}

/**
 * What the built-in families refuse before training, checked before a training program is run:
 * labels that are not class indices (the CSV names each row's class), or one class only (no
 * program can learn to tell classes apart from it). Whether a class may be absent is the
 * program's to decide.
 */
function labelsProblem(split: TrainingSplit, classCount: number): Skipped | null {
  const labels = [...split.train.labels, ...split.holdout.labels];
  const bad = labels.findIndex(
    (label) => !Number.isInteger(label) || label < 0 || label >= classCount,
  );
  if (bad >= 0) {
    return {
      kind: 'skipped',
      reason: 'invalid-input',
      detail: `label ${labels[bad]} of row ${bad} is not one of the ${classCount} class indices of the champion`,
    };
  }
  if (new Set(split.train.labels).size < 2) {
    return {
      kind: 'skipped',
      reason: 'one-class',
      detail: `the ${split.train.labels.length} training rows hold one class only`,
    };
  }
  return null;
}

/**
 * The rows before the request's window, back to `lookbackMs` before it: up to the record before
 * its first by offset when the request names one, else up to the millisecond before `fromTs`.
 */
function readHistory(
  readWindow: ReadWindow,
  request: RetrainRequest,
  lookbackMs: number,
): Promise<LabeledPrediction[]> {
  const from = Math.max(0, request.fromTs - lookbackMs);
  const offsets = request.labeledOffsets;
  if (offsets?.fromOffset == null) return readWindow(request.model, from, request.fromTs - 1);
  if (offsets.fromOffset === 0) return Promise.resolve([]);
  return readWindow(request.model, from, request.fromTs, {
    partition: offsets.partition,
    fromOffset: null,
    toOffset: offsets.fromOffset - 1,
  });
}

/** A training program's version: trained with its command line, as typed. */
function commandTrainedWith(command: TrainingCommand): Record<string, string> {
  return { command: command.argv.join(' ') };
}
