import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from '@driftwatch/drift';

import {
  deliverySchedule,
  type Delivery,
  type DeliveryScheduleOptions,
  type LabelDelivery,
} from './delivery-schedule.js';
import { DatasetError } from './errors.js';
import { seaStream } from './sea-stream.js';
import type { StreamRow } from './stream-row.js';

function rowsOfLength(length: number): StreamRow[] {
  return Array.from({ length }, (_, index) => ({
    index,
    features: { x: index },
    label: (index % 2) as 0 | 1,
  }));
}

function labels<R extends StreamRow>(deliveries: readonly Delivery<R>[]): LabelDelivery<R>[] {
  return deliveries.filter((d): d is LabelDelivery<R> => d.kind === 'label');
}

/**
 * The documented draws, made again: four per row from mulberry32(seed): missing, delay,
 * duplicate, duplicate delay.
 */
function recomputedFates(
  length: number,
  seed: number,
  missingLabelRate: number,
  duplicateLabelRate: number,
): { missing: Set<number>; duplicated: Set<number> } {
  const random = mulberry32(seed);
  const missing = new Set<number>();
  const duplicated = new Set<number>();
  for (let i = 0; i < length; i++) {
    const missingDraw = random();
    random(); // the label's delay
    const duplicateDraw = random();
    random(); // the duplicate's delay
    if (missingDraw < missingLabelRate) missing.add(i);
    else if (duplicateDraw < duplicateLabelRate) duplicated.add(i);
  }
  return { missing, duplicated };
}

const base: DeliveryScheduleOptions = {
  seed: 17,
  startTs: 1_700_000_000_000,
  intervalMs: 50,
  labelDelay: { kind: 'exponential', meanMs: 400 },
  missingLabelRate: 0.1,
  duplicateLabelRate: 0.05,
};

