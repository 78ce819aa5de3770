import type { DriftAlert, ModelVersion, RetrainRequest } from '@driftwatch/topics';

/** The format tag of {@link ModelReport}: bumped when a field changes meaning. */
export const modelReportFormat = 'driftwatch-report/1';

export type PerformanceMetric = 'accuracy' | 'f1' | 'rocAuc';

/**
 * One line of the performance panel: sliding windows over some predictions, in event time.
 *
 * - `of.kind: 'version'`: the predictions one version served;
 * - `'served'`: every prediction, whichever version served it (what users got);
 * - `'never-retrained'`: the root version (the bootstrap model) scored offline on the same events,
 *   where the report was given its predictions.
 *
 * `basis: 'realized'` is computed from labels. `'estimated'` is reserved for a performance
 * estimator's series (accuracy estimated before labels arrive); nothing publishes one yet.
 */
export interface PerformanceSeries {
  of:
    | { kind: 'version'; version: number }
    | { kind: 'served' }
    | { kind: 'never-retrained'; version: number };
  basis: 'realized' | 'estimated';
  label: string;
  /** Event time of the last prediction of each window. */
  ts: number[];
  /**
   * Each metric over the window ending at the same index of `ts`, to 4 decimals; null where it is
   * undefined (ROC-AUC of a window holding one class only).
   */
  metrics: Partial<Record<PerformanceMetric, (number | null)[]>>;
}

export type ReportMarkerKind =
  | 'concept-alert'
  | 'data-alert'
  | 'performance-alert'
  | 'takeover'
  | 'known-drift'
  | 'retrain-requested';

/** A moment drawn as a vertical line across the time charts. */
export interface ReportMarker {
  kind: ReportMarkerKind;
  /**
   * Epoch ms: an alert's `observedAt`, a request's `requestedAt`, the event time of the first
   * prediction a version served (takeover) or of the event where a known drift starts.
   */
  ts: number;
  label: string;
  /** The alert id, request id or version number the marker stands for. */
  ref: string;
  /** The feature of a data alert, so the heat map can mark its row. */
  feature?: string | null;
}

/** One row of the data-drift heat map. */
export interface DriftRow {
  label: string;
  /** null: the model's score, which references may carry beside the features. */
  feature: string | null;
}

/** One column of the heat map: consecutive predictions of one version. */
export interface DriftColumn {
  version: number;
  /** Event times of the column's first and last prediction. */
  from: number;
  to: number;
  predictions: number;
  /** PSI of each row against the version's reference (to 4 decimals); null: no reference or values. */
  psi: (number | null)[];
}

/** A feature that moved: its reference distribution next to the window where its PSI peaked. */
export interface MovedFeature {
  label: string;
  feature: string | null;
  psi: number;
  version: number;
  from: number;
  to: number;
  predictions: number;
  /** The reference's histogram edges; the first and last bins are open-ended. */
  edges: number[];
  reference: number[];
  current: number[];
}

export interface DataDrift {
  rows: DriftRow[];
  columns: DriftColumn[];
  /** The PSI threshold the detector alerted at, from its data alerts; null when none is in range. */
  alertThreshold: number | null;
  moved: MovedFeature[];
}

/** A version in the lineage, with why it exists and how it did. */
export interface VersionNode {
  version: number;
  parentVersion: number | null;
  status: ModelVersion['status'];
  /** The highest promoted version: the one serving at the end. */
  serving: boolean;
  createdAt: number;
  reason: string;
  request: {
    requestId: string;
    reason: RetrainRequest['reason'];
    requestedAt: number;
    /** The alert that caused the request, readable; null when none (or it is not on the topic). */
    alert: string | null;
  } | null;
  holdout: {
    trainRows: number;
    holdoutRows: number;
    challenger: Record<string, number>;
    champion: Record<string, number> | null;
  };
  trainingWindow: { fromTs: number; toTs: number };
  /** What it served in the report's range; null when it served nothing there. */
  served: { from: number; to: number; predictions: number; accuracy: number } | null;
}

/** An alert, as the alerts table shows it. */
export interface AlertRow {
  alertId: string;
  observedAt: number;
  modelVersion: number;
  kind: DriftAlert['kind'];
  detector: string;
  feature: string | null;
  severity: DriftAlert['severity'];
  statistic: number;
  threshold: number;
  windowStart: number;
  windowEnd: number;
  /** What changed and by how much, in words. */
  text: string;
  /** What it led to: the retrain it requested and that retrain's outcome; null when none. */
  outcome: string | null;
}

/**
 * A model's story over a time range, as `driftwatch report --json` writes it and the HTML page
 * draws it: performance over time, markers, data drift, versions and alerts.
 */
export interface ModelReport {
  format: typeof modelReportFormat;
  model: string;
  generatedAt: number;
  /** The range asked for, in event time; null: open. */
  range: { from: number | null; to: number | null };
  /**
   * The time axis: from the earliest to the latest of the labeled predictions' event times and the
   * markers (an alert about the last events is observed after them).
   */
  extent: { from: number; to: number };
  settings: { window: number; maxPoints: number; maxColumns: number; movedFeatures: number };
  totals: {
    predictions: number;
    alerts: number;
    retrainRequests: number;
    versions: number;
    /** Accuracy of what was served over the whole range. */
    accuracy: number;
    /** The never-retrained model's accuracy on the same events; null when not known. */
    neverRetrainedAccuracy: number | null;
  };
  performance: PerformanceSeries[];
  markers: ReportMarker[];
  dataDrift: DataDrift;
  versions: VersionNode[];
  alerts: AlertRow[];
  /** Where the records came from, for the page's footer. */
  source: string;
  /** Things a reader should know: what is missing and why. */
  notes: string[];
}
