/**
 * The lifecycle of one (model, id) pair, as a transition table. Redis runs it (the script in
 * apply-join-script.ts mirrors this table; join-store.test.ts checks they agree on random
 * event sequences).
 *
 *   empty ──prediction──► awaiting-label ──label──────► joined   (emit once)
 *   empty ──label───────► awaiting-prediction ──prediction──► joined   (emit once)
 *   awaiting-* ──deadline passes──► expired  (counted by the sweeper, then forgotten)
 *
 * Anything else is a duplicate and produces nothing — except a replay: a record read again
 * because its batch's transaction failed does what it did the first time. The record that
 * completed the join emits the same joined record again (the first emission was aborted), so the
 * join is emitted exactly once downstream of read_committed; the record that stored a half is
 * `pending` again, not a duplicate, so a committed batch's counts are the same however often it
 * was handled.
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

/** Whether a record is one the pair has seen: the one that completed it, or the one that stored its half. */
export type JoinReplay = 'none' | 'completing-record' | 'stored-record';

/** The guard: the exception to the table, a replay does what the record did the first time. */
export function joinTransition(
  state: JoinState,
  side: JoinSide,
  replay: JoinReplay,
): { next: JoinState; effect: JoinEffect } {
  if (state === 'joined' && replay === 'completing-record')
    return { next: 'joined', effect: 'emit' };
  if (replay === 'stored-record') return { next: state, effect: 'pending' };
  return joinTransitions[state][side];
}
