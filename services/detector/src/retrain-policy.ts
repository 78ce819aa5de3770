import type { RetrainRequest } from '@driftwatch/topics';

export type RetrainReason = RetrainRequest['reason'];

export interface RetrainPolicyOptions {
  /** Ask after a concept-drift alert. */
  onDrift: boolean;
  /** Ask after a data-drift alert. */
  onDataDrift: boolean;
  /** Ask when the full window's accuracy is below this; 0: off. */
  accuracyBelow: number;
  /** Re-arm margin of the accuracy rule. */
  rearmMargin: number;
  /** Ask every interval while the model has traffic; 0: off. */
  intervalMs: number;
  /** Ask once a version has this many labeled predictions; 0: off. */
  afterLabeled: number;
  /** Ask each time the serving version has collected this many labeled edge cases; 0 or absent: off. */
  afterEdgeCases?: number;
  /**
   * …and only while edge cases make up at least this share of recent labeled predictions (an
   * exponentially weighted share over about the last {@link edgeCaseShareSpan}); 0 or absent: any.
   * Traffic like the reference has its own share of edge cases (about 1% at inference's p99), so
   * the count alone would retrain a model that is fine, just slower.
   */
  edgeCaseShare?: number;
  /** A drift trigger waits for this many labeled predictions of the new concept. */
  minRows: number;
  /** An unanswered request stops blocking new ones after this long. */
  inFlightTimeoutMs: number;
  /**
   * Alerts of one version within this many milliseconds of the incident's latest (by their
   * records' timestamps) join it; 0: every alert is an incident of its own. Absent: 0.
   */
  incidentWindowMs?: number;
}

/** Where a labeled prediction sits in `predictions-labeled`. */
export interface LabeledPosition {
  partition: number;
  offset: number;
}

/** What the policy decided: a request to publish, without its id (the caller derives one). */
export interface RetrainDecision {
  reason: RetrainReason;
  alertId: string | null;
  /** The incident of the alert that asked; absent when no alert did. */
  incidentId?: string;
  fromTs: number;
  toTs: number;
  /** The window's bounds by offset, when labeled predictions bound it (`RetrainRequest`). */
  labeledOffsets?: NonNullable<RetrainRequest['labeledOffsets']>;
}

/**
 * Where a model's retraining stands: `idle`; `waiting` for labeled predictions of the new concept
 * after a concept-drift alert; `in-flight` from the request until a model version answers it or
 * it expires, back to `idle` either way.
 */
export type RetrainPhase =
  | { kind: 'idle' }
  | {
      kind: 'waiting';
      alertId: string;
      /** Absent in snapshots written before incidents. */
      incidentId?: string;
      fromTs: number;
      /** The alert's labeled prediction; absent in snapshots written before positions were kept. */
      from?: LabeledPosition;
      rowsSince: number;
    }
  | { kind: 'in-flight'; requestId: string; requestedAt: number };

export interface RetrainPolicyState {
  phase: RetrainPhase;
  accuracyArmed: boolean;
  lastScheduledAt: number | null;
  versionStartTs: number | null;
  /** The serving version's first labeled prediction (absent in older snapshots). */
  versionStart?: LabeledPosition | null;
  labeledThisVersion: number;
  /** Labeled edge cases of the serving version since it last asked for them (absent in older snapshots). */
  edgeCasesLabeled?: number;
  /** Edge cases' exponentially weighted share of the labeled predictions (absent in older snapshots). */
  recentEdgeCaseShare?: number;
  /** Counts the snapshots written: orders a policy's snapshots, which its two inputs both write. */
  revision: number;
  /** The model's latest incident; absent in snapshots written before incidents. */
  incident?: Incident | null;
}

/**
 * One drift, seen by however many rules: alerts of one model version, each within the incident
 * window of the one before. `asked` once it led to a request (or a wait for rows): its later
 * alerts ask for nothing more. The incident closes when its request is answered or expires, so a
 * drift still there after a rejected challenger opens a new incident, which asks again.
 */
