export { DriftError, type DriftErrorCode } from './errors.js';
export {
  categoricalSampler,
  mulberry32,
  standardNormal,
  type Random,
  type SeededRandom,
} from './random.js';
export type { JsonNumber } from './json-number.js';
export { detectedIndices, type DriftDetector } from './testing/detected-indices.js';
export {
  BlockAccuracy,
  type BlockAccuracyOptions,
  type BlockAccuracyResult,
  type BlockAccuracyState,
} from './block-accuracy.js';
export {
  PrequentialAccuracy,
  type PrequentialAccuracyOptions,
  type PrequentialAccuracyState,
} from './prequential-accuracy.js';
export {
  RollingRocAuc,
  type RollingRocAucOptions,
  type RollingRocAucState,
} from './rolling-roc-auc.js';
export {
  WindowedClassificationMetrics,
  type ClassLabel,
  type ClassificationMetricsSnapshot,
  type ScoredOutcome,
  type WindowedClassificationMetricsOptions,
  type WindowedClassificationMetricsState,
} from './windowed-classification-metrics.js';
export {
  WindowedMulticlassMetrics,
  type MulticlassMetricsSnapshot,
  type MulticlassOutcome,
  type WindowedMulticlassMetricsOptions,
  type WindowedMulticlassMetricsState,
} from './windowed-multiclass-metrics.js';
export {
  PageHinkley,
  type PageHinkleyMode,
  type PageHinkleyOptions,
  type PageHinkleyState,
} from './page-hinkley.js';
export { Ddm, type DdmOptions, type DdmState } from './ddm.js';
export { Fhddm, type FhddmOptions, type FhddmState } from './fhddm.js';
export { Fhddms, type FhddmsOptions, type FhddmsState } from './fhddms.js';
export { HddmA, type HddmAOptions, type HddmAPrefix, type HddmAState } from './hddm-a.js';
export {
  Kswin,
  type KswinOptions,
  type KswinResume,
  type KswinSamplerState,
  type KswinState,
  type WindowSampler,
} from './kswin.js';
export { Adwin, type AdwinOptions, type AdwinState } from './adwin.js';
export { psi, type PsiOptions } from './psi.js';
export {
  PsiReference,
  type PsiBinning,
  type PsiFitOptions,
  type PsiReferenceJson,
} from './psi-reference.js';
export {
  StreamingPsi,
  type PsiWindowKind,
  type StreamingPsiOptions,
  type StreamingPsiState,
} from './streaming-psi.js';
export { psiNullDistribution, type PsiNullDistributionOptions } from './psi-null-distribution.js';
export {
  windowThresholdForRunLength,
  type RunLengthThreshold,
  type WindowThresholdOptions,
} from './run-length-threshold.js';
export {
  slidingMeanFloorForRunLength,
  type SlidingMeanFloorOptions,
} from './sliding-mean-floor.js';
export { spreadForRunLength, type SpreadForRunLengthOptions } from './spread-for-run-length.js';
export {
  parameterForRunLength,
  type ParameterForRunLengthOptions,
  type RunLengthParameter,
} from './parameter-for-run-length.js';
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
export { Standardizer, type StandardizerState } from './standardizer.js';
export {
  fitKMeans,
  KMeans,
  type KMeansFit,
  type KMeansOptions,
  type KMeansState,
  type NearestCentroid,
} from './k-means.js';
export {
  ReferenceClusters,
  type ClusterDistanceQuantiles,
  type ReferenceClustersOptions,
  type ReferenceClustersState,
} from './reference-clusters.js';
export {
  ClusterOccupancy,
  type ChiSquareLevel,
  type ClusterOccupancyOptions,
  type ClusterOccupancyState,
  type OccupancyWindow,
} from './cluster-occupancy.js';
export {
  EdgeCaseFinder,
  type EdgeCase,
  type EdgeCaseFinderOptions,
  type EdgeCaseRule,
} from './edge-case-finder.js';
export {
  fitEdgeDistanceScales,
  type EdgeDistanceScales,
  type EdgeDistanceScalesOptions,
} from './edge-distance-scales.js';
export {
  fitPcaReconstruction,
  PcaReconstruction,
  type PcaReconstructionOptions,
  type PcaReconstructionState,
} from './pca-reconstruction.js';
export { IsotonicCalibrator, type IsotonicCalibratorState } from './isotonic-calibrator.js';
export {
  expectedCalibrationError,
  type ExpectedCalibrationErrorOptions,
} from './expected-calibration-error.js';
export { needsCalibration, type NeedsCalibrationOptions } from './needs-calibration.js';
export {
  Cbpe,
  type CbpeCalibration,
  type CbpeEstimate,
  type CbpeFitOptions,
  type CbpeState,
  type CbpeSums,
} from './cbpe.js';
export {
  StreamingCbpe,
  type StreamingCbpeOptions,
  type StreamingCbpeState,
} from './streaming-cbpe.js';
export { PlattCalibrator, type PlattCalibratorState } from './platt-calibrator.js';
export {
  MulticlassCbpe,
  type MulticlassCbpeFitOptions,
  type MulticlassCbpeState,
} from './multiclass-cbpe.js';
export {
  StreamingMulticlassCbpe,
  type StreamingMulticlassCbpeOptions,
  type StreamingMulticlassCbpeState,
} from './streaming-multiclass-cbpe.js';
