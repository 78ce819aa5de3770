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
  /** A drift trigger waits for this many labeled predictions of the new concept. */
  minRows: number;
  /** An unanswered request stops blocking new ones after this long. */
  inFlightTimeoutMs: number;
}

/** What the policy decided: a request to publish, without its id (the caller derives one). */
export interface RetrainDecision {
  reason: RetrainReason;
  alertId: string | null;
  fromTs: number;
  toTs: number;
}

export interface RetrainPolicyState {
  inFlight: { requestId: string; requestedAt: number } | null;
  /** A drift trigger waiting for enough labeled data of the new concept. */
  pending: { alertId: string; fromTs: number; rowsSince: number } | null;
  accuracyArmed: boolean;
  lastScheduledAt: number | null;
  versionStartTs: number | null;
  labeledThisVersion: number;
}

export interface LabeledTick {
  /** Kafka timestamp of the labeled prediction. */
  ts: number;
  /** Wall clock, for the schedule and the in-flight timeout. */
  now: number;
  /** The full window's accuracy, undefined while the window fills. */
  windowAccuracy: number | undefined;
  windowStart: number;
}

/** A decision, and whether it was dropped because a request for the model is in flight. */
export interface PolicyOutcome {
  decision: RetrainDecision;
  deduplicated: boolean;
}

const initialState = (): RetrainPolicyState => ({
  inFlight: null,
  pending: null,
  accuracyArmed: true,
  lastScheduledAt: null,
  versionStartTs: null,
  labeledThisVersion: 0,
});

/**
 * When to ask the trainer for a challenger, for one model. Five causes, each on or off:
 * - drift: a concept-drift alert; the request waits for `minRows` labeled predictions after the
 *   alert, so the challenger is trained on the new concept and not on the old one;
 * - data drift: a data-drift alert (off by default: inputs moving is not proof the model is wrong);
 * - performance: the window's accuracy below `accuracyBelow` (re-armed on recovery);
 * - schedule: every `intervalMs` while labeled traffic flows — a model without traffic has no new
 *   data to learn from, so it is not retrained on an empty schedule;
 * - volume: once per version, after `afterLabeled` labeled predictions.
 * Manual requests come from the CLI. While a request is in flight — no model version answers it
 * yet and it is younger than `inFlightTimeoutMs` — further causes are dropped (reported as
 * deduplicated), so one drift makes one request.
 */
export class RetrainPolicy {
  readonly #options: RetrainPolicyOptions;
  readonly #state: RetrainPolicyState;

  constructor(options: RetrainPolicyOptions, state?: RetrainPolicyState) {
    this.#options = options;
    this.#state = state ? structuredClone(state) : initialState();
  }

  /** A newer model version now serves: its counters start over. */
  startVersion(ts: number): void {
    this.#state.versionStartTs = ts;
    this.#state.labeledThisVersion = 0;
    this.#state.pending = null;
    this.#state.accuracyArmed = true;
  }

  /** A concept-drift alert was raised at `ts`. */
  onConceptAlert(alertId: string, ts: number): void {
    if (!this.#options.onDrift || this.#state.pending) return;
    this.#state.pending = { alertId, fromTs: ts, rowsSince: 0 };
  }

  /** A data-drift alert: answered at once, since it carries no labels to wait for. */
  onDataAlert(
    alertId: string,
    windowStart: number,
    ts: number,
    now: number,
    isAnswered: (requestId: string) => boolean,
  ): PolicyOutcome | null {
    if (!this.#options.onDataDrift) return null;
    return this.#propose(
      { reason: 'drift', alertId, fromTs: windowStart, toTs: ts },
      now,
      isAnswered,
    );
  }

  /** One labeled prediction of the serving version; returns what to ask for, if anything. */
  onLabeled(tick: LabeledTick, isAnswered: (requestId: string) => boolean): PolicyOutcome | null {
    const state = this.#state;
    const options = this.#options;
    state.labeledThisVersion++;
    state.versionStartTs ??= tick.ts;
    state.lastScheduledAt ??= tick.now;
    if (state.pending) state.pending.rowsSince++;

    let decision: RetrainDecision | null = null;
    if (state.pending && state.pending.rowsSince >= options.minRows) {
      decision = {
        reason: 'drift',
        alertId: state.pending.alertId,
        fromTs: state.pending.fromTs,
        toTs: tick.ts,
      };
      state.pending = null;
    } else if (options.accuracyBelow > 0 && tick.windowAccuracy !== undefined) {
      if (state.accuracyArmed && tick.windowAccuracy < options.accuracyBelow) {
        state.accuracyArmed = false;
        decision = {
          reason: 'performance',
          alertId: null,
          fromTs: tick.windowStart,
          toTs: tick.ts,
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
      decision = { reason: 'volume', alertId: null, fromTs: state.versionStartTs, toTs: tick.ts };
    }
    if (
      !decision &&
      options.intervalMs > 0 &&
      tick.now - state.lastScheduledAt >= options.intervalMs
    ) {
      state.lastScheduledAt = tick.now;
      decision = { reason: 'schedule', alertId: null, fromTs: state.versionStartTs, toTs: tick.ts };
    }
    return decision ? this.#propose(decision, tick.now, isAnswered) : null;
  }

  /** Records the request the caller published for the last decision. */
  requested(requestId: string, now: number): void {
    this.#state.inFlight = { requestId, requestedAt: now };
  }

  toJSON(): RetrainPolicyState {
    return structuredClone(this.#state);
  }

  #propose(
    decision: RetrainDecision,
    now: number,
    isAnswered: (requestId: string) => boolean,
  ): PolicyOutcome {
    const inFlight = this.#state.inFlight;
    if (
      inFlight &&
      (isAnswered(inFlight.requestId) ||
        now - inFlight.requestedAt >= this.#options.inFlightTimeoutMs)
    ) {
      this.#state.inFlight = null;
    }
    return { decision, deduplicated: this.#state.inFlight !== null };
  }
}
