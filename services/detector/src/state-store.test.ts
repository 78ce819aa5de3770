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
    store.begin();
    store.set('k', new Counter(1));
    assert.deepEqual(store.touch('k', 0, '5'), { partition: 0, offset: '5', state: 1 });
    store.committed();
    store.begin();
    assert.equal(store.get('k')?.value, 1);
  });

  it('a batch handled again starts from the last committed state, not from its failed attempt', () => {
    const store = newStore();
    store.begin();
    store.set('k', new Counter(1));
    store.touch('k', 0, '1');
    store.committed();

    store.begin();
    const counter = store.get('k');
    assert.ok(counter);
    counter.value = 2;
    store.touch('k', 0, '2');
    // The transaction failed: no committed(). The retry starts over.
    store.begin();
    assert.equal(store.get('k')?.value, 1);
  });

  it('snapshots from the changelog only move a key forward', () => {
    const store = newStore();
    store.restore('k', { partition: 0, offset: '10', state: 10 });
    store.restore('k', { partition: 0, offset: '7', state: 7 });
    assert.equal(store.get('k')?.value, 10);
    store.restore('k', { partition: 0, offset: '12', state: 12 });
    store.forgetLive();
    assert.equal(store.get('k')?.value, 12);
  });

  it('our own commit is not undone by the changelog echoing an older snapshot', () => {
    const store = newStore();
    store.begin();
    store.set('k', new Counter(3));
    store.touch('k', 1, '30');
    store.committed();
    store.restore('k', { partition: 1, offset: '20', state: 2 });
    store.forgetLive();
    assert.equal(store.get('k')?.value, 3);
  });

  it('a snapshot the reviver cannot continue yields no state', () => {
    const store = new StateStore<Counter, number>(() => undefined);
    store.restore('k', { partition: 0, offset: '1', state: 1 });
    assert.equal(store.get('k'), undefined);
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
    assert.equal(store.get('k'), undefined);
    assert.deepEqual(reported, ['k']);
  });
});
