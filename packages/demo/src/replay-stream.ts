import { setTimeout as sleep } from 'node:timers/promises';

import { withRetry, type Message, type Producer, type RetryPolicy } from '@driftwatch/bus';
import {
  deliverySchedule,
  eventId,
  type Delivery,
  type EventDelivery,
  type LabelDelay,
  type LabelDelivery,
} from '@driftwatch/datasets';
import {
  retrainRequestSchema,
  type Codecs,
  type FeatureEvent,
  type LabelEvent,
  type TopicNames,
} from '@driftwatch/topics';

import { DemoError } from './errors.js';
import type { FlowControl } from './flow-control.js';

export interface ReplayProgress {
  events: number;
  /** Labels sent so far, duplicates included. */
  labels: number;
  /** Of those, second copies of a label already sent. */
  duplicateLabels: number;
  /** Every message the replay will send: events and labels, duplicates included. */
  total: number;
}

export interface ReplaySchedule {
  seed: number;
  labelDelay: LabelDelay;
  /** Fraction of labels never sent, in [0, 1]. Default 0. */
  missingLabelRate?: number;
  /** Fraction of sent labels sent a second time, later, in [0, 1]. Default 0. */
  duplicateLabelRate?: number;
}

/**
 * One row to replay. A dataset's `StreamRow` is one (its label a class index, 0 or 1); a user's
 * CSV row may also bring its own id and time, and a label that is a class name.
 */
export interface ReplayRow {
  /** 0-based position in the stream. */
  readonly index: number;
  readonly features: Readonly<Record<string, number>>;
  /**
   * The label as the `labels` topic carries it: a class name, or an integer naming the class of
   * its digits. Undefined: the row has no label, and none is sent (it counts as missing).
   */
  readonly label: number | string | undefined;
  /** The event's id, for its event and its label; default `eventId(streamName, index)`. */
  readonly id?: string;
  /**
   * The event's own time, epoch ms: its `ts`, and its label's `ts` is this plus the label's
   * delay. Default: when the event is sent.
   */
  readonly ts?: number;
}

/** What is sent: every event, and the labels of rows that have one. */
type Sendable =
  EventDelivery<ReplayRow> | LabelDelivery<ReplayRow & { readonly label: number | string }>;

function isSendable(delivery: Delivery<ReplayRow>): delivery is Sendable {
  return delivery.kind === 'event' || delivery.row.label !== undefined;
}

