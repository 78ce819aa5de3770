import { createHash } from 'node:crypto';

import {
  deadLetterMessage,
  recordCoordinate,
  untilCommitted,
  type BatchHandler,
  type InputRecord,
  type ModelRegistry,
  type OutputMessage,
  type RecordBatch,
} from '@driftwatch/bus';
import {
  DecodeError,
  validate,
  type Codec,
  type DeadLetter,
  type DriftAlert,
  type LabeledPrediction,
  type Prediction,
  type RetrainRequest,
  type TopicNames,
} from '@driftwatch/topics';

import {
  ConceptMonitor,
  type ConceptMonitorOptions,
  type ConceptSignal,
} from './concept-monitor.js';
import { DataMonitor, type DataMonitorOptions, type DataSignal } from './data-monitor.js';
import type { DetectorDiagnostics } from './diagnostics.js';
import { featureBatchSchema, type FeatureBatch } from './internal-topics.js';
import {
  ConceptState,
  DataState,
  type ConceptStateJson,
  type DataStateJson,
} from './model-states.js';
import { RetrainPolicy, type PolicyOutcome, type RetrainPolicyOptions } from './retrain-policy.js';
import type { Snapshotable, StateStore } from './state-store.js';

export interface DetectorDependencies {
  names: Pick<
    TopicNames,
    'predictions' | 'predictionsLabeled' | 'driftAlerts' | 'retrainRequested' | 'deadLetter'
  >;
  internal: { features: string; state: string };
  codecs: {
    predictions: Codec<Prediction>;
    predictionsLabeled: Codec<LabeledPrediction>;
    driftAlerts: Codec<DriftAlert>;
    retrainRequested: Codec<RetrainRequest>;
    deadLetter: Codec<DeadLetter>;
  };
  registry: ModelRegistry;
  /** Resolves once the registry holds every model version published so far. */
  refreshRegistry: () => Promise<void>;
  concept: StateStore<ConceptState, ConceptStateJson>;
  data: StateStore<DataState, DataStateJson>;
  options: {
    concept: ConceptMonitorOptions;
    data: DataMonitorOptions;
    policy: RetrainPolicyOptions;
  };
  now: () => number;
  diagnostics: DetectorDiagnostics;
}

