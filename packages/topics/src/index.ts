export { validate, type Codec } from './codec.js';
export { createCodecs, type Codecs, type CreateCodecsOptions } from './create-codecs.js';
export {
  DecodeError,
  EncodeError,
  SchemaRegistryError,
  type DecodeErrorCode,
  type EncodeErrorCode,
  type SchemaRegistryErrorCode,
} from './errors.js';
export { jsonCodec } from './json-codec.js';
export { deadLetterSchema, type DeadLetter } from './messages/dead-letter.js';
export { deadLetterCodes, type DeadLetterCode } from './messages/dead-letter-code.js';
export { driftAlertSchema, type DriftAlert } from './messages/drift-alert.js';
export { featureEventSchema, type FeatureEvent } from './messages/feature-event.js';
export {
  embeddingColumns,
  embeddingColumnsProblem,
  embeddingLengthOf,
  isEmbeddingColumn,
  withEmbeddingColumns,
} from './messages/embedding-columns.js';
export {
  decodeFeatureSketch,
  encodeFeatureSketch,
  featureSketchesOf,
  type FeatureSketch,
} from './messages/feature-sketch.js';
export { labelEventSchema, type LabelEvent } from './messages/label-event.js';
export { defaultBinaryClasses, labelClassName } from './messages/common.js';
export {
  alarmCalibrationSchema,
  alarmSettingsSchema,
  type AlarmCalibration,
  type AlarmSettings,
  type CalibratedRule,
  type ConceptCalibration,
  type DataCalibration,
} from './messages/alarm-calibration.js';
export {
  binnedDistributionSchema,
  calibrationCbpeState,
  classCalibrationCbpeState,
  classCalibrationSchema,
  emptyReferenceProfile,
  modelVersionKey,
  modelVersionSchema,
  referenceProfileSchema,
  scoreCalibrationSchema,
  shadowEvidenceSchema,
  shadowTrialSchema,
  versionClasses,
  versionEmbeddingLength,
  type BinnedDistribution,
  type ClassCalibration,
  type ModelVersion,
  type ReferenceProfile,
  type ScoreCalibration,
  type ShadowEvidence,
  type ShadowTrial,
} from './messages/model-version.js';
export {
  multivariateReferenceSchema,
  type MultivariateReference,
} from './messages/multivariate-reference.js';
export {
  classProbabilities,
  labeledPredictionSchema,
  predictionClasses,
  predictionSchema,
  shadowPredictionSchema,
  type LabeledPrediction,
  type Prediction,
  type ShadowPrediction,
  edgeCaseVerdictSchema,
  type EdgeCaseVerdict,
} from './messages/prediction.js';
export { edgeCaseSchema, type EdgeCaseRecord } from './messages/edge-case.js';
export { retrainRequestSchema, type RetrainRequest } from './messages/retrain-request.js';
export {
  topicCatalog,
  topicIds,
  topicNames,
  type MessageOf,
  type TopicDefinition,
  type TopicId,
  type TopicNames,
} from './topic-catalog.js';
