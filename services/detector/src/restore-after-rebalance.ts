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
  return {
    handle: async (batch, context) => {
      if (rebalanced) {
        rebalanced = false;
        await state.catchUp();
        state.concept.forgetLive();
        state.data.forgetLive();
        state.policies.forgetLive();
      }
      return handle(batch, context);
    },
    onGroupJoin: () => {
      rebalanced = true;
    },
  };
}
