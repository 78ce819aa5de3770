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
