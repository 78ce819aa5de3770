import {
  deadLetterMessage,
  recordCoordinate,
  type InputRecord,
  type OutputMessage,
} from '@driftwatch/bus';
import {
  modelVersionKey,
  type DecodeError,
  type DriftAlert,
  type ModelVersion,
  type RetrainRequest,
} from '@driftwatch/topics';

import { alarmSettingsOf } from './alarm-settings-of.js';
import type { ConceptSignal } from './concept-monitor.js';
import type { DataSignal } from './data-monitor.js';
import type { EstimateSignal } from './estimated-performance.js';
import type { DetectorDependencies } from './detector-dependencies.js';
import type { PolicyOutcome, RetrainPolicy } from './retrain-policy.js';
import { alertIdFor, stableId } from './stable-id.js';
import { formatSnapshotPosition, snapshotPositionHeader } from './snapshot-position.js';
import { formatStateKey, type StateKey } from './state-key.js';
import type { StateSnapshot } from './state-store.js';

/**
 * What one attempt at a batch produces, in order: dead letters, alerts, retrain requests,
 * shadows' decided version records, re-keyed feature batches and state snapshots. Every message goes out in the batch's transaction
 * or not at all; counting it waits for the commit (the diagnostics given are `untilCommitted`).
 */
export class DetectorOutput {
  readonly messages: OutputMessage[] = [];
  readonly #deps: Pick<
    DetectorDependencies,
    'names' | 'internal' | 'codecs' | 'diagnostics' | 'options'
  >;
  /** The attempt's clock reading: one per batch, so a retried batch stamps what it stamped. */
  readonly now: number;

  constructor(
    deps: Pick<DetectorDependencies, 'names' | 'internal' | 'codecs' | 'diagnostics' | 'options'>,
    now: number,
  ) {
    this.#deps = deps;
    this.now = now;
  }

  async deadLetter(record: InputRecord, error: DecodeError): Promise<void> {
    this.#deps.diagnostics.deadLettered(error.code);
    this.messages.push(
      await deadLetterMessage({
        service: 'detector',
        record,
        why: { code: error.code, reason: error.message },
        deadLetterTopic: this.#deps.names.deadLetter,
        codec: this.#deps.codecs.deadLetter,
        now: this.now,
      }),
    );
  }

  /**
   * The alert for `signal`, raised on `record` (the evidence), published. `distinguish` tells
   * apart several alerts of one record that would otherwise share an id (rows of a feature batch);
   * `incidentOf` names the incident an alert of this id joins (the model's retrain policy).
   */
  async alert(
    signal: ConceptSignal | DataSignal | EstimateSignal,
    model: string,
    modelVersion: number,
    record: InputRecord,
    incidentOf: (alertId: string) => string,
    distinguish?: number,
  ): Promise<DriftAlert> {
    const feature = 'feature' in signal ? signal.feature : null;
    const id = alertIdFor(recordCoordinate(record), signal.detector, feature);
    const alertId = distinguish === undefined ? id : stableId(id, distinguish);
    const alert: DriftAlert = {
      alertId,
      model,
      modelVersion,
      kind: signal.kind,
      detector: signal.detector,
      feature,
      statistic: signal.statistic,
      threshold: signal.threshold,
      windowStart: signal.windowStart,
      windowEnd: signal.windowEnd,
      observedAt: this.now,
      severity: signal.severity,
      evidence: { topic: record.topic, partition: record.partition, offset: record.offset },
      summary: `${model} v${modelVersion}: ${signal.summary}, since ${new Date(signal.windowStart).toISOString()}`,
      expectedRunLength: signal.expectedRunLength,
      incidentId: incidentOf(alertId),
    };
    this.#deps.diagnostics.alerted(alert);
    this.messages.push({
      topic: this.#deps.names.driftAlerts,
      key: alert.model,
      value: await this.#deps.codecs.driftAlerts.encode(alert),
    });
    return alert;
  }

  /**
   * Publishes the retrain request a policy decided on, with an id derived from the record that
   * tipped it; a request the policy de-duplicated is only counted.
   */
  async retrainRequest(
    model: string,
    policy: RetrainPolicy,
    outcome: PolicyOutcome,
    record: InputRecord,
  ): Promise<void> {
    const { decision } = outcome;
    if (outcome.deduplicated) {
      this.#deps.diagnostics.retrainDeduplicated(model, decision.reason);
      return;
    }
    const request: RetrainRequest = {
      requestId: stableId('retrain', recordCoordinate(record), decision.reason),
      model,
      reason: decision.reason,
      alertId: decision.alertId,
      fromTs: Math.min(decision.fromTs, decision.toTs),
      toTs: decision.toTs,
      labeledOffsets: decision.labeledOffsets ?? null,
      requestedAt: this.now,
      incidentId: decision.incidentId ?? null,
      alarmSettings: alarmSettingsOf(this.#deps.options),
    };
    policy.requested(request.requestId, this.now);
    this.#deps.diagnostics.retrainRequested(request);
    this.messages.push({
      topic: this.#deps.names.retrainRequested,
      key: model,
      value: await this.#deps.codecs.retrainRequested.encode(request),
    });
  }

  /** A version's new record — a shadow's trial decided — for `model-versions`. */
  async modelVersion(version: ModelVersion): Promise<void> {
    this.messages.push({
      topic: this.#deps.names.modelVersions,
      key: modelVersionKey(version.model, version.version),
      value: await this.#deps.codecs.modelVersions.encode(version),
    });
  }

  /** A state snapshot for the changelog, in the batch's transaction. */
  snapshot(key: StateKey, snapshot: StateSnapshot<unknown>): void {
    this.messages.push({
      topic: this.#deps.internal.state,
      key: formatStateKey(key),
      value: Buffer.from(JSON.stringify(snapshot)),
      headers: { [snapshotPositionHeader]: formatSnapshotPosition(snapshot) },
    });
  }
}
