import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Admin, Producer } from '@driftwatch/bus';

import { testKafka, uniqueName } from '../support/environment.js';
import { collectTopic } from '../support/topic-reader.js';

const transactions = 30;

// patches/kafkajs+2.2.4.patch: a transactional producer keeps its coordinators instead of
// looking them up before every request, and retries a transaction's first request while the
// last commit's markers are written. This is the services' commit, on the real broker.
describe('back-to-back exactly-once transactions on the real broker', { timeout: 120_000 }, () => {
  const kafka = testKafka();
  const input = uniqueName('txn-requests-in');
  const output = uniqueName('txn-requests-out');
  const groupId = uniqueName('txn-requests-group');
  const requests = new Map<string, number>();
  let admin: Admin;
  let producer: Producer;

  before(async () => {
    admin = kafka.admin();
    producer = kafka.producer({
      transactionalId: uniqueName('txn-requests'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    producer.on(producer.events.REQUEST, ({ payload }) => {
      requests.set(payload.apiName, (requests.get(payload.apiName) ?? 0) + 1);
    });
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({
      topics: [
        { topic: input, numPartitions: 1 },
        { topic: output, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
  });

  after(async () => {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [input, output] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('commits every one, each with its own requests and no coordinator lookup', async () => {
    requests.clear();
    for (let offset = 1; offset <= transactions; offset++) {
      const transaction = await producer.transaction();
      await transaction.send({ topic: output, messages: [{ value: String(offset) }] });
      await transaction.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic: input, partitions: [{ partition: 0, offset: String(offset) }] }],
      });
      await transaction.commit();
    }

    assert.equal(requests.get('EndTxn'), transactions);
    assert.equal(requests.get('TxnOffsetCommit'), transactions);
    // Two lookups at most (the transaction's coordinator and the group's), however many
    // transactions: kafkajs 2.2.4 sent four per transaction.
    assert.ok(
      (requests.get('GroupCoordinator') ?? 0) <= 2,
      `${String(requests.get('GroupCoordinator'))} coordinator lookups for ${String(transactions)} transactions`,
    );

    const [committed] = await admin.fetchOffsets({ groupId, topics: [input] });
    assert.equal(committed?.partitions[0]?.offset, String(transactions));
    const reader = await collectTopic(kafka, output);
    try {
      await reader.waitFor(transactions, 60_000);
      await reader.settle();
    } finally {
      await reader.stop();
    }
    assert.deepEqual(
      reader.records.map((record) => record.value?.toString()),
      Array.from({ length: transactions }, (_, index) => String(index + 1)),
      'read committed: every transaction’s message, once, in order',
    );
  });
});
