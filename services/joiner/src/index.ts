export { joinerEnv } from './config.js';
export { createJoinerDiagnostics, type JoinerDiagnostics } from './diagnostics.js';
export { createJoinHandler, joinedRecord, type JoinHandlerDependencies } from './join-batch.js';
export {
  joinTransition,
  joinTransitions,
  type JoinEffect,
  type JoinReplay,
  type JoinSide,
  type JoinState,
} from './join-lifecycle.js';
export { JoinStoreUnavailableError, type JoinerErrorCode } from './errors.js';
export {
  RedisJoinStore,
  type ExpirySweep,
  type JoinInput,
  type JoinOutcome,
} from './join-store.js';
