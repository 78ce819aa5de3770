export {
  runClosedLoop,
  type ClosedLoopOptions,
  type ClosedLoopResult,
  type LoopEvent,
} from './closed-loop.js';
export { DemoError, type DemoErrorCode } from './errors.js';
export {
  minMaxLag,
  pipelineFlowControl,
  pipelineStages,
  type FlowControl,
  type Hold,
  type PipelineFlowControlOptions,
  type PipelineStage,
} from './flow-control.js';
export {
  summarizeDemo,
  type DemoSummary,
  type DriftSummary,
  type LabeledOutcome,
  type SegmentSummary,
  type SummaryInput,
} from './demo-summary.js';
export {
  replayStream,
  type ReplayOptions,
  type ReplayProgress,
  type ReplayRow,
  type ReplaySchedule,
  type ReplaySummary,
} from './replay-stream.js';
export {
  metricValue,
  repoRoot,
  serviceNames,
  spawnService,
  startService,
  type ServiceName,
  type ServiceProcess,
  type StartServiceOptions,
} from './service-runner.js';
