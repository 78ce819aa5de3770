import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { StateStore } from './state-store.js';

class Counter {
  constructor(public value = 0) {}
  toJSON(): number {
    return this.value;
  }
}

const newStore = (): StateStore<Counter, number> =>
  new StateStore<Counter, number>((_key, json) => new Counter(json));

describe('StateStore', () => {
  it('a committed batch becomes the state the next batch starts from', () => {
    const store = newStore();
    const batch = store.begin();
    batch.set('k', new Counter(1));
    assert.deepEqual(batch.touch('k', 0, '5'), { partition: 0, offset: '5', state: 1 });
    batch.committed();
    assert.equal(store.begin().get('k')?.value, 1);
    assert.equal(store.committedState('k')?.value, 1);
  });

  it('a batch handled again starts from the last committed state, not from its failed attempt', () => {
    const store = newStore();
    const first = store.begin();
    first.set('k', new Counter(1));
    first.touch('k', 0, '1');
    first.committed();

    const failed = store.begin();
    const counter = failed.get('k');
    assert.ok(counter);
    counter.value = 2;
    failed.touch('k', 0, '2');
    // The transaction failed: no committed(). The retry starts over.
    assert.equal(store.begin().get('k')?.value, 1);
  });

  it('batches of two scopes in hand at once stage and commit apart', () => {
    const store = newStore();
    const zero = store.begin(0);
    const one = store.begin(1);
    zero.set('a', new Counter(1));
    one.set('b', new Counter(10));
    one.touch('b', 1, '7');
    zero.touch('a', 0, '3');
    one.committed();
    assert.equal(store.committedState('b')?.value, 10);
    assert.equal(store.committedState('a'), undefined, "scope 0's batch has not committed yet");
    zero.committed();
    assert.equal(store.committedState('a')?.value, 1);
  });

  it("a scope's new batch rolls back only that scope's uncommitted attempt", () => {
    const store = newStore();
    const setUp = store.begin(0);
    setUp.set('a', new Counter(1));
    setUp.touch('a', 0, '1');
    setUp.committed();
    const setUpOne = store.begin(1);
    setUpOne.set('b', new Counter(10));
    setUpOne.touch('b', 1, '1');
    setUpOne.committed();

    const failedZero = store.begin(0);
    failedZero.get('a')!.value = 2;
    const inHandOne = store.begin(1);
    inHandOne.get('b')!.value = 11;
    // Scope 0 is handled again while scope 1's batch is still in hand.
    assert.equal(store.begin(0).get('a')?.value, 1, "scope 0's failed change is gone");
    assert.equal(inHandOne.get('b')?.value, 11, "scope 1's batch in hand keeps its change");
    inHandOne.touch('b', 1, '2');
    inHandOne.committed();
    assert.equal(store.committedState('b')?.value, 11);
  });

  it('snapshots from the changelog only move a key forward', () => {
    const store = newStore();
    store.restore('k', { partition: 0, offset: '10', state: 10 });
    store.restore('k', { partition: 0, offset: '7', state: 7 });
    assert.equal(store.begin().get('k')?.value, 10);
    store.restore('k', { partition: 0, offset: '12', state: 12 });
    store.forgetLive();
    assert.equal(store.begin().get('k')?.value, 12);
  });

  it('our own commit is not undone by the changelog echoing an older snapshot', () => {
    const store = newStore();
    const batch = store.begin();
    batch.set('k', new Counter(3));
    batch.touch('k', 1, '30');
    batch.committed();
    store.restore('k', { partition: 1, offset: '20', state: 2 });
    store.forgetLive();
    assert.equal(store.begin().get('k')?.value, 3);
  });

  it('a snapshot the reviver cannot continue yields no state', () => {
    const store = new StateStore<Counter, number>(() => undefined);
    store.restore('k', { partition: 0, offset: '1', state: 1 });
    assert.equal(store.begin().get('k'), undefined);
  });
  it('a snapshot the reviver throws on is reported, and the key starts afresh', () => {
    const reported: string[] = [];
    const store = new StateStore<Counter, number>(
      () => {
        throw new Error('written by another release');
      },
      (key) => reported.push(key),
    );
    store.restore('k', { partition: 0, offset: '1', state: 1 });
    assert.equal(store.begin().get('k'), undefined);
    assert.deepEqual(reported, ['k']);
  });
});
