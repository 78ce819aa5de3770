export { trainerEnv } from './config.js';
export { bootstrapVersion } from './bootstrap-version.js';
export {
  buildCandidate,
  metricsRecord,
  type Candidate,
  type CandidateOptions,
  type LabeledRows,
} from './build-candidate.js';
export { createTrainerDiagnostics, type TrainerDiagnostics } from './diagnostics.js';
export { evaluateChampion, type ChampionEvaluation } from './evaluate-champion.js';
export { createTrainerHandler, type TrainerDependencies } from './train-batch.js';
export {
  trainForRequest,
  type SkipReason,
  type TrainingOutcome,
  type TrainingPolicy,
  type VersionLedger,
} from './train-request.js';
export { splitTrainingRows, type TrainingSplit } from './training-rows.js';
