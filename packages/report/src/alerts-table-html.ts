import { escapeHtml } from './escape-html.js';
import type { AlertRow } from './model-report.js';
import { markerStyles } from './report-colors.js';
import { utcTime } from './utc-time.js';

const kindStyle = {
  concept: markerStyles['concept-alert'].color,
  data: markerStyles['data-alert'].color,
  performance: markerStyles['performance-alert'].color,
};

/** Every alert in range as a table: when, on which version, what changed, what it led to. */
export function alertsTableHtml(alerts: readonly AlertRow[]): string {
  if (alerts.length === 0) return '<p class="muted">No alerts in this range.</p>';
  const rows = alerts
    .map(
      (alert) =>
        `<tr class="alert-row ${alert.severity}"><td>${utcTime(alert.observedAt)}</td><td>v${alert.modelVersion}</td><td><span class="dot" style="background:${kindStyle[alert.kind]}"></span>${escapeHtml(`${alert.kind}/${alert.detector}`)}</td><td>${escapeHtml(alert.feature ?? '—')}</td><td>${escapeHtml(alert.text)}</td><td>${alert.severity}</td><td>${escapeHtml(alert.outcome ?? '—')}</td></tr>`,
    )
    .join('');
  return `<table class="alerts"><thead><tr><th>observed (UTC)</th><th>version</th><th>kind / detector</th><th>feature</th><th>what changed</th><th>severity</th><th>led to</th></tr></thead><tbody>${rows}</tbody></table>`;
}