export interface Incident {
  /** Its first alert's id. */
  id: string;
  version: number;
  /** The latest alert's record timestamp. */
  lastTs: number;
  asked: boolean;
}

export interface LabeledTick {
  /** Kafka timestamp of the labeled prediction. */
  ts: number;
  /** Wall clock, for the schedule and the in-flight timeout. */
  now: number;
  /** The full window's accuracy, undefined while the window fills. */
  windowAccuracy: number | undefined;
  windowStart: number;
  /** Where the labeled prediction sits: a request's window ends with it. */
  at?: LabeledPosition;
  /** Whether inference judged the prediction an edge case. */
  edgeCase?: boolean;
}

/** A decision, and whether it was dropped because a request for the model is in flight. */
export interface PolicyOutcome {
  decision: RetrainDecision;
  deduplicated: boolean;
}

/**
 * Labeled predictions the recent edge-case share is weighted over (its time constant): long enough
 * that the reference's own 1% rarely reads as 2% (one standard deviation is about 0.2 points), short
 * enough that a posture turning common lifts it within a few dozen predictions.
 */
export const edgeCaseShareSpan = 1_000;

const initialState = (): RetrainPolicyState => ({
  phase: { kind: 'idle' },
  accuracyArmed: true,
  lastScheduledAt: null,
  versionStartTs: null,
  versionStart: null,
  labeledThisVersion: 0,
  revision: 0,
  incident: null,
});

/**
 * When to ask the trainer for a challenger: one policy per model, fed by every rule that may
 * ask — concept drift, data drift, performance, schedule, volume — so a model never has two
 * requests in flight. Each cause is on or off:
 * - drift: a concept-drift alert moves the policy to `waiting`; after `minRows` more labeled
 *   predictions it asks, so the challenger learns the new concept and not the old one;
 * - data drift: a data-drift alert asks at once, since it carries no labels to wait for (off by
 *   default: inputs moving is not proof the model is wrong);
 * - performance: the window's accuracy below `accuracyBelow` (re-armed on recovery);
 * - schedule: every `intervalMs` while labeled traffic flows — a model without traffic has no new
 *   data to learn from, so it is not retrained on an empty schedule;
 * - volume: once per version, after `afterLabeled` labeled predictions;
 * - edge cases: each time the serving version has collected `afterEdgeCases` labeled edge cases
 *   (events inference found where the version's reference was sparse), over its whole serving life,
 *   while they are at least `edgeCaseShare` of recent labeled predictions.
 * While `waiting` or `in-flight`, every other cause is dropped and reported as deduplicated: a
 * drift that trips the concept and the data rules together makes one request. Requests follow
 * incidents, not rules: alerts close in time are one incident ({@link incidentOf}), which asks
 * once; it closes when that request is answered or expires. A request stops
 * being in flight when a model version answers it or it is `inFlightTimeoutMs` old. Manual
 * requests come from the CLI and bypass the policy.
 */
export class RetrainPolicy {
  readonly #options: RetrainPolicyOptions;
  readonly #state: RetrainPolicyState;

  constructor(options: RetrainPolicyOptions, state?: RetrainPolicyState) {
    this.#options = options;
    this.#state = state ? structuredClone(state) : initialState();
  }

  get phase(): RetrainPhase['kind'] {
    return this.#state.phase.kind;
  }

  /** A newer model version now serves: its counters start over, and a wait for rows ends. */
  startVersion(ts: number, at?: LabeledPosition): void {
    const state = this.#state;
    state.versionStartTs = ts;
    state.versionStart = at ?? null;
    state.labeledThisVersion = 0;
    state.edgeCasesLabeled = 0;
    // Its edge cases are judged against its own reference: the last version's rate says nothing.
    state.recentEdgeCaseShare = 0;
    state.accuracyArmed = true;
    if (state.phase.kind === 'waiting') state.phase = { kind: 'idle' };
  }

