export { DriftError, type DriftErrorCode } from './errors.js';
export { mulberry32, type Random } from './random.js';
export { detectedIndices, type DriftDetector } from './testing/detected-indices.js';
export {
  BlockAccuracy,
  type BlockAccuracyOptions,
  type BlockAccuracyResult,
} from './block-accuracy.js';
export { PrequentialAccuracy, type PrequentialAccuracyOptions } from './prequential-accuracy.js';
export { RollingRocAuc, type RollingRocAucOptions } from './rolling-roc-auc.js';
export {
  WindowedClassificationMetrics,
  type ClassLabel,
  type ClassificationMetricsSnapshot,
  type LabeledPrediction,
  type WindowedClassificationMetricsOptions,
} from './windowed-classification-metrics.js';
export { PageHinkley, type PageHinkleyMode, type PageHinkleyOptions } from './page-hinkley.js';
export { Ddm, type DdmOptions } from './ddm.js';
export { Kswin, type KswinOptions, type WindowSampler } from './kswin.js';
export { Adwin, type AdwinOptions } from './adwin.js';
export { psi, type PsiOptions } from './psi.js';
export {
  PsiReference,
  type PsiBinning,
  type PsiFitOptions,
  type PsiReferenceJson,
} from './psi-reference.js';
export { StreamingPsi, type PsiWindowKind, type StreamingPsiOptions } from './streaming-psi.js';
export { psiEvidently, type PsiEvidentlyOptions, type PsiFeatureType } from './psi-evidently.js';
export {
  ksTwoSample,
  type KsMethod,
  type KsTwoSampleOptions,
  type KsTwoSampleResult,
} from './ks-two-sample.js';
export { jensenShannon, type JensenShannonOptions } from './jensen-shannon.js';
export {
  scoreDetections,
  summarizeScores,
  syntheticStream,
  type DetectionScore,
  type DetectionSummary,
  type ScoreDetectionsInput,
  type StreamFamily,
  type StreamKind,
  type SyntheticStream,
  type SyntheticStreamOptions,
} from './evaluation/index.js';
