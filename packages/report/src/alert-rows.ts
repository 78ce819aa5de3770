import type { DriftAlert, RetrainRequest } from '@driftwatch/topics';

import { alertText } from './alert-text.js';
import type { AlertRow } from './model-report.js';
import type { ReportVersion } from './report-input.js';

/**
 * The alerts table: each alert, oldest first, in words, with what it led to — the retrain it
 * requested (the detector names the alert in the request) and the version that retrain produced.
 */
export function alertRows(
  alerts: readonly DriftAlert[],
  requests: readonly RetrainRequest[],
  versions: readonly ReportVersion[],
): AlertRow[] {
  return [...alerts]
    .sort((a, b) => a.observedAt - b.observedAt || a.alertId.localeCompare(b.alertId))
    .map((alert) => {
      const request = requests.find((r) => r.alertId === alert.alertId);
      const version = request && versions.find((v) => v.requestId === request.requestId);
      const outcome = !request
        ? null
        : version
          ? `retrain (${request.reason}) → v${version.version} ${version.status}`
          : `retrain (${request.reason}) requested, no version yet`;
      return {
        alertId: alert.alertId,
        observedAt: alert.observedAt,
        modelVersion: alert.modelVersion,
        kind: alert.kind,
        detector: alert.detector,
        feature: alert.feature,
        severity: alert.severity,
        statistic: alert.statistic,
        threshold: alert.threshold,
        windowStart: alert.windowStart,
        windowEnd: alert.windowEnd,
        text: alertText(alert),
        outcome,
      };
    });
}
