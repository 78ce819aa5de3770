export { ModelError, type ModelErrorCode } from './errors.js';
export { sha256Hex } from './sha256-hex.js';
export { exportOnnx, type ExportOnnxOptions } from './export-onnx.js';
export { OnnxScorer, type OnnxScorerLoadOptions } from './onnx-scorer.js';
export { ClassifierScorer, type ClassifierLoadOptions } from './classifier-scorer.js';
export { inspectClassifier } from './inspect-classifier.js';
export { resolveFeatureNames, type ResolvedFeatureNames } from './resolve-feature-names.js';
export { loadVersionScorer } from './load-version-scorer.js';
export { predictClasses } from './predict-classes.js';
export { servedRow, type ServedRow } from './served-row.js';
export type {
  ClassifierHints,
  ClassifierInterpretation,
  ClassifierOutput,
  ClassifierOutputKind,
  ClassesSource,
  FeatureNamesSource,
  OutputKindSource,
  SingleOutputKind,
} from './classifier-interpretation.js';
export type { OnnxValueDescription } from './describe-onnx-value.js';
export {
  checkProbabilities,
  ROW_SUM_TOLERANCE,
  type ProbabilityCheck,
} from './check-probabilities.js';
export {
  buildFeatureMatrix,
  type FeatureMatrix,
  type FeatureRejection,
  type FeatureRejectionCode,
} from './build-feature-matrix.js';
export {
  verifyExport,
  type VerifyExportOptions,
  type VerifyExportResult,
} from './verify-export.js';
export { bootstrapVersion } from './bootstrap-version.js';
export { buildReferenceProfile, type ReferenceProfileInput } from './build-reference-profile.js';
export {
  fitMultivariateReference,
  minimumMultivariateRows,
  type MultivariateReferenceOptions,
} from './fit-multivariate-reference.js';
export {
  calibrationMethods,
  fitScoreCalibration,
  type CalibrationMethod,
  type ScoreCalibrationInput,
} from './fit-score-calibration.js';
export { fitClassCalibration, type ClassCalibrationInput } from './fit-class-calibration.js';
export {
  buildCandidate,
  type Candidate,
  type CandidateOptions,
  type LabeledRows,
} from './build-candidate.js';
export { candidateTrainedWith } from './candidate-trained-with.js';
export { evaluateChampion, type ChampionEvaluation } from './evaluate-champion.js';
export { calibrationMetrics, metricsRecord } from './metrics-record.js';
