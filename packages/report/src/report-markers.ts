import type { DriftAlert, LabeledPrediction, RetrainRequest } from '@driftwatch/topics';

import type { ReportMarker, ReportMarkerKind } from './model-report.js';

const alertMarker: Record<DriftAlert['kind'], ReportMarkerKind> = {
  concept: 'concept-alert',
  data: 'data-alert',
  performance: 'performance-alert',
};

/**
 * The moments the time charts mark, oldest first: each alert when the detector raised it, each
 * retrain request, each version taking over (the event time of the first prediction it served,
 * except the version already serving when the range starts), and known drifts at the event time
 * of the event where each starts. `unplaced` lists known drifts whose event is not among the
 * predictions (its label never arrived, or it lies outside the range).
 *
 * `predictions` must be in event-time order.
 */
export function reportMarkers(input: {
  predictions: readonly LabeledPrediction[];
  alerts: readonly DriftAlert[];
  requests: readonly RetrainRequest[];
  knownDrifts: readonly { id: string; label: string }[];
}): { markers: ReportMarker[]; unplaced: string[] } {
  const markers: ReportMarker[] = input.alerts.map((alert) => ({
    kind: alertMarker[alert.kind],
    ts: alert.observedAt,
    label: `${alert.kind}/${alert.detector}${alert.feature === null ? '' : ` ${alert.feature}`} on v${alert.modelVersion}`,
    ref: alert.alertId,
    ...(alert.kind === 'data' ? { feature: alert.feature } : {}),
  }));
  for (const request of input.requests) {
    markers.push({
      kind: 'retrain-requested',
      ts: request.requestedAt,
      label: `retrain requested (${request.reason})`,
      ref: request.requestId,
    });
  }
  const first = input.predictions[0]?.modelVersion;
  const started = new Set<number>(first === undefined ? [] : [first]);
  const eventTime = new Map<string, number>();
  for (const prediction of input.predictions) {
    if (!eventTime.has(prediction.id)) eventTime.set(prediction.id, prediction.ts);
    if (started.has(prediction.modelVersion)) continue;
    started.add(prediction.modelVersion);
    markers.push({
      kind: 'takeover',
      ts: prediction.ts,
      label: `v${prediction.modelVersion} takes over`,
      ref: String(prediction.modelVersion),
    });
  }
  const unplaced: string[] = [];
  for (const drift of input.knownDrifts) {
    const ts = eventTime.get(drift.id);
    if (ts === undefined) unplaced.push(drift.label);
    else markers.push({ kind: 'known-drift', ts, label: drift.label, ref: drift.id });
  }
  return { markers: markers.sort((a, b) => a.ts - b.ts), unplaced };
}
