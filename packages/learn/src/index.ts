export { LearnError, type LearnErrorCode } from './errors.js';
export type { FeatureRows } from './input-checks.js';
export {
  modelClassCount,
  parseTrainedModel,
  type BinaryModel,
  type LogisticModel,
  type MlpActivation,
  type MlpModel,
  type ModelFamily,
  type MulticlassModel,
  type SoftmaxMlpModel,
  type SoftmaxRegressionModel,
  type Standardization,
  type TrainedModel,
} from './trained-model.js';
export {
  LogisticRegression,
  type LogisticRegressionFit,
  type LogisticRegressionOptions,
} from './logistic-regression.js';
export {
  SoftmaxRegression,
  type SoftmaxRegressionFit,
  type SoftmaxRegressionOptions,
} from './softmax-regression.js';
export { Mlp, type MlpOptions } from './mlp.js';
export { SoftmaxMlp } from './softmax-mlp.js';
export { trainModel, type TrainModelOptions } from './train-model.js';
export {
  chooseTrainingWindow,
  type ChooseTrainingWindowOptions,
  type WindowCandidate,
  type WindowChoice,
} from './choose-training-window.js';
export { predictClasses } from './predict-classes.js';
export { predictProbabilities } from './predict-probabilities.js';
export { predictClassProbabilities } from './predict-class-probabilities.js';
export { outOfFoldProbabilities, type OutOfFoldOptions } from './out-of-fold-probabilities.js';
export {
  evaluateBinaryClassifier,
  type BinaryClassifierMetrics,
} from './evaluate-binary-classifier.js';
export { evaluateClassifier, type ClassifierMetrics } from './evaluate-classifier.js';
export {
  mcnemarFromCounts,
  mcnemarTest,
  type McNemarOptions,
  type McNemarResult,
} from './mcnemar-test.js';
export {
  decideOnLiveEvidence,
  decidePromotion,
  type LiveCriteria,
  type PairedOutcomes,
  type PromotionCriteria,
  type PromotionDecision,
  type PromotionInput,
  type PromotionMetric,
} from './decide-promotion.js';
export {
  prequentialBaseline,
  type PeriodicRetraining,
  type PrequentialBaselineOptions,
  type PrequentialBaselineResult,
} from './prequential-baseline.js';
export {
  buildQuantileProfile,
  type QuantileBins,
  type QuantileProfile,
  type QuantileProfileInput,
} from './quantile-profile.js';