/** Ids derived from where the evidence sits in Kafka, so a retried batch republishes the same ids. */
export function stableId(...parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

/**
 * The id of the alert a detector raises on the labeled or feature record at `coordinate`
 * (`topic/partition@offset`): who reads alerts can find the record that completed the evidence.
 */
export function alertIdFor(coordinate: string, detector: string, feature: string | null): string {
  return stableId('alert', coordinate, detector, feature ?? '');
}

/**
 * The detector's logic, one batch at a time, for three inputs:
 * - `predictions` (keyed by id): re-keyed by model onto the features repartition topic;
 * - the repartition topic: data drift per model version (PSI per feature and score, KS);
 * - `predictions-labeled` (keyed by model): concept drift per model version and retrain policies.
 * Every state change rides in the batch's transaction as a changelog snapshot.
 */
export function createDetectorHandler(deps: DetectorDependencies): BatchHandler {
  const { names, internal } = deps;
  return async (batch, context) => {
    deps.concept.begin();
    deps.data.begin();
    // What this attempt staged becomes the state the next batch starts from only if it commits.
    context.afterCommit(() => {
      deps.concept.committed();
      deps.data.committed();
    });
    const attempt = { ...deps, diagnostics: untilCommitted(deps.diagnostics, context) };
    if (batch.topic === names.predictions) return repartition(attempt, batch);
    if (batch.topic === internal.features) return detectDataDrift(attempt, batch);
    if (batch.topic === names.predictionsLabeled) return detectConceptDrift(attempt, batch);
    throw new Error(`detector: no handler for topic ${batch.topic}`);
  };
}

async function deadLetter(
  deps: DetectorDependencies,
  record: InputRecord,
  error: DecodeError,
  now: number,
): Promise<OutputMessage> {
  deps.diagnostics.deadLettered(error.code);
  return deadLetterMessage({
    service: 'detector',
    record,
    why: { code: error.code, reason: error.message },
    deadLetterTopic: deps.names.deadLetter,
    codec: deps.codecs.deadLetter,
    now,
  });
}

async function repartition(
  deps: DetectorDependencies,
  batch: RecordBatch,
): Promise<OutputMessage[]> {
  const outputs: OutputMessage[] = [];
  const groups = new Map<string, FeatureBatch>();
  const now = deps.now();
  for (const record of batch.records) {
    let prediction: Prediction;
    try {
      prediction = await deps.codecs.predictions.decode(record.value);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      outputs.push(await deadLetter(deps, record, error, now));
      continue;
    }
    const groupKey = `${prediction.model}/${prediction.modelVersion}`;
    let group = groups.get(groupKey);
    if (!group) {
      group = {
        model: prediction.model,
        modelVersion: prediction.modelVersion,
        timestamps: [],
        scores: [],
        features: {},
      };
      groups.set(groupKey, group);
    }
    const row = group.timestamps.length;
    group.timestamps.push(Number(record.timestamp));
    group.scores.push(prediction.score);
    for (const [name, value] of Object.entries(prediction.features)) {
      const column = (group.features[name] ??= new Array<number | null>(row).fill(null));
      column.push(value);
    }
    for (const column of Object.values(group.features)) if (column.length <= row) column.push(null);
  }
  for (const group of groups.values()) {
    outputs.push({
      topic: deps.internal.features,
      key: group.model,
      value: Buffer.from(JSON.stringify(group)),
    });
  }
  return outputs;
}

function alertFor(
  signal: ConceptSignal | DataSignal,
  model: string,
  version: number,
  record: InputRecord,
  now: number,
): DriftAlert {
  const feature = 'feature' in signal ? signal.feature : null;
  return {
    alertId: alertIdFor(recordCoordinate(record), signal.detector, feature),
    model,
    modelVersion: version,
    kind: signal.kind,
    detector: signal.detector,
    feature,
    statistic: signal.statistic,
    threshold: signal.threshold,
    windowStart: signal.windowStart,
    windowEnd: signal.windowEnd,
    observedAt: now,
    severity: signal.severity,
  };
}

async function publishAlert(
  deps: DetectorDependencies,
  alert: DriftAlert,
  outputs: OutputMessage[],
): Promise<void> {
  deps.diagnostics.alerted(alert);
  outputs.push({
    topic: deps.names.driftAlerts,
    key: alert.model,
    value: await deps.codecs.driftAlerts.encode(alert),
  });
}

async function publishRetrain(
  deps: DetectorDependencies,
  model: string,
  policy: RetrainPolicy,
  outcome: PolicyOutcome,
  record: InputRecord,
  now: number,
  outputs: OutputMessage[],
): Promise<void> {
  const { decision } = outcome;
  if (outcome.deduplicated) {
    deps.diagnostics.retrainDeduplicated(model, decision.reason);
    return;
  }
  const request: RetrainRequest = {
    requestId: stableId('retrain', recordCoordinate(record), decision.reason),
    model,
    reason: decision.reason,
    alertId: decision.alertId,
    fromTs: Math.min(decision.fromTs, decision.toTs),
    toTs: decision.toTs,
    requestedAt: now,
  };
  policy.requested(request.requestId, now);
  deps.diagnostics.retrainRequested(request);
  outputs.push({
    topic: deps.names.retrainRequested,
    key: model,
    value: await deps.codecs.retrainRequested.encode(request),
  });
}

/**
 * Writes the state of every model a batch touched to the changelog, in the batch's transaction,
 * and reports its metrics. Keys are `<stream>/<model>`.
 */
function writeSnapshots<State extends Snapshotable<Json>, Json>(
  store: StateStore<State, Json>,
  touched: ReadonlyMap<string, InputRecord>,
  stateTopic: string,
  outputs: OutputMessage[],
  report: (model: string, state: State) => void,
): void {
  for (const [key, record] of touched) {
    const snapshot = store.touch(key, record.partition, record.offset);
    outputs.push({ topic: stateTopic, key, value: Buffer.from(JSON.stringify(snapshot)) });
    const state = store.get(key);
    if (state) report(key.slice(key.indexOf('/') + 1), state);
  }
}

async function detectConceptDrift(
  deps: DetectorDependencies,
  batch: RecordBatch,
): Promise<OutputMessage[]> {
  const outputs: OutputMessage[] = [];
  const touched = new Map<string, InputRecord>();
  const now = deps.now();
  const isAnswered = (requestId: string): boolean => deps.registry.hasAnswered(requestId);
  for (const record of batch.records) {
    let labeled: LabeledPrediction;
    try {
      labeled = await deps.codecs.predictionsLabeled.decode(record.value);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      outputs.push(await deadLetter(deps, record, error, now));
      continue;
    }
    const { model, modelVersion } = labeled;
    const ts = Number(record.timestamp);
    const key = `concept/${model}`;
    let state = deps.concept.get(key);
    if (state && modelVersion < state.version) {
      // Labels still arriving for a version that no longer serves: not evidence about this one.
      deps.diagnostics.staleVersion(model, 'concept');
      continue;
    }
    if (!state || modelVersion > state.version) {
      const policy = state?.policy ?? new RetrainPolicy(deps.options.policy);
      policy.startVersion(ts);
      if (state) deps.diagnostics.versionRetired(model, state.version);
      state = new ConceptState(modelVersion, new ConceptMonitor(deps.options.concept), policy);
      deps.concept.set(key, state);
    }
    deps.diagnostics.labelDelay(model, labeled.labelDelayMs);
    const signals = state.monitor.observe({
      label: labeled.label,
      predicted: labeled.predicted,
      score: labeled.score,
      ts,
    });
    // This record is the policy's tick before it is evidence: a drift trigger waits for the
    // labeled predictions that come after the alert.
    const outcome = state.policy.onLabeled(
      {
        ts,
        now,
        windowAccuracy: state.monitor.fullWindowAccuracy,
        windowStart: state.monitor.windowStart,
      },
      isAnswered,
    );
    if (outcome) await publishRetrain(deps, model, state.policy, outcome, record, now, outputs);
    for (const signal of signals) {
      const alert = alertFor(signal, model, modelVersion, record, now);
      await publishAlert(deps, alert, outputs);
      state.policy.onConceptAlert(alert.alertId, ts);
    }
    touched.set(key, record);
  }
  writeSnapshots(deps.concept, touched, deps.internal.state, outputs, (model, state) => {
    deps.diagnostics.conceptMetrics(model, state.version, state.monitor.metrics());
  });
  return outputs;
}

async function detectDataDrift(
  deps: DetectorDependencies,
  batch: RecordBatch,
): Promise<OutputMessage[]> {
  const outputs: OutputMessage[] = [];
  const touched = new Map<string, InputRecord>();
  const now = deps.now();
  const isAnswered = (requestId: string): boolean => deps.registry.hasAnswered(requestId);
  for (const record of batch.records) {
    let features: FeatureBatch;
    try {
      features = validate(featureBatchSchema, JSON.parse(record.value?.toString('utf8') ?? 'null'));
    } catch (error) {
      const decodeError =
        error instanceof DecodeError ? error : new DecodeError('DW_MALFORMED_JSON', String(error));
      outputs.push(await deadLetter(deps, record, decodeError, now));
      continue;
    }
    const { model, modelVersion } = features;
    const key = `data/${model}`;
    let state = deps.data.get(key);
    if (state && modelVersion < state.version) {
      deps.diagnostics.staleVersion(model, 'data');
      continue;
    }
    if (!state || modelVersion > state.version) {
      let version = deps.registry.get(model, modelVersion);
      if (!version) {
        // Inference served it, so it is on model-versions; our registry may just be behind.
        await deps.refreshRegistry();
        version = deps.registry.get(model, modelVersion);
      }
      if (!version) {
        deps.diagnostics.unknownVersion(model, modelVersion);
        continue;
      }
      if (state) deps.diagnostics.versionRetired(model, state.version);
      state = new DataState(
        modelVersion,
        new DataMonitor(version.reference, deps.options.data),
        state?.policy ?? new RetrainPolicy(deps.options.policy),
      );
      deps.data.set(key, state);
    }
    for (let row = 0; row < features.timestamps.length; row++) {
      const ts = features.timestamps[row] ?? 0;
      const values: Record<string, number | null> = {};
      for (const [name, column] of Object.entries(features.features))
        values[name] = column[row] ?? null;
      for (const signal of state.monitor.observe({
        features: values,
        score: features.scores[row] ?? 0,
        ts,
      })) {
        const alert = alertFor(signal, model, modelVersion, record, now);
        // Several signals of one record differ by detector and feature, so their ids differ too.
        alert.alertId = stableId(alert.alertId, row);
        await publishAlert(deps, alert, outputs);
        const outcome = state.policy.onDataAlert(
          alert.alertId,
          signal.windowStart,
          ts,
          now,
          isAnswered,
        );
        if (outcome) await publishRetrain(deps, model, state.policy, outcome, record, now, outputs);
      }
    }
    touched.set(key, record);
  }
  writeSnapshots(deps.data, touched, deps.internal.state, outputs, (model, state) => {
    deps.diagnostics.dataMetrics(model, state.version, state.monitor.psiByFeature());
  });
  return outputs;
}
