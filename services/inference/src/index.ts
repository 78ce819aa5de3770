export { inferenceEnv } from './config.js';
export { createInferenceDiagnostics, type InferenceDiagnostics } from './diagnostics.js';
export { createInferenceHandler, type InferenceHandlerDependencies } from './score-batch.js';
export {
  ServingModels,
  type ApplyOutcome,
  type ModelLease,
  type ModelLoader,
  type ScoringModel,
  type ServedModel,
} from './serving-models.js';
