import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  commandRunTransition,
  commandRunTransitions,
  type CommandRunEvent,
  type CommandRunState,
} from './command-run-lifecycle.js';

const events: CommandRunEvent[] = ['exit', 'deadline', 'shutdown', 'spawn-error'];
const states = Object.keys(commandRunTransitions) as CommandRunState[];

/** The state after `sequence`, and how many times it settled and killed. */
function run(sequence: readonly CommandRunEvent[]): {
  state: CommandRunState;
  settles: number;
  kills: number;
} {
  let state: CommandRunState = 'running';
  let settles = 0;
  let kills = 0;
  for (const event of sequence) {
    const { next, effect } = commandRunTransition(state, event, settles > 0);
    state = next;
    if (effect === 'settle') settles++;
    if (effect === 'kill-group') kills++;
  }
  return { state, settles, kills };
}

describe('the command run lifecycle', () => {
  it('ends as the first of exit, deadline, shutdown or spawn error decides', () => {
    assert.deepEqual(run(['exit']), { state: 'exited', settles: 1, kills: 0 });
    assert.deepEqual(run(['deadline', 'exit']), { state: 'timed-out', settles: 1, kills: 1 });
    assert.deepEqual(run(['shutdown', 'exit']), { state: 'stopped', settles: 1, kills: 1 });
    assert.deepEqual(run(['spawn-error']), { state: 'failed-to-start', settles: 1, kills: 0 });
  });

  it('a deadline that fires as the program exits does not make it a timeout', () => {
    assert.deepEqual(run(['exit', 'deadline', 'shutdown']), {
      state: 'exited',
      settles: 1,
      kills: 0,
    });
  });

  it('a timed-out run waits for its exit to settle, and is killed once', () => {
    assert.deepEqual(run(['deadline', 'shutdown', 'deadline']), {
      state: 'timed-out',
      settles: 0,
      kills: 1,
    });
  });

  it('settles exactly once and kills at most once, whatever the events and their order', () => {
    // Every sequence of up to four events that ends with the process gone (exit or spawn error).
    const sequences: CommandRunEvent[][] = [[]];
    for (let length = 0; length < 4; length++) {
      for (const prefix of sequences.filter((s) => s.length === length)) {
        for (const event of events) sequences.push([...prefix, event]);
      }
    }
    for (const sequence of sequences) {
      const ended = sequence.some((event) => event === 'exit' || event === 'spawn-error');
      const { state, settles, kills } = run(sequence);
      assert.equal(settles, ended ? 1 : 0, sequence.join(' → '));
      assert.ok(kills <= 1, sequence.join(' → '));
      assert.equal(state === 'running', sequence.length === 0, sequence.join(' → '));
    }
  });

  it('a shutdown before the news that the program never started still settles', () => {
    assert.deepEqual(run(['shutdown', 'spawn-error']), { state: 'stopped', settles: 1, kills: 1 });
  });

  it('only running is ever left: every other state stays what it is', () => {
    for (const state of states.filter((s) => s !== 'running')) {
      for (const event of events) {
        const { next, effect } = commandRunTransitions[state][event];
        assert.equal(next, state, `${state} --${event}`);
        assert.notEqual(effect, 'kill-group', `${state} --${event}`);
      }
    }
  });
});
