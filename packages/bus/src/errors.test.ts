import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isRebalance, isRetriable } from './errors.js';

function kafkajsError(name: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, ...fields });
}

describe('isRetriable', () => {
  it('follows the flag, and the socket codes ioredis and node use', () => {
    assert.equal(isRetriable(kafkajsError('KafkaJSConnectionError', { retriable: true })), true);
    assert.equal(
      isRetriable(kafkajsError('KafkaJSNonRetriableError', { retriable: false })),
      false,
    );
    assert.equal(isRetriable(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), true);
    assert.equal(isRetriable(new TypeError('a bug')), false);
    assert.equal(isRetriable(null), false);
  });

  it('sees through kafkajs giving up on a broker that was away, and a coordinator not found', () => {
    const away = kafkajsError('KafkaJSConnectionClosedError', { retriable: true });
    const gaveUp = kafkajsError('KafkaJSNumberOfRetriesExceeded', {
      retriable: false,
      cause: away,
    });
    assert.equal(isRetriable(gaveUp), true);
    const gaveUpOnABug = kafkajsError('KafkaJSNumberOfRetriesExceeded', {
      retriable: false,
      cause: new TypeError('a bug'),
    });
    assert.equal(isRetriable(gaveUpOnABug), false);
    const notFound = kafkajsError('KafkaJSGroupCoordinatorNotFound', { retriable: false });
    assert.equal(isRetriable(notFound), true);
    // How kafkajs' retrier passes on an error it does not retry itself, as sendOffsets met it.
    const passedOn = kafkajsError('KafkaJSNonRetriableError', {
      retriable: false,
      cause: notFound,
    });
    assert.equal(isRetriable(passedOn), true);
    const stuck = kafkajsError('KafkaJSNonRetriableError', { retriable: false });
    assert.equal(isRetriable(stuck), false);
  });
});

describe('isRebalance', () => {
  it('names the answers that mean the group is changing hands', () => {
    for (const type of ['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']) {
      assert.equal(isRebalance(kafkajsError('KafkaJSProtocolError', { type })), true, type);
    }
    assert.equal(
      isRebalance(kafkajsError('KafkaJSProtocolError', { type: 'NOT_LEADER_FOR_PARTITION' })),
      false,
    );
    assert.equal(isRebalance(undefined), false);
  });
});
