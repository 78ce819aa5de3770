import type {
  DriftAlert,
  LabeledPrediction,
  ModelVersion,
  RetrainRequest,
} from '@driftwatch/topics';

/** A model version as the report reads it: everything but the ONNX bytes. */
export type ReportVersion = Omit<ModelVersion, 'onnx'>;

/** What the never-retrained model predicted for one event. */
export interface NeverRetrainedPrediction {
  predicted: number;
  score: number;
}

/** What a report is made from: records of the topics, read by the caller. */
export interface ReportInput {
  model: string;
  /** When the report is made (epoch ms): the caller's clock, so the computation has none. */
  generatedAt: number;
  /** Event-time range; null ends are open. Records outside it are left out. */
  range: { from: number | null; to: number | null };
  /** Labeled predictions (`predictions-labeled`), any order; other models' are left out. */
  predictions: readonly LabeledPrediction[];
  /** Every alert of the model: those observed in range are drawn, all explain the lineage. */
  alerts: readonly DriftAlert[];
  /** Every retrain request of the model, likewise. */
  retrainRequests: readonly RetrainRequest[];
  /** Every version of the model: lineage, holdout metrics and reference profiles. */
  versions: readonly ReportVersion[];
  /**
   * The root version scored on the same events, by prediction id, when the caller could score it:
   * the "what if we had never retrained" line.
   */
  neverRetrained?: {
    version: number;
    predictions: ReadonlyMap<string, NeverRetrainedPrediction>;
  };
  /** Events (by prediction id) where the stream's concept is known to change: the demo's. */
  knownDrifts?: readonly { id: string; label: string }[];
  /** Where the records came from, for the page's footer. */
  source?: string;
  /** Notes from reading the records (unreadable records skipped, a model that could not load). */
  notes?: readonly string[];
}

/** Options of {@link computeModelReport}; each has a default. */
export interface ReportOptions {
  /** Labeled predictions in each sliding window of the performance series. Default 500. */
  window?: number;
  /** At most this many points per performance series (windows evaluated at a stride). Default 400. */
  maxPoints?: number;
  /** Heat-map columns are at least `predictions / maxColumns` predictions wide. Default 100. */
  maxColumns?: number;
  /** How many of the most-moved features get a reference-vs-current chart. Default 3. */
  movedFeatures?: number;
}
