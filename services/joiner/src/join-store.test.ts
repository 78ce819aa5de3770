import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';

import { mulberry32 } from '@driftwatch/drift';
import { Redis } from 'ioredis';

import {
  joinTransition,
  type JoinReplay,
  type JoinSide,
  type JoinState,
} from './join-lifecycle.js';
import { RedisJoinStore, type JoinInput } from './join-store.js';

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('RedisJoinStore on the real local Redis', () => {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const keyPrefix = `driftwatch-test:${randomUUID().slice(0, 8)}:`;
  // Each test gets its own key space, so one test's pending pairs never count in another's sweep.
  const newStore = (name: string): RedisJoinStore =>
    new RedisJoinStore(redis, {
      keyPrefix: `${keyPrefix}${name}:`,
      ttlMs: 60_000,
      graceMs: 60_000,
    });

  after(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('runs the lifecycle table: random sequences of halves, duplicates and replays agree with join-lifecycle.ts', async () => {
    const store = newStore('table');
    const random = mulberry32(2024);
    for (let pair = 0; pair < 300; pair++) {
      const id = `pair-${pair}`;
      let state: JoinState = 'empty';
      let completedBy: string | undefined;
      const storedBy: Partial<Record<JoinSide, string>> = {};
      const seen: { side: JoinSide; coordinate: string }[] = [];
      const steps = 1 + Math.floor(random() * 6);
      for (let step = 0; step < steps; step++) {
        // Sometimes read a record again (its batch's transaction failed), else a new record.
        const earlier =
          seen.length > 0 && random() < 0.3 ? seen[Math.floor(random() * seen.length)] : undefined;
        const side: JoinSide = earlier?.side ?? (random() < 0.5 ? 'prediction' : 'label');
        const coordinate = earlier?.coordinate ?? `topic/0@${pair * 10 + step}`;
        seen.push({ side, coordinate });
        const replay: JoinReplay =
          coordinate === completedBy
            ? 'completing-record'
            : coordinate === storedBy[side]
              ? 'stored-record'
              : 'none';
        const expected = joinTransition(state, side, replay);
        const [outcome] = await store.apply(
          [{ side, model: 'm', id, payload: JSON.stringify({ side, step }), coordinate }],
          1_000,
        );
        assert.equal(
          outcome?.effect,
          expected.effect,
          `pair ${pair} step ${step}: ${state} + ${side} (${replay})`,
        );
        if (replay === 'none' && expected.effect !== 'duplicate') {
          storedBy[side] = coordinate;
          if (expected.effect === 'emit') completedBy = coordinate;
        }
        state = expected.next;
      }
    }
  });

  it('a batch applies as its records would one by one: in order per pair, across models, past one script call', async () => {
    const random = mulberry32(77);
    const inputs: JoinInput[] = [];
    const coordinates: { side: JoinSide; coordinate: string; model: string; id: string }[] = [];
    for (let n = 0; n < 1500; n++) {
      // Replays and duplicates of earlier records, halves of 200 pairs over three models.
      const earlier =
        coordinates.length > 0 && random() < 0.2
          ? coordinates[Math.floor(random() * coordinates.length)]
          : undefined;
      const record = earlier ?? {
        side: random() < 0.5 ? ('prediction' as const) : ('label' as const),
        coordinate: `topic/${n % 3}@${n}`,
        model: `m${Math.floor(random() * 3)}`,
        id: `pair-${Math.floor(random() * 200)}`,
      };
      coordinates.push(record);
      inputs.push({ ...record, payload: JSON.stringify({ side: record.side, n }) });
    }
    const oneByOne = newStore('one-by-one');
    const expected = [];
    for (const input of inputs) expected.push(...(await oneByOne.apply([input], 1_000)));
    const batched = newStore('batched');
    const outcomes = [];
    for (let start = 0; start < inputs.length;) {
      // Batches from 1 record to past the 500 records of one script call.
      const size = 1 + Math.floor(random() * 900);
      outcomes.push(...(await batched.apply(inputs.slice(start, start + size), 1_000)));
      start += size;
    }
    assert.deepEqual(outcomes, expected);
    const effects = new Set(expected.map((outcome) => outcome.effect));
    assert.deepEqual([...effects].sort(), ['duplicate', 'emit', 'pending'], 'every effect occurs');
  });

  it('a record read again does what it did the first time; only a different record is a duplicate', async () => {
    const store = newStore('replay');
    const label = (coordinate: string) => ({
      side: 'label' as const,
      model: 'm4',
      id: 'b',
      payload: JSON.stringify({ coordinate }),
      coordinate,
    });
    const prediction = {
      side: 'prediction' as const,
      model: 'm4',
      id: 'b',
      payload: '{}',
      coordinate: 'predictions/0@5',
    };
    const outcomes = await store.apply(
      [
        label('labels/0@1'),
        label('labels/0@1'),
        label('labels/0@2'),
        prediction,
        label('labels/0@1'),
      ],
      1_000,
    );
    assert.deepEqual(
      outcomes.map((o) => o.effect),
      ['pending', 'pending', 'duplicate', 'emit', 'pending'],
    );
  });

  it('emits a joined pair once, from the stored halves, and again only for the completing record’s replay', async () => {
    const store = newStore('once');
    const prediction = JSON.stringify({ id: 'a', kind: 'prediction' });
    const label = JSON.stringify({ id: 'a', kind: 'label', value: 1 });
    const duplicateLabel = JSON.stringify({ id: 'a', kind: 'label', value: 0 });
    const outcomes = await store.apply(
      [
        { side: 'label', model: 'm2', id: 'a', payload: label, coordinate: 'labels/0@1' },
        { side: 'label', model: 'm2', id: 'a', payload: duplicateLabel, coordinate: 'labels/0@2' },
        {
          side: 'prediction',
          model: 'm2',
          id: 'a',
          payload: prediction,
          coordinate: 'predictions/0@7',
        },
        {
          side: 'prediction',
          model: 'm2',
          id: 'a',
          payload: prediction,
          coordinate: 'predictions/0@7',
        },
        { side: 'label', model: 'm2', id: 'a', payload: duplicateLabel, coordinate: 'labels/0@3' },
      ],
      1_000,
    );
    assert.deepEqual(
      outcomes.map((o) => o.effect),
      ['pending', 'duplicate', 'emit', 'emit', 'duplicate'],
    );
    assert.equal(outcomes[2]?.labelJson, label, 'the first label wins');
    assert.equal(outcomes[2].predictionJson, prediction);
    assert.deepEqual(outcomes[3], outcomes[2], 'a replay rebuilds the same record');
  });

  it('keeps a payload given as UTF-8 bytes and answers it as the same text', async () => {
    const store = newStore('bytes');
    const prediction = JSON.stringify({ id: 'b', model: 'Zürich ☀', note: '\u00e9 "quoted" 🌍' });
    const label = JSON.stringify({ id: 'b', label: 'ja' });
    const [, emitted] = await store.apply(
      [
        {
          side: 'prediction',
          model: 'm3',
          id: 'b',
          payload: Buffer.from(prediction),
          coordinate: 'predictions/0@1',
        },
        { side: 'label', model: 'm3', id: 'b', payload: label, coordinate: 'labels/0@1' },
      ],
      1_000,
    );
    assert.equal(emitted?.effect, 'emit');
    assert.equal(emitted.predictionJson, prediction);
    assert.equal(emitted.labelJson, label);
  });

  it('counts each unjoined pair once when its deadline passes, and forgets it', async () => {
    const store = newStore('expiry');
    await store.apply(
      [
        {
          side: 'prediction',
          model: 'm3',
          id: 'lonely-prediction',
          payload: '{}',
          coordinate: 'p/0@1',
        },
        { side: 'label', model: 'm3', id: 'lonely-label', payload: '{}', coordinate: 'l/0@1' },
        { side: 'prediction', model: 'm3', id: 'joined', payload: '{}', coordinate: 'p/0@2' },
        { side: 'label', model: 'm3', id: 'joined', payload: '{}', coordinate: 'l/0@2' },
      ],
      1_000,
    );
    assert.equal(await store.backlog(), 2, 'two halves wait for their other half');
    assert.deepEqual(await store.sweepExpired(1_000 + 59_999), {
      expiredPredictions: 0,
      orphanLabels: 0,
    });
    const [first, second] = await Promise.all([
      store.sweepExpired(61_001),
      store.sweepExpired(61_001),
    ]);
    assert.deepEqual(
      {
        predictions: first.expiredPredictions + second.expiredPredictions,
        labels: first.orphanLabels + second.orphanLabels,
      },
      { predictions: 1, labels: 1 },
      'concurrent sweepers count each expiry once',
    );
    assert.equal(await redis.exists(store.pairKey('m3', 'lonely-prediction')), 0);
    assert.equal(
      await redis.exists(store.pairKey('m3', 'joined')),
      1,
      'joined pairs stay for deduplication',
    );
  });
});
