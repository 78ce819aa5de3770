/**
 * The lifecycle of one (model, id) pair, as a transition table. Redis runs it (join-store.lua
 * mirrors this table; join-store.test.ts checks they agree on random event sequences).
 *
 *   empty ──prediction──► awaiting-label ──label──────► joined   (emit once)
 *   empty ──label───────► awaiting-prediction ──prediction──► joined   (emit once)
 *   awaiting-* ──deadline passes──► expired  (counted by the sweeper, then forgotten)
 *
 * Anything else is a duplicate and produces nothing — except the replay of the very record that
 * completed the join, whose output may belong to an aborted transaction: it emits the same
 * joined record again, so the join is emitted exactly once downstream of read_committed.
 */
export type JoinState = 'empty' | 'awaiting-label' | 'awaiting-prediction' | 'joined';
export type JoinSide = 'prediction' | 'label';
export type JoinEffect = 'pending' | 'emit' | 'duplicate';

export const joinTransitions: Readonly<
  Record<JoinState, Readonly<Record<JoinSide, { next: JoinState; effect: JoinEffect }>>>
> = {
  empty: {
    prediction: { next: 'awaiting-label', effect: 'pending' },
    label: { next: 'awaiting-prediction', effect: 'pending' },
  },
  'awaiting-label': {
    prediction: { next: 'awaiting-label', effect: 'duplicate' },
    label: { next: 'joined', effect: 'emit' },
  },
  'awaiting-prediction': {
    prediction: { next: 'joined', effect: 'emit' },
    label: { next: 'awaiting-prediction', effect: 'duplicate' },
  },
  joined: {
    prediction: { next: 'joined', effect: 'duplicate' },
    label: { next: 'joined', effect: 'duplicate' },
  },
};

/** The guard: the one exception to the table, a replay of the record that completed the join. */
export function joinTransition(
  state: JoinState,
  side: JoinSide,
  isReplayOfCompletingRecord: boolean,
): { next: JoinState; effect: JoinEffect } {
  if (state === 'joined' && isReplayOfCompletingRecord) return { next: 'joined', effect: 'emit' };
  return joinTransitions[state][side];
}
