import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isFenced, isStuckTransaction } from './errors.js';
import { PartitionProducers, type FencingProducer } from './partition-producers.js';

/**
 * The broker's side of fencing, as far as these tests need it: each transactional id has an
 * epoch, bumped by every InitProducerId (a producer's first transaction); a commit under an older
 * epoch is refused the way Kafka refuses it.
 */
class FakeCoordinator {
  readonly epochs = new Map<string, number>();
  readonly steps: string[] = [];
  readonly committed = new Map<number, bigint>();
  disconnected: string[] = [];

  producer(transactionalId: string): FencingProducer {
    let epoch: number | undefined;
    return {
      transaction: () => {
        if (epoch === undefined) {
          epoch = (this.epochs.get(transactionalId) ?? 0) + 1;
          this.epochs.set(transactionalId, epoch);
          this.steps.push(`init ${transactionalId}`);
        }
        const mine = epoch;
        const refuseIfFenced = (): Promise<void> =>
          this.epochs.get(transactionalId) === mine
            ? Promise.resolve()
            : Promise.reject(
                Object.assign(new Error('Producer attempted an operation with an old epoch'), {
                  type: 'INVALID_PRODUCER_EPOCH',
                }),
              );
        return Promise.resolve({
          sendBatch: () => refuseIfFenced().then(() => []),
          sendOffsets: refuseIfFenced,
          commit: refuseIfFenced,
          abort: () => Promise.resolve(),
        });
      },
      disconnect: () => {
        this.disconnected.push(transactionalId);
        return Promise.resolve();
      },
    };
  }
}

function partitionProducers(coordinator: FakeCoordinator): PartitionProducers {
  return new PartitionProducers({
    transactionalIdPrefix: 'g',
    create: (transactionalId) => Promise.resolve(coordinator.producer(transactionalId)),
    committedOffsets: (topic, partitions) => {
      coordinator.steps.push(`offsets ${topic} ${partitions.join(',')}`);
      return Promise.resolve(
        new Map(
          partitions
            .filter((partition) => coordinator.committed.has(partition))
            .map((partition) => [partition, coordinator.committed.get(partition) ?? 0n]),
        ),
      );
    },
  });
}