  /**
   * The incident an alert of `version` at record timestamp `ts` belongs to, opening one when it
   * is the first alert in the incident window (or of a newer version, or after the incident's
   * request was answered or expired): its id.
   */
  incidentOf(
    alertId: string,
    version: number,
    ts: number,
    now: number,
    isAnswered: (requestId: string) => boolean,
  ): string {
    this.#settle(now, isAnswered);
    const window = this.#options.incidentWindowMs ?? 0;
    const open = this.#state.incident;
    // Concept and data alerts come from two topics, so one may carry an earlier timestamp.
    if (open && open.version === version && Math.abs(ts - open.lastTs) <= window && window > 0) {
      open.lastTs = Math.max(open.lastTs, ts);
      return open.id;
    }
    this.#state.incident = { id: alertId, version, lastTs: ts, asked: false };
    return alertId;
  }

  /**
   * A concept-drift alert at `ts`: from idle, wait for rows of the new concept. While a request
   * is coming or in flight, or once its incident has asked, the alert asks for nothing more, and
   * that is the outcome returned.
   */
  onConceptAlert(
    alertId: string,
    ts: number,
    now: number,
    isAnswered: (requestId: string) => boolean,
    at?: LabeledPosition,
    incidentId?: string,
  ): PolicyOutcome | null {
    if (!this.#options.onDrift) return null;
    const incident = incidentId === undefined ? {} : { incidentId };
    if (this.#settle(now, isAnswered) !== 'idle' || this.#incidentAsked(incidentId)) {
      return {
        decision: { reason: 'drift', alertId, ...incident, fromTs: ts, toTs: ts },
        deduplicated: true,
      };
    }
    this.#markAsked(incidentId);
    this.#state.phase = {
      kind: 'waiting',
      alertId,
      ...incident,
      fromTs: ts,
      ...(at ? { from: at } : {}),
      rowsSince: 0,
    };
    return null;
  }

