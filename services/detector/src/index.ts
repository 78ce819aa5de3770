export { checkFalseAlarmBudget, detectorEnv, detectorOptions } from './config.js';
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
  type UnlabeledObservation,
} from './data-monitor.js';
export {
  inProcessAlarmCalibrator,
  keepingAlive,
  type AlarmCalibrator,
} from './alarm-calibrator.js';
export { createDetectorHandler } from './create-detector-handler.js';
export { alarmSettingsOf } from './alarm-settings-of.js';
export type { DetectorDependencies } from './detector-dependencies.js';
export { createDetectorStores } from './detector-stores.js';
export { DetectorOutput } from './detector-output.js';
export { createDetectorDiagnostics, type DetectorDiagnostics } from './diagnostics.js';
export { internalTopicNames, type InternalTopicNames } from './internal-topics.js';
export { ConceptState, DataState } from './model-states.js';
export {
  RetrainPolicy,
  type PolicyOutcome,
  type RetrainDecision,
  type RetrainPolicyOptions,
} from './retrain-policy.js';
export { restoreAfterRebalance } from './restore-after-rebalance.js';
export { restoreFromChangelog } from './restore-from-changelog.js';
export { alertIdFor, stableId } from './stable-id.js';
export { formatStateKey, parseStateKey, type StateKey, type StateStream } from './state-key.js';
export { StateStore, type StateSnapshot } from './state-store.js';
export { ThresholdGate } from './threshold-gate.js';
export { performanceFromChangelog, type ModelPerformance } from './performance-from-changelog.js';