describe('PartitionProducers', () => {
  it('claims every newly assigned partition under an id of its own, fencing before reading offsets', async () => {
    const coordinator = new FakeCoordinator();
    coordinator.committed.set(0, 42n);
    const producers = partitionProducers(coordinator);
    producers.assign({ t: [0, 1] });
    assert.equal(producers.claim('t', 0), undefined, 'not claimed before claimAssigned');
    await producers.claimAssigned();
    assert.deepEqual(coordinator.steps, ['init g-t-0', 'init g-t-1', 'offsets t 0,1']);
    assert.equal(producers.claim('t', 0)?.committedOffset, 42n);
    assert.equal(producers.claim('t', 1)?.committedOffset, -1n, 'none committed: nothing to skip');
    assert.equal(producers.claim('t', 2), undefined, 'not assigned');
  });

  it('batches of several partitions asking at once share one claim: one producer per id, none fenced', async () => {
    const coordinator = new FakeCoordinator();
    const producers = partitionProducers(coordinator);
    producers.assign({ t: [0, 1], u: [0] });
    await Promise.all([
      producers.claimAssigned(),
      producers.claimAssigned(),
      producers.claimAssigned(),
    ]);
    assert.deepEqual(
      coordinator.steps.filter((step) => step.startsWith('init')),
      ['init g-t-0', 'init g-t-1', 'init g-u-0'],
    );
    const transaction = await producers.claim('t', 0)?.producer.transaction();
    await transaction?.commit();
    await producers.claimAssigned();
    assert.equal(coordinator.steps.filter((step) => step.startsWith('init')).length, 3);
  });

  it("the new owner's claim fences the old owner's producer", async () => {
    const coordinator = new FakeCoordinator();
    const oldOwner = partitionProducers(coordinator);
    oldOwner.assign({ t: [0] });
    await oldOwner.claimAssigned();
    const zombie = oldOwner.claim('t', 0)?.producer;
    assert.ok(zombie);
    const inHand = await zombie.transaction();

    const newOwner = partitionProducers(coordinator);
    newOwner.assign({ t: [0] });
    await newOwner.claimAssigned();

    await assert.rejects(inHand.commit(), (error: unknown) => isFenced(error));
    const owned = await newOwner.claim('t', 0)?.producer.transaction();
    await owned?.commit();
  });

  it('keeps the producer of a partition kept across a rebalance, and releases those that left', async () => {
    const coordinator = new FakeCoordinator();
    const producers = partitionProducers(coordinator);
    producers.assign({ t: [0, 1] });
    await producers.claimAssigned();
    const kept = producers.claim('t', 1);
    producers.assign({ t: [1, 2] });
    await producers.claimAssigned();
    assert.equal(producers.claim('t', 1), kept, 'no other member was assigned it: no new claim');
    assert.equal(producers.claim('t', 0), undefined);
    assert.deepEqual(coordinator.disconnected, ['g-t-0']);
    assert.deepEqual(coordinator.steps.slice(3), ['init g-t-2', 'offsets t 2']);
    assert.equal(producers.size, 2);
  });

  it('a member that was out of the group claims every partition again, kept or not', async () => {
    const coordinator = new FakeCoordinator();
    const producers = partitionProducers(coordinator);
    producers.assign({ t: [0] });
    await producers.claimAssigned();
    const before = producers.claim('t', 0);
    producers.assign({ t: [0] }, { newMember: true });
    await producers.claimAssigned();
    assert.notEqual(producers.claim('t', 0), before, 'someone may have owned it meanwhile');
    assert.equal(coordinator.epochs.get('g-t-0'), 2);
  });

  it('a fenced partition is not claimed back until the group assigns it again', async () => {
    const coordinator = new FakeCoordinator();
    const producers = partitionProducers(coordinator);
    producers.assign({ t: [0] });
    await producers.claimAssigned();
    producers.fenced('t', 0);
    await producers.claimAssigned();
    assert.equal(producers.claim('t', 0), undefined, 'claiming it now would fence its owner');
    assert.deepEqual(coordinator.disconnected, ['g-t-0']);
    producers.assign({ t: [0] });
    await producers.claimAssigned();
    assert.ok(producers.claim('t', 0), 'assigned again: claimed again');
    assert.equal(coordinator.epochs.get('g-t-0'), 2);
  });

  it('a claim that fails leaves nothing claimed and no producer open, and can be tried again', async () => {
    const coordinator = new FakeCoordinator();
    let offsetsFail = true;
    const producers = new PartitionProducers({
      transactionalIdPrefix: 'g',
      create: (transactionalId) => Promise.resolve(coordinator.producer(transactionalId)),
      committedOffsets: () =>
        offsetsFail
          ? Promise.reject(Object.assign(new Error('coordinator loading'), { retriable: true }))
          : Promise.resolve(new Map()),
    });
    producers.assign({ t: [0, 1] });
    await assert.rejects(producers.claimAssigned(), /coordinator loading/);
    assert.equal(producers.claim('t', 0), undefined);
    assert.deepEqual(coordinator.disconnected.sort(), ['g-t-0', 'g-t-1']);
    offsetsFail = false;
    await producers.claimAssigned();
    assert.ok(producers.claim('t', 0) && producers.claim('t', 1));
  });

  it('replace swaps a stuck producer for a new one with the same id at the next claim', async () => {
    const coordinator = new FakeCoordinator();
    const producers = partitionProducers(coordinator);
    producers.assign({ t: [0] });
    await producers.claimAssigned();
    const stuck = producers.claim('t', 0);
    producers.replace('t', 0);
    assert.equal(producers.claim('t', 0), undefined);
    await producers.claimAssigned();
    const fresh = producers.claim('t', 0);
    assert.ok(fresh && fresh !== stuck);
    assert.equal(coordinator.epochs.get('g-t-0'), 2, 'the new producer fenced the stuck one');
    producers.replace('t', 9);
    await producers.claimAssigned();
    assert.equal(producers.claim('t', 9), undefined, 'an unassigned partition is not claimed');
  });

  it('when one partition cannot be claimed, the producers of the others are closed too', async () => {
    const coordinator = new FakeCoordinator();
    const producers = new PartitionProducers({
      transactionalIdPrefix: 'g',
      create: (transactionalId) =>
        transactionalId === 'g-t-1'
          ? Promise.reject(new Error('not authorized for g-t-1'))
          : Promise.resolve(coordinator.producer(transactionalId)),
      committedOffsets: () => Promise.resolve(new Map()),
    });
    producers.assign({ t: [0, 1, 2] });
    await assert.rejects(producers.claimAssigned(), /not authorized for g-t-1/);
    assert.deepEqual(coordinator.disconnected.sort(), ['g-t-0', 'g-t-2']);
    assert.equal(producers.size, 0);
  });

  it('closeAll disconnects every producer; the next batch claims them again', async () => {
    const coordinator = new FakeCoordinator();
    const producers = partitionProducers(coordinator);
    producers.assign({ a: [0], b: [0] });
    await producers.claimAssigned();
    await producers.closeAll();
    assert.deepEqual(coordinator.disconnected.sort(), ['g-a-0', 'g-b-0']);
    assert.equal(producers.size, 0);
    await producers.claimAssigned();
    assert.equal(producers.size, 2);
  });
});

describe('isFenced', () => {
  it('recognises the epoch refusal however kafkajs wraps it, and nothing else', () => {
    const refusal = Object.assign(new Error('old epoch'), { type: 'INVALID_PRODUCER_EPOCH' });
    assert.ok(isFenced(refusal));
    assert.ok(isFenced(new Error('gave up', { cause: refusal })));
    assert.ok(isFenced(Object.assign(new Error('aggregate'), { errors: [refusal] })));
    assert.ok(isFenced(Object.assign(new Error('fenced'), { type: 'PRODUCER_FENCED' })));
    assert.ok(!isFenced(Object.assign(new Error('x'), { type: 'REBALANCE_IN_PROGRESS' })));
    assert.ok(!isFenced(new Error('plain')));
    assert.ok(!isFenced(undefined));
  });
});

describe('isStuckTransaction', () => {
  it("recognises kafkajs' refusal to begin after a failed abort, wrapped or not", () => {
    const stuck = new Error(
      'Transaction state exception: Cannot call "beginTransaction" in state "ABORTING"',
    );
    assert.ok(isStuckTransaction(stuck));
    assert.ok(isStuckTransaction(new Error('batch failed', { cause: stuck })));
    assert.ok(!isStuckTransaction(new Error('connect ECONNREFUSED')));
    assert.ok(!isStuckTransaction(null));
  });
});
