import type { BatchHandler } from '@driftwatch/bus';

import type { ConceptState, ConceptStateJson, DataState, DataStateJson } from './model-states.js';
import type { RetrainPolicy, RetrainPolicyState } from './retrain-policy.js';
import type { StateStore } from './state-store.js';

/**
 * Wraps the handler so that the first batch after this member (re)joins its group starts from
 * the changelog's end: another member may have moved the state of our new partitions' models
 * on. `onGroupJoin` goes to the processor.
 */
export function restoreAfterRebalance(
  handle: BatchHandler,
  state: {
    /** Reads the changelog to its current end. */
    catchUp: () => Promise<void>;
    concept: StateStore<ConceptState, ConceptStateJson>;
    data: StateStore<DataState, DataStateJson>;
    policies: StateStore<RetrainPolicy, RetrainPolicyState>;
  },
): { handle: BatchHandler; onGroupJoin: () => void } {
  let rebalanced = false;
  /** The catch-up after the last join, which every batch after it waits for. */
  let restored: Promise<void> = Promise.resolve();
  return {
    handle: async (batch, context) => {
      if (rebalanced) {
        rebalanced = false;
        restored = (async () => {
          await state.catchUp();
          state.concept.forgetLive();
          state.data.forgetLive();
          state.policies.forgetLive();
        })().catch((error: unknown) => {
          // Not caught up: the batch's next attempt (and every batch after it) tries again,
          // instead of waiting on this failure until the next join.
          rebalanced = true;
          throw error;
        });
      }
      // Batches of other partitions, handled beside this one, wait for the same catch-up.
      await restored;
      return handle(batch, context);
    },
    onGroupJoin: () => {
      rebalanced = true;
    },
  };
}