  /** A data-drift alert: asks at once from idle, unless its incident has asked already. */
  onDataAlert(
    alertId: string,
    windowStart: number,
    ts: number,
    now: number,
    isAnswered: (requestId: string) => boolean,
    incidentId?: string,
  ): PolicyOutcome | null {
    if (!this.#options.onDataDrift) return null;
    const decision: RetrainDecision = {
      reason: 'drift',
      alertId,
      ...(incidentId === undefined ? {} : { incidentId }),
      fromTs: windowStart,
      toTs: ts,
    };
    if (this.#incidentAsked(incidentId)) return { decision, deduplicated: true };
    const outcome = this.#propose(decision, now, isAnswered);
    if (!outcome.deduplicated) this.#markAsked(incidentId);
    return outcome;
  }

  /** One labeled prediction of the serving version; returns what to ask for, if anything. */
  onLabeled(tick: LabeledTick, isAnswered: (requestId: string) => boolean): PolicyOutcome | null {
    const state = this.#state;
    const options = this.#options;
    state.labeledThisVersion++;
    if (tick.edgeCase) state.edgeCasesLabeled = (state.edgeCasesLabeled ?? 0) + 1;
    const share = state.recentEdgeCaseShare ?? 0;
    state.recentEdgeCaseShare = share + ((tick.edgeCase ? 1 : 0) - share) / edgeCaseShareSpan;
    const versionStartTs = (state.versionStartTs ??= tick.ts);
    state.lastScheduledAt ??= tick.now;
    const phase = state.phase;
    if (phase.kind === 'waiting') {
      phase.rowsSince++;
      if (phase.rowsSince < options.minRows) return null;
      state.phase = { kind: 'idle' };
      return this.#propose(
        {
          reason: 'drift',
          alertId: phase.alertId,
          ...(phase.incidentId === undefined ? {} : { incidentId: phase.incidentId }),
          fromTs: phase.fromTs,
          toTs: tick.ts,
          ...labeledOffsets(phase.from, tick.at),
        },
        tick.now,
        isAnswered,
      );
    }

    /** Volume, schedule and edge cases ask over the serving version's whole life so far. */
    const overServingLife = (reason: RetrainReason): RetrainDecision => ({
      reason,
      alertId: null,
      fromTs: versionStartTs,
      toTs: tick.ts,
      ...labeledOffsets(state.versionStart ?? undefined, tick.at),
    });
    let decision: RetrainDecision | null = null;
    if (options.accuracyBelow > 0 && tick.windowAccuracy !== undefined) {
      if (state.accuracyArmed && tick.windowAccuracy < options.accuracyBelow) {
        state.accuracyArmed = false;
        decision = {
          reason: 'performance',
          alertId: null,
          fromTs: tick.windowStart,
          toTs: tick.ts,
          ...labeledOffsets(undefined, tick.at),
        };
      } else if (tick.windowAccuracy >= options.accuracyBelow + options.rearmMargin) {
        state.accuracyArmed = true;
      }
    }
    if (
      !decision &&
      options.afterLabeled > 0 &&
      state.labeledThisVersion === options.afterLabeled
    ) {
      decision = overServingLife('volume');
    }
    if (
      !decision &&
      options.intervalMs > 0 &&
      tick.now - state.lastScheduledAt >= options.intervalMs
    ) {
      state.lastScheduledAt = tick.now;
      decision = overServingLife('schedule');
    }
    const afterEdgeCases = options.afterEdgeCases ?? 0;
    // Edge cases wait quietly while a request is in flight: they are data, not an alarm.
    if (
      !decision &&
      afterEdgeCases > 0 &&
      (state.edgeCasesLabeled ?? 0) >= afterEdgeCases &&
      state.recentEdgeCaseShare >= (options.edgeCaseShare ?? 0) &&
      this.#settle(tick.now, isAnswered) === 'idle'
    ) {
      decision = overServingLife('edge_cases');
      state.edgeCasesLabeled = 0;
    }
    return decision ? this.#propose(decision, tick.now, isAnswered) : null;
  }

  /** Records the request the caller published for the last decision: now in flight. */
  requested(requestId: string, now: number): void {
    this.#state.phase = { kind: 'in-flight', requestId, requestedAt: now };
  }

  /** The next snapshot's revision: snapshots of a policy are ordered by it. */
  nextRevision(): number {
    return ++this.#state.revision;
  }

  toJSON(): RetrainPolicyState {
    return structuredClone(this.#state);
  }

  #incidentAsked(incidentId: string | undefined): boolean {
    const incident = this.#state.incident;
    return incidentId !== undefined && incident?.id === incidentId && incident.asked;
  }

  #markAsked(incidentId: string | undefined): void {
    const incident = this.#state.incident;
    if (incidentId !== undefined && incident?.id === incidentId) incident.asked = true;
  }

  /** Ends an in-flight request that is answered or expired; returns the phase after. */
  #settle(now: number, isAnswered: (requestId: string) => boolean): RetrainPhase['kind'] {
    const phase = this.#state.phase;
    if (
      phase.kind === 'in-flight' &&
      (isAnswered(phase.requestId) || now - phase.requestedAt >= this.#options.inFlightTimeoutMs)
    ) {
      this.#state.phase = { kind: 'idle' };
      // The incident that asked is handled: a drift still there is a new incident.
      if (this.#state.incident?.asked) this.#state.incident = null;
    }
    return this.#state.phase.kind;
  }

  #propose(
    decision: RetrainDecision,
    now: number,
    isAnswered: (requestId: string) => boolean,
  ): PolicyOutcome {
    return { decision, deduplicated: this.#settle(now, isAnswered) !== 'idle' };
  }
}

/**
 * A window's bounds by offset, from the labeled prediction it starts with (if known, and in the
 * same partition) to the one that decided it: records written in the same millisecond share a
 * timestamp, so time alone would let a window gain or lose a batch's worth of rows.
 */
function labeledOffsets(
  from: LabeledPosition | undefined,
  to: LabeledPosition | undefined,
): Pick<RetrainDecision, 'labeledOffsets'> {
  if (!to) return {};
  const fromOffset = from?.partition === to.partition ? from.offset : null;
  return { labeledOffsets: { partition: to.partition, fromOffset, toOffset: to.offset } };
}