describe('deliverySchedule', () => {
  const rows = rowsOfLength(20_000);
  const deliveries = deliverySchedule(rows, base);

  it('delivers one event per row, in row order, every intervalMs from startTs', () => {
    const events = deliveries.filter((d) => d.kind === 'event');
    assert.equal(events.length, rows.length);
    events.forEach((event, i) => {
      assert.equal(event.row, rows[i]);
      assert.equal(event.at, 1_700_000_000_000 + i * 50);
    });
  });

  it('is in delivery order: times never decrease', () => {
    for (let i = 1; i < deliveries.length; i++) {
      assert.ok(deliveries[i]!.at >= deliveries[i - 1]!.at, `delivery ${i}`);
    }
  });

  it('delivers every label after its event, and every duplicate after its first copy', () => {
    const eventPosition = new Map<StreamRow, number>();
    const firstLabelPosition = new Map<StreamRow, number>();
    deliveries.forEach((delivery, position) => {
      if (delivery.kind === 'event') {
        eventPosition.set(delivery.row, position);
        return;
      }
      const event = eventPosition.get(delivery.row);
      assert.ok(event !== undefined, `label of row ${delivery.row.index} before its event`);
      assert.equal(delivery.eventAt, deliveries[event]!.at);
      assert.ok(delivery.at >= delivery.eventAt);
      if (delivery.duplicate) {
        const first = firstLabelPosition.get(delivery.row);
        assert.ok(first !== undefined, `duplicate of row ${delivery.row.index} before its label`);
        assert.ok(delivery.at >= deliveries[first]!.at);
      } else {
        assert.ok(
          !firstLabelPosition.has(delivery.row),
          `two first labels of ${delivery.row.index}`,
        );
        firstLabelPosition.set(delivery.row, position);
      }
    });
  });

  it('drops and duplicates exactly the labels the seeded draws say, at about the rates', () => {
    const { missing, duplicated } = recomputedFates(rows.length, 17, 0.1, 0.05);
    const delivered = labels(deliveries);
    const firsts = new Set(delivered.filter((d) => !d.duplicate).map((d) => d.row.index));
    const copies = delivered.filter((d) => d.duplicate).map((d) => d.row.index);
    assert.equal(new Set(copies).size, copies.length, 'at most one duplicate per label');
    assert.deepEqual(new Set(copies), duplicated);
    for (let i = 0; i < rows.length; i++) assert.equal(firsts.has(i), !missing.has(i), `row ${i}`);
    // About the rates: within 5 binomial standard errors.
    const n = rows.length;
    assert.ok(Math.abs(missing.size / n - 0.1) < 5 * Math.sqrt((0.1 * 0.9) / n));
    const kept = n - missing.size;
    assert.ok(Math.abs(copies.length / kept - 0.05) < 5 * Math.sqrt((0.05 * 0.95) / kept));
  });

  it('is deterministic for a seed and different for another', () => {
    assert.deepEqual(deliverySchedule(rows, base), deliveries);
    assert.notDeepEqual(deliverySchedule(rows, { ...base, seed: 18 }), deliveries);
  });

  it('does not move the shared labels when only a rate changes', () => {
    const atOf = (schedule: readonly Delivery[]): Map<string, number> =>
      new Map(labels(schedule).map((d) => [`${d.row.index}${d.duplicate ? '*' : ''}`, d.at]));
    const everything = atOf(
      deliverySchedule(rows, { ...base, missingLabelRate: 0, duplicateLabelRate: 1 }),
    );
    for (const [key, at] of atOf(deliveries)) assert.equal(everything.get(key), at, key);
  });

  it('draws exponential delays with the asked mean, in whole ms', () => {
    const delays = labels(deliveries)
      .filter((d) => !d.duplicate)
      .map((d) => d.at - d.eventAt);
    assert.ok(delays.every((delay) => Number.isInteger(delay) && delay >= 0));
    const mean = delays.reduce((sum, delay) => sum + delay, 0) / delays.length;
    // An exponential's standard deviation is its mean.
    assert.ok(Math.abs(mean - 400) < 5 * (400 / Math.sqrt(delays.length)), `mean ${mean}`);
    // Memoryless shape: about e^-1 of the delays exceed the mean.
    const beyond = delays.filter((delay) => delay > 400).length / delays.length;
    assert.ok(Math.abs(beyond - Math.exp(-1)) < 0.02, `beyond the mean: ${beyond}`);
  });

  it('draws uniform delays in [minMs, maxMs] and fixed ones exactly', () => {
    const uniform = labels(
      deliverySchedule(rows, { seed: 2, labelDelay: { kind: 'uniform', minMs: 100, maxMs: 300 } }),
    ).map((d) => d.at - d.eventAt);
    assert.equal(uniform.length, rows.length);
    assert.ok(uniform.every((delay) => Number.isInteger(delay) && delay >= 100 && delay <= 300));
    const mean = uniform.reduce((sum, delay) => sum + delay, 0) / uniform.length;
    assert.ok(Math.abs(mean - 200) < 2, `mean ${mean}`);
    const fixed = labels(
      deliverySchedule(rows.slice(0, 100), {
        seed: 2,
        labelDelay: { kind: 'fixed', ms: 1234 },
        duplicateLabelRate: 0.5,
      }),
    );
    for (const d of fixed) assert.equal(d.at - d.eventAt, d.duplicate ? 2468 : 1234);
  });

  it('keeps insertion order on ties: event, label, duplicate', () => {
    const schedule = deliverySchedule(rowsOfLength(3), {
      seed: 1,
      intervalMs: 0,
      labelDelay: { kind: 'fixed', ms: 0 },
      duplicateLabelRate: 1,
    });
    assert.deepEqual(
      schedule.map((d) => `${d.kind}${d.row.index}${d.kind === 'label' && d.duplicate ? '*' : ''}`),
      ['event0', 'label0', 'label0*', 'event1', 'label1', 'label1*', 'event2', 'label2', 'label2*'],
    );
  });

  it('defaults to no missing or duplicate labels, events every second from 0', () => {
    const schedule = deliverySchedule(rowsOfLength(50), {
      seed: 3,
      labelDelay: { kind: 'fixed', ms: 10 },
    });
    assert.equal(labels(schedule).length, 50);
    assert.ok(labels(schedule).every((d) => !d.duplicate && d.at === d.row.index * 1000 + 10));
  });

  it('delivers no label at missingLabelRate 1', () => {
    const schedule = deliverySchedule(rowsOfLength(100), {
      seed: 3,
      labelDelay: { kind: 'fixed', ms: 10 },
      missingLabelRate: 1,
      duplicateLabelRate: 1,
    });
    assert.equal(labels(schedule).length, 0);
  });

  it('takes a SEA stream as it is, keeping its rows', () => {
    const stream = seaStream({ seed: 1, length: 100 });
    const schedule = deliverySchedule(stream, { seed: 1, labelDelay: { kind: 'fixed', ms: 1500 } });
    const first = schedule[0];
    assert.ok(first?.kind === 'event');
    assert.equal(first.row.concept, 0);
  });

  it('rejects bad options with DW_DATASET_INVALID_OPTION', () => {
    const few = rowsOfLength(3);
    const cases: [Record<string, unknown>, string][] = [
      [{ seed: 1.5 }, 'seed'],
      [{ startTs: 0.5 }, 'startTs'],
      [{ intervalMs: -1 }, 'intervalMs'],
      [{ missingLabelRate: 1.1 }, 'missingLabelRate'],
      [{ duplicateLabelRate: -0.1 }, 'duplicateLabelRate'],
      [{ labelDelay: { kind: 'fixed', ms: -1 } }, 'labelDelay.ms'],
      [{ labelDelay: { kind: 'uniform', minMs: 10, maxMs: 5 } }, 'maxMs'],
      [{ labelDelay: { kind: 'exponential', meanMs: 0 } }, 'meanMs'],
      [{ labelDelay: { kind: 'gamma' } }, 'labelDelay.kind'],
      [{ labelDelay: undefined }, 'labelDelay'],
    ];
    for (const [override, mentions] of cases) {
      assert.throws(
        () => deliverySchedule(few, { ...base, ...override }),
        (error: unknown) =>
          error instanceof DatasetError &&
          error.code === 'DW_DATASET_INVALID_OPTION' &&
          error.message.includes(mentions),
        mentions,
      );
    }
  });
});
