export { alertText } from './alert-text.js';
export { loadChartLibrary, type ChartLibrary } from './chart-library.js';
export { byEventTime, computeModelReport } from './compute-model-report.js';
export { ReportError, type ReportErrorCode } from './errors.js';
export { escapeHtml } from './escape-html.js';
export {
  modelReportFormat,
  type AlertRow,
  type DataDrift,
  type DriftColumn,
  type DriftRow,
  type ModelReport,
  type MovedFeature,
  type PerformanceMetric,
  type PerformanceSeries,
  type ReportMarker,
  type ReportMarkerKind,
  type VersionNode,
} from './model-report.js';
export { psiColor, versionColor } from './report-colors.js';
export {
  type NeverRetrainedPrediction,
  type ReportInput,
  type ReportOptions,
  type ReportVersion,
} from './report-input.js';
export { renderReportHtml } from './render-report-html.js';
export { rounded } from './rounded.js';
export { slidingPerformance, type ScoredOutcome } from './sliding-performance.js';
export {
  syntheticReportInput,
  type SyntheticStreamOptions,
} from './testing/synthetic-report-input.js';
export { timeTicks } from './time-ticks.js';
export { utcTime } from './utc-time.js';
export { windowEnds } from './window-ends.js';
