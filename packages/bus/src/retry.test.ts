import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { BusError } from './errors.js';
import { backoffDelayMs, withRetry } from './retry.js';

const fast = { retries: 3, initialDelayMs: 1, maxDelayMs: 4, factor: 2 };
const transient = (): Error => Object.assign(new Error('broker went away'), { retriable: true });

describe('withRetry', () => {
  it('retries retriable errors with growing, capped, jittered delays', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      () => {
        calls++;
        return calls < 3 ? Promise.reject(transient()) : Promise.resolve('done');
      },
      { policy: fast, random: () => 1, onRetry: (_error, _attempt, delay) => delays.push(delay) },
    );
    assert.equal(result, 'done');
    assert.deepEqual(delays, [1, 2]);
    assert.equal(
      backoffDelayMs(10, fast, () => 1),
      4,
      'capped at maxDelayMs',
    );
    assert.equal(
      backoffDelayMs(10, fast, () => 0),
      0,
      'full jitter reaches zero',
    );
  });

  it('fails at once on an error that is not retriable', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        () => {
          calls++;
          return Promise.reject(new TypeError('bug'));
        },
        { policy: fast },
      ),
      TypeError,
    );
    assert.equal(calls, 1);
  });

  it('gives up after the policy runs out, keeping the cause', async () => {
    await assert.rejects(
      withRetry(() => Promise.reject(transient()), { policy: fast, random: () => 0 }),
      (error) => {
        assert.ok(error instanceof BusError);
        assert.equal(error.code, 'DW_BUS_RETRIES_EXHAUSTED');
        assert.equal((error.cause as Error).message, 'broker went away');
        return true;
      },
    );
  });

  it('treats socket errors by code as retriable', async () => {
    let calls = 0;
    await withRetry(
      () =>
        ++calls === 1
          ? Promise.reject(Object.assign(new Error('x'), { code: 'ECONNRESET' }))
          : Promise.resolve(),
      { policy: fast },
    );
    assert.equal(calls, 2);
  });
});
