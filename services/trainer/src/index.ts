export { trainerEnv } from './config.js';
export { createTrainerDiagnostics, type TrainerDiagnostics } from './diagnostics.js';
export { createTrainerHandler, type TrainerDependencies } from './create-trainer-handler.js';
export {
  trainForRequest,
  type SkipReason,
  type TrainingOutcome,
  type TrainingPolicy,
  type VersionLedger,
} from './train-for-request.js';
export { readTrainingWindow, type ReadRecordsInRange } from './read-training-window.js';
export { splitTrainingRows, type TrainingSplit } from './split-training-rows.js';
export { splitCommandLine, type SplitCommandLine } from './split-command-line.js';
export { formatTrainingCsv, LABEL_COLUMN } from './format-training-csv.js';
export { TextTail } from './text-tail.js';
export {
  trainingCommandEnv,
  type TrainingCommandEnv,
  type TrainingCommandInput,
} from './training-command-env.js';
export {
  commandRunTransition,
  commandRunTransitions,
  type CommandRunEffect,
  type CommandRunEvent,
  type CommandRunState,
} from './command-run-lifecycle.js';
export {
  runTrainingCommand,
  STDERR_TAIL,
  type CommandRun,
  type CommandRunOutcome,
  type RunTrainingCommandOptions,
} from './run-training-command.js';
export type { Challenger } from './challenger.js';
export {
  externalCandidate,
  MAX_ONNX_BYTES,
  type ExternalCandidate,
  type ExternalCandidateOptions,
} from './external-candidate.js';
export {
  trainWithCommand,
  type CommandReport,
  type CommandTraining,
  type CommandTrainingInput,
  type CommandVerdict,
  type TrainingCommand,
} from './train-with-command.js';