export interface ReplayOptions {
  /** A connected, idempotent kafkajs producer; the caller owns it. */
  producer: Producer;
  codecs: Pick<Codecs, 'events' | 'labels'>;
  names: Pick<TopicNames, 'events' | 'labels'>;
  model: string;
  /** Names the ids of rows without one: row `i` is `eventId(streamName, i)`. */
  streamName: string;
  rows: Iterable<ReplayRow>;
  schedule: ReplaySchedule;
  /** Events per second; `Infinity` sends as fast as the broker takes them. */
  rate: number;
  /** Stops the replay: what is due is still sent, then it resolves with what was sent. */
  signal?: AbortSignal;
  /**
   * Holds the replay back while the pipeline is behind: asked every `flowControl.every` events,
   * after what is due has been sent. The replay's clock stops while it holds, so every message
   * after a hold is sent that much later, labels included: a label still follows its event by
   * the delay in replay time, which in wall-clock time also spans the holds between them.
   */
  flowControl?: FlowControl;
  /** Called after every batch the broker acknowledged. */
  onProgress?: (progress: ReplayProgress) => void;
  /**
   * How a batch the broker did not take is sent again (default {@link sendRetryPolicy}): a
   * restarting broker refuses connections for seconds, longer than kafkajs' own retries wait.
   */
  sendRetry?: RetryPolicy;
  /** Called before a batch is sent again. */
  onSendRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export interface ReplaySummary {
  events: number;
  /** Labels sent, duplicates included. */
  labels: number;
  duplicateLabels: number;
  /** Events sent whose label the schedule never delivers. */
  missingLabels: number;
  /** Epoch ms: the wall-clock time simulated time 0 maps to, before any hold. */
  startedAt: number;
  finishedAt: number;
  /** How long flow control held the replay back, in ms; 0 without flow control. */
  heldMs: number;
}

/**
 * A batch is sent again for about a minute (full jitter, so about half of the ceilings' sum of
 * 2 minutes) before the replay gives up: long enough for a broker to restart, short enough that a
 * broker that is gone ends the replay with what was sent.
 */
export const sendRetryPolicy: RetryPolicy = {
  retries: 14,
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  factor: 2,
};

/** Up to this many messages per produce request: ~100 KB of JSON events. */
const maxBatchMessages = 1000;
/**
 * `deliverySchedule` counts in whole units; it runs in microseconds so that any rate has an exact
 * enough interval (200/s is 5000 µs, 300/s is 3333 µs), and its times are turned back into ms.
 */
const scheduleUnitsPerMs = 1000;

/**
 * Streams rows through Kafka as a user's application would: each row's feature event to `events`,
 * and its label to `labels` after the schedule's delay — or never, or twice. The order and the
 * simulated times are `deliverySchedule`'s, with one event every `1000 / rate` ms; simulated time
 * `at` is sent at wall-clock `startedAt + at`, and that is the message's `ts` (for an event, its
 * event time; for a label, when it arrived) unless the row brings its own time, which then
 * stamps its event and, plus the delay, its label. With `rate: Infinity` nothing waits: events
 * share `startedAt`, and labels carry their delays in `ts` only. A row without a label sends its
 * event only.
 *
 * Messages that are due together go in one request (up to 1000), so a high rate does not mean one
 * request per message. Events and labels are keyed by id. The producer must be idempotent: a retried
 * request then never writes a message twice.
 *
 * Usage (with a producer and codecs of your own):
 * ```ts
 * const { rows } = await openStream({ dataset: 'sea', seed: 1, length: 1000 });
 * const summary = await replayStream({
 *   producer, codecs, names, model: 'sea', streamName: 'sea', rows, rate: 500,
 *   schedule: { seed: 1, labelDelay: { kind: 'fixed', ms: 1000 }, missingLabelRate: 0.1 },
 * });
 * // ~3 s later: summary.events === 1000, summary.labels + summary.missingLabels === 1000
 * ```
 */
export async function replayStream(options: ReplayOptions): Promise<ReplaySummary> {
  const { producer, codecs, names, streamName, rate, signal, onProgress, flowControl } = options;
  const model = checkModelName(options.model);
  if (!(rate > 0)) {
    throw new DemoError(
      'DW_DEMO_BAD_OPTION',
      `rate must be a positive number of events per second or Infinity, got ${rate}`,
    );
  }
  // Fails on a bad stream name now rather than after part of the stream is sent.
  eventId(streamName, 0);
  // Drawn for every row, so that a row without a label does not move the others' delays.
  const deliveries = scheduleDeliveries(options.rows, options.schedule, rate).filter(isSendable);
  const labelled = new Set<ReplayRow>(
    deliveries.flatMap((d) => (d.kind === 'label' && !d.duplicate ? [d.row] : [])),
  );
  const paced = Number.isFinite(rate);
  const total = deliveries.length;

  const startedAt = Date.now();
  // Simulated time 0 in wall-clock time: moves later by every hold, which stops the clock.
  let clockStart = startedAt;
  let queuedEvents = 0;
  const sent = { events: 0, labels: 0, duplicateLabels: 0, missingLabels: 0 };
  let pending: { delivery: Sendable; ts: number }[] = [];

  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    // Encoded together (an Avro codec may look a schema up), kept in schedule order: a label's
    // duplicate must follow its first copy in the partition.
    const encoded = await Promise.all(
      batch.map(async ({ delivery, ts }): Promise<{ kind: Delivery['kind']; message: Message }> => {
        const id = delivery.row.id ?? eventId(streamName, delivery.row.index);
        if (delivery.kind === 'event') {
          const event: FeatureEvent = { id, model, ts, features: { ...delivery.row.features } };
          return {
            kind: 'event',
            message: { key: id, value: await codecs.events.encode(event) },
          };
        }
        const label: LabelEvent = { id, model, ts, label: delivery.row.label };
        return {
          kind: 'label',
          message: { key: id, value: await codecs.labels.encode(label) },
        };
      }),
    );
    const events = encoded.flatMap((e) => (e.kind === 'event' ? [e.message] : []));
    const labels = encoded.flatMap((e) => (e.kind === 'label' ? [e.message] : []));
    const topicMessages = [
      { topic: names.events, messages: events },
      { topic: names.labels, messages: labels },
    ].filter((topic) => topic.messages.length > 0);
    // The same producer sends a failed batch again: kafkajs moves an idempotent producer's
    // sequence numbers on only when a batch is acknowledged, so a batch the broker wrote but did
    // not acknowledge before it went down is recognised as a duplicate and not written twice.
    try {
      await withRetry(() => producer.sendBatch({ topicMessages }), {
        policy: options.sendRetry ?? sendRetryPolicy,
        ...(signal ? { signal } : {}),
        ...(options.onSendRetry ? { onRetry: options.onSendRetry } : {}),
      });
    } catch (error) {
      throw new DemoError(
        'DW_DEMO_SEND_FAILED',
        `Kafka did not take a batch (${error instanceof Error ? error.message : String(error)}); ` +
          `${sent.events} events and ${sent.labels} labels were sent before it, the rest were not`,
        { cause: error },
      );
    }
    for (const { delivery } of batch) {
      if (delivery.kind === 'event') {
        sent.events++;
        if (!labelled.has(delivery.row)) sent.missingLabels++;
      } else {
        sent.labels++;
        if (delivery.duplicate) sent.duplicateLabels++;
      }
    }
    onProgress?.({
      events: sent.events,
      labels: sent.labels,
      duplicateLabels: sent.duplicateLabels,
      total,
    });
  };

