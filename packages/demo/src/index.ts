export {
  runClosedLoop,
  type ClosedLoopOptions,
  type ClosedLoopResult,
  type LoopEvent,
  type ReplayFunction,
} from './closed-loop.js';
export {
  summarizeDemo,
  type DemoSummary,
  type DriftSummary,
  type LabeledOutcome,
  type SegmentSummary,
  type SummaryInput,
} from './demo-summary.js';
export {
  metricValue,
  repoRoot,
  serviceNames,
  startService,
  type ServiceName,
  type ServiceProcess,
  type StartServiceOptions,
} from './service-runner.js';
