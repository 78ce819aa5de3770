import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Admin } from './kafka.js';
import { retryingAdmin } from './retrying-admin.js';

const quickPolicy = { retries: 5, initialDelayMs: 1, maxDelayMs: 2, factor: 2 };

/** kafkajs' answer while a new topic's partition has no leader yet. */
function notLeader(): Error {
  return Object.assign(new Error('This server is not the leader for that topic-partition'), {
    name: 'KafkaJSProtocolError',
    type: 'NOT_LEADER_FOR_PARTITION',
    retriable: true,
  });
}

describe('retryingAdmin', () => {
  it('retries a retriable answer until the request succeeds, with the same arguments', async () => {
    const calls: unknown[][] = [];
    const admin = {
      fetchTopicOffsets: (...args: unknown[]) => {
        calls.push(args);
        return calls.length < 3
          ? Promise.reject(notLeader())
          : Promise.resolve([{ partition: 0, offset: '5', high: '5', low: '0' }]);
      },
    } as unknown as Admin;
    const retried: number[] = [];
    const offsets = await retryingAdmin(admin, {
      policy: quickPolicy,
      onRetry: (_error, attempt) => retried.push(attempt),
    }).fetchTopicOffsets('events');
    assert.deepEqual(offsets, [{ partition: 0, offset: '5', high: '5', low: '0' }]);
    assert.deepEqual(calls, [['events'], ['events'], ['events']]);
    assert.deepEqual(retried, [0, 1]);
  });

  it('fails at once on an answer that waiting cannot change', async () => {
    let calls = 0;
    const exists = Object.assign(new Error('Topic with this name already exists'), {
      type: 'TOPIC_ALREADY_EXISTS',
      retriable: false,
    });
    const admin = {
      createTopics: () => {
        calls += 1;
        return Promise.reject(exists);
      },
    } as unknown as Admin;
    await assert.rejects(
      retryingAdmin(admin, { policy: quickPolicy }).createTopics({ topics: [] }),
      (error) => error === exists,
    );
    assert.equal(calls, 1);
  });

  it('gives up after the policy’s retries, keeping the last answer as the cause', async () => {
    let calls = 0;
    const admin = {
      listTopics: () => {
        calls += 1;
        return Promise.reject(notLeader());
      },
    } as unknown as Admin;
    await assert.rejects(
      retryingAdmin(admin, { policy: quickPolicy }).listTopics(),
      (error: { code?: unknown; cause?: { type?: unknown } }) =>
        error.code === 'DW_BUS_RETRIES_EXHAUSTED' &&
        error.cause?.type === 'NOT_LEADER_FOR_PARTITION',
    );
    assert.equal(calls, quickPolicy.retries + 1);
  });

  it('passes event listeners and the logger through as they are', () => {
    const on = (): (() => void) => () => undefined;
    const logger = (): unknown => ({});
    const admin = { on, logger, events: { CONNECT: 'admin.connect' } } as unknown as Admin;
    const wrapped = retryingAdmin(admin) as unknown as Record<string, unknown>;
    assert.equal(wrapped['on'], on);
    assert.equal(wrapped['logger'], logger);
    assert.deepEqual(wrapped['events'], { CONNECT: 'admin.connect' });
  });
});
