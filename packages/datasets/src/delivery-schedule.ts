import { mulberry32 } from '@driftwatch/drift';

import { DatasetError } from './errors.js';
import type { StreamRow } from './stream-row.js';
import { option } from './errors.js';

/** How long after its event a label arrives, in ms. */
export type LabelDelay =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'exponential'; readonly meanMs: number };

export interface DeliveryScheduleOptions {
  /** Seed of the `mulberry32` generator every draw comes from. */
  readonly seed: number;
  readonly labelDelay: LabelDelay;
  /** Simulated time of the first event, in ms. Default 0. */
  readonly startTs?: number;
  /** Simulated time between consecutive events, in ms. Default 1000. */
  readonly intervalMs?: number;
  /** Fraction of labels never delivered, in [0, 1]. Default 0. */
  readonly missingLabelRate?: number;
  /** Fraction of delivered labels delivered a second time, later, in [0, 1]. Default 0. */
  readonly duplicateLabelRate?: number;
}

/** A row's feature event. */
export interface EventDelivery<R = StreamRow> {
  readonly kind: 'event';
  /** Simulated time, in ms. */
  readonly at: number;
  readonly row: R;
}

/** A row's label; `duplicate` for the second copy of a label that was already delivered. */
export interface LabelDelivery<R = StreamRow> {
  readonly kind: 'label';
  /** Simulated time, in ms. */
  readonly at: number;
  readonly row: R;
  readonly duplicate: boolean;
  /** When the row's event was delivered: `at - eventAt` is the label's delay. */
  readonly eventAt: number;
}

export type Delivery<R = StreamRow> = EventDelivery<R> | LabelDelivery<R>;

/**
 * When a replay delivers each row's event and each row's label, for feeding a stream through Kafka
 * as `events` and, later, `labels`: the deliveries in delivery order, sorted by `at` (simulated
 * ms), ties kept in the order they were made (row by row: event, label, duplicate). So a label
 * never comes before its own event, even with no delay, and a duplicate never before its original.
 *
 * The event of the i-th row (0-based position in `rows`) is at `startTs + i · intervalMs`. Its label
 * is delivered at event time + a delay from `labelDelay`, unless it goes missing; a delivered label
 * is delivered again (`duplicate: true`) one more delay later with probability
 * `duplicateLabelRate`. Delays: `fixed` (`ms`), `uniform` (in [`minMs`, `maxMs`]) or `exponential`
 * (mean `meanMs`), each rounded to a whole ms.
 *
 * Options: `seed` and `labelDelay` (required); `startTs` (0) and `intervalMs` (1000), integers;
 * `missingLabelRate` (0) and `duplicateLabelRate` (0), in [0, 1].
 *
 * Every row draws four numbers from `mulberry32(seed)`, in order, whether or not they are used:
 * missing (the label is missing when the draw is below `missingLabelRate`), label delay, duplicate
 * (a copy when below `duplicateLabelRate`), duplicate delay. So the rates do not move the delays:
 * two schedules that differ only in a rate deliver the labels they share at the same times.
 *
 * @example
 * ```ts
 * const rows = [0, 1, 0].map((label, index) => ({ index, features: { x: index }, label }));
 * const deliveries = deliverySchedule(rows, {
 *   seed: 2,
 *   intervalMs: 10,
 *   labelDelay: { kind: 'uniform', minMs: 5, maxMs: 25 },
 *   duplicateLabelRate: 0.5,
 * });
 * const shown = (d) => `${d.kind}${d.row.index}${d.duplicate ? '*' : ''}@${d.at}`;
 * // Labels arrive after later events; a duplicate (*) after its first copy.
 * deliveries.map(shown).join(' '); // => "event0@0 event1@10 label0@11 event2@20 label0*@27 label2@27 label1@28 label1*@40"
 * ```
 */
export function deliverySchedule<R = StreamRow>(
  rows: Iterable<R>,
  options: DeliveryScheduleOptions,
): Delivery<R>[] {
  const seed = option.safeInteger(options.seed, 'seed');
  const delay = delayFunction(options.labelDelay);
  const startTs = option.safeInteger(options.startTs ?? 0, 'startTs');
  const intervalMs = option.nonNegativeInteger(options.intervalMs ?? 1000, 'intervalMs');
  const missingLabelRate = option.probability(options.missingLabelRate ?? 0, 'missingLabelRate');
  const duplicateLabelRate = option.probability(
    options.duplicateLabelRate ?? 0,
    'duplicateLabelRate',
  );

  const random = mulberry32(seed);
  const deliveries: Delivery<R>[] = [];
  let position = 0;
  for (const row of rows) {
    const eventAt = startTs + position * intervalMs;
    const missingDraw = random();
    const delayDraw = random();
    const duplicateDraw = random();
    const duplicateDelayDraw = random();
    deliveries.push({ kind: 'event', at: eventAt, row });
    if (missingDraw >= missingLabelRate) {
      const labelAt = eventAt + delay(delayDraw);
      deliveries.push({ kind: 'label', at: labelAt, row, duplicate: false, eventAt });
      if (duplicateDraw < duplicateLabelRate) {
        const duplicateAt = labelAt + delay(duplicateDelayDraw);
        deliveries.push({ kind: 'label', at: duplicateAt, row, duplicate: true, eventAt });
      }
    }
    position++;
  }
  // Array.prototype.sort is stable: equal times keep the order above.
  return deliveries.sort((a, b) => a.at - b.at);
}

/** The delay, in whole ms, for a uniform draw in [0, 1). */
function delayFunction(labelDelay: LabelDelay): (draw: number) => number {
  if (typeof labelDelay !== 'object') {
    throw new DatasetError(
      'DW_DATASET_INVALID_OPTION',
      'option labelDelay must be an object with a kind',
    );
  }
  switch (labelDelay.kind) {
    case 'fixed': {
      const ms = Math.round(option.nonNegativeFinite(labelDelay.ms, 'labelDelay.ms'));
      return () => ms;
    }
    case 'uniform': {
      const minMs = option.nonNegativeFinite(labelDelay.minMs, 'labelDelay.minMs');
      const maxMs = option.nonNegativeFinite(labelDelay.maxMs, 'labelDelay.maxMs');
      if (maxMs < minMs) {
        throw new DatasetError(
          'DW_DATASET_INVALID_OPTION',
          `option labelDelay.maxMs must be at least minMs (${minMs}), got ${maxMs}`,
        );
      }
      return (draw) => Math.round(minMs + draw * (maxMs - minMs));
    }
    case 'exponential': {
      const meanMs = option.positiveFinite(labelDelay.meanMs, 'labelDelay.meanMs');
      // Inverse CDF; log1p(-draw) is finite because draw < 1.
      return (draw) => Math.round(-meanMs * Math.log1p(-draw));
    }
    default: {
      const kind: unknown = (labelDelay as { kind: unknown }).kind;
      throw new DatasetError(
        'DW_DATASET_INVALID_OPTION',
        `option labelDelay.kind must be 'fixed', 'uniform' or 'exponential', got ${JSON.stringify(kind)}`,
      );
    }
  }
}