  for (const delivery of deliveries) {
    if (signal?.aborted) break;
    if (flowControl && delivery.kind === 'event' && queuedEvents++ % flowControl.every === 0) {
      await flush();
      const heldFrom = Date.now();
      await flowControl.admit(signal);
      if (signal?.aborted) break;
      clockStart += Date.now() - heldFrom;
    }
    const dueAt = clockStart + Math.round(delivery.at / scheduleUnitsPerMs);
    if (paced && dueAt > Date.now()) {
      // Send what is due before waiting: at high rates, what fell due while the last request was
      // in flight goes out together.
      await flush();
      // A timer may fire a millisecond early: wait again until the clock says the stamp is due,
      // so nothing is ever sent before its time.
      let waitMs = dueAt - Date.now();
      let aborted = false;
      while (waitMs > 0 && !aborted) {
        aborted = !(await sleepUnlessAborted(waitMs, signal));
        waitMs = dueAt - Date.now();
      }
      if (aborted) break;
    }
    pending.push({ delivery, ts: stamp(delivery, dueAt, clockStart) });
    if (pending.length >= maxBatchMessages) await flush();
  }
  await flush();
  const finishedAt = Date.now();
  return { ...sent, startedAt, finishedAt, heldMs: clockStart - startedAt };
}

/**
 * A message's `ts`: when it is sent, or, for a row with its own time, that time plus how much
 * later than its event the message is sent.
 */
function stamp(delivery: Delivery<ReplayRow>, dueAt: number, clockStart: number): number {
  const eventTs = delivery.row.ts;
  if (eventTs === undefined) return dueAt;
  if (delivery.kind === 'event') return eventTs;
  return eventTs + dueAt - (clockStart + Math.round(delivery.eventAt / scheduleUnitsPerMs));
}

/** The schedule in `scheduleUnitsPerMs` units, so that `1000 / rate` ms need not be whole. */
function scheduleDeliveries(
  rows: Iterable<ReplayRow>,
  schedule: ReplaySchedule,
  rate: number,
): Delivery<ReplayRow>[] {
  // Checked in the caller's units first, so an error names the delay as it was given.
  deliverySchedule([], schedule);
  const delay = schedule.labelDelay;
  const scale = scheduleUnitsPerMs;
  const scaledDelay: LabelDelay =
    delay.kind === 'fixed'
      ? { kind: 'fixed', ms: delay.ms * scale }
      : delay.kind === 'uniform'
        ? { kind: 'uniform', minMs: delay.minMs * scale, maxMs: delay.maxMs * scale }
        : { kind: 'exponential', meanMs: delay.meanMs * scale };
  return deliverySchedule(rows, {
    seed: schedule.seed,
    labelDelay: scaledDelay,
    startTs: 0,
    intervalMs: Number.isFinite(rate) ? Math.round((1000 * scale) / rate) : 0,
    ...(schedule.missingLabelRate === undefined
      ? {}
      : { missingLabelRate: schedule.missingLabelRate }),
    ...(schedule.duplicateLabelRate === undefined
      ? {}
      : { duplicateLabelRate: schedule.duplicateLabelRate }),
  });
}

/**
 * A model name, checked by the topics' own schema (the same rule for every message), so a typo is
 * reported before anything is sent rather than as records the services dead-letter.
 */
function checkModelName(name: string): string {
  const result = retrainRequestSchema.shape.model.safeParse(name);
  if (result.success) return result.data;
  const problem = result.error.issues[0]?.message ?? 'is not a model name';
  throw new DemoError('DW_DEMO_BAD_OPTION', `model name ${JSON.stringify(name)} ${problem}`, {
    input: name,
  });
}

/** False when the signal stopped the wait. */
async function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
    return true;
  } catch (error) {
    if (signal?.aborted) return false;
    throw error;
  }
}
