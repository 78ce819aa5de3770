import type { DriftAlert, LabeledPrediction, RetrainRequest } from '@driftwatch/topics';

import { alertText } from './alert-text.js';
import type { VersionNode } from './model-report.js';
import type { ReportVersion } from './report-input.js';
import { rounded } from './rounded.js';

/**
 * Every version of the model, oldest first, with what the lineage shows about it: its parent,
 * why it was trained (its retrain request and the alert behind it), its holdout metrics against
 * the champion, whether it was promoted, and what it served among `predictions`.
 */
export function versionNodes(
  versions: readonly ReportVersion[],
  requests: readonly RetrainRequest[],
  alerts: readonly DriftAlert[],
  predictions: readonly LabeledPrediction[],
): VersionNode[] {
  const requestById = new Map(requests.map((request) => [request.requestId, request]));
  const alertById = new Map(alerts.map((alert) => [alert.alertId, alert]));
  const served = new Map<
    number,
    { from: number; to: number; predictions: number; correct: number }
  >();
  for (const prediction of predictions) {
    const entry = served.get(prediction.modelVersion);
    const correct = prediction.label === prediction.predicted ? 1 : 0;
    if (entry) {
      entry.from = Math.min(entry.from, prediction.ts);
      entry.to = Math.max(entry.to, prediction.ts);
      entry.predictions++;
      entry.correct += correct;
    } else {
      served.set(prediction.modelVersion, {
        from: prediction.ts,
        to: prediction.ts,
        predictions: 1,
        correct,
      });
    }
  }
  const promoted = versions.filter((version) => version.status === 'promoted');
  const serving = Math.max(...promoted.map((version) => version.version));
  return [...versions]
    .sort((a, b) => a.version - b.version)
    .map((version) => {
      const request = version.requestId === null ? undefined : requestById.get(version.requestId);
      const alert = request?.alertId ? alertById.get(request.alertId) : undefined;
      const use = served.get(version.version);
      return {
        version: version.version,
        parentVersion: version.parentVersion,
        status: version.status,
        serving: version.version === serving,
        createdAt: version.createdAt,
        reason: version.reason,
        request: request
          ? {
              requestId: request.requestId,
              reason: request.reason,
              requestedAt: request.requestedAt,
              alert: alert
                ? `${alert.kind}/${alert.detector}${alert.feature === null ? '' : ` on ${alert.feature}`}: ${alertText(alert)}`
                : null,
            }
          : null,
        holdout: {
          trainRows: version.trainingWindow.trainRows,
          holdoutRows: version.trainingWindow.holdoutRows,
          challenger: version.metrics.challenger,
          champion: version.metrics.champion,
        },
        trainingWindow: {
          fromTs: version.trainingWindow.fromTs,
          toTs: version.trainingWindow.toTs,
        },
        served: use
          ? {
              from: use.from,
              to: use.to,
              predictions: use.predictions,
              accuracy: rounded(use.correct / use.predictions) ?? 0,
            }
          : null,
      };
    });
}
