import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { untilCommitted } from './until-committed.js';

describe('untilCommitted', () => {
  it('holds calls back until the attempt commits, in order, with their arguments', () => {
    const calls: string[] = [];
    const diagnostics = {
      label: 'kept',
      joined(model: string, count: number): void {
        calls.push(`${this.label} ${model} ${count}`);
      },
    };
    const effects: (() => void)[] = [];
    const deferred = untilCommitted(diagnostics, { afterCommit: (effect) => effects.push(effect) });
    deferred.joined('a', 1);
    deferred.joined('b', 2);
    assert.deepEqual(calls, [], 'nothing counted before the commit');
    assert.equal(deferred.label, 'kept', 'non-function members read through');
    for (const effect of effects) effect();
    assert.deepEqual(calls, ['kept a 1', 'kept b 2']);
  });

  it('an attempt that never commits counts nothing', () => {
    let count = 0;
    const deferred = untilCommitted(
      {
        inc: () => {
          count++;
        },
      },
      { afterCommit: () => undefined },
    );
    deferred.inc();
    assert.equal(count, 0);
  });
});
