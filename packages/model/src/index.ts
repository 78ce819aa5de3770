export { ModelError, type ModelErrorCode } from './errors.js';
export { sha256Hex } from './sha256-hex.js';
export { exportOnnx, type ExportOnnxOptions } from './export-onnx.js';
export { OnnxScorer, type OnnxScorerLoadOptions } from './onnx-scorer.js';
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
export {
  buildCandidate,
  type Candidate,
  type CandidateOptions,
  type LabeledRows,
} from './build-candidate.js';
export { evaluateChampion, type ChampionEvaluation } from './evaluate-champion.js';
export { metricsRecord } from './metrics-record.js';
