export { detectorEnv } from './config.js';
export {
  ConceptMonitor,
  type ConceptMetrics,
  type ConceptMonitorOptions,
  type ConceptSignal,
  type LabeledObservation,
} from './concept-monitor.js';
export {
  DataMonitor,
  type DataMonitorOptions,
  type DataSignal,
  type ReferenceProfile,
  type UnlabeledObservation,
} from './data-monitor.js';
export {
  alertIdFor,
  createDetectorHandler,
  stableId,
  type DetectorDependencies,
} from './detect-batch.js';
export { createDetectorDiagnostics, type DetectorDiagnostics } from './diagnostics.js';
export { featureBatchSchema, internalTopicNames, type FeatureBatch } from './internal-topics.js';
export { ConceptState, DataState } from './model-states.js';
export {
  RetrainPolicy,
  type PolicyOutcome,
  type RetrainDecision,
  type RetrainPolicyOptions,
} from './retrain-policy.js';
export { StateStore, type StateSnapshot } from './state-store.js';
export { ThresholdGate } from './threshold-gate.js';
