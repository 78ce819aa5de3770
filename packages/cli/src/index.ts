export { bootstrapCommand } from './commands/bootstrap.js';
export { demoCommand, renderDemoSummary } from './commands/demo.js';
export { referenceSample, type ReferenceSample } from './reference-sample.js';
export { CliError, type CliErrorCode } from './errors.js';
export { formatDuration, parseDuration } from './duration.js';
export { checkLabelDelay, formatLabelDelay, parseLabelDelay } from './label-delay.js';
export { parseTimePoint } from './time-point.js';
export { parseFraction, parseInteger, parsePositiveInteger, parseRate } from './number-options.js';
export { parseModelName } from './model-name.js';
export {
  replayStream,
  type ReplayOptions,
  type ReplayProgress,
  type ReplaySchedule,
  type ReplaySummary,
} from './replay-stream.js';
export { readCliConfig, type CliConfig } from './cli-config.js';
export { cliKafka, connectAdmin, connectProducer } from './kafka-client.js';
export { readModelRegistry } from './read-model-registry.js';
export { formatAlert } from './commands/alerts.js';
export { readAlerts, type UnreadableRecord } from './read-alerts.js';
export { summarizeVersions, type ModelVersionSummary } from './commands/models.js';
export { manualRetrainRequest, publishRetrainRequest } from './commands/retrain.js';
export { collectStatus, formatStatus, type StatusReport } from './commands/status.js';
export { runServiceProcess, serviceEntryPoint } from './commands/run.js';
export { serviceNames, type ServiceName } from './service-names.js';
