import { escapeHtml } from './escape-html.js';
import type { ModelReport } from './model-report.js';
import { markerStyles, psiColor, versionColor } from './report-colors.js';
import { timeTicks } from './time-ticks.js';
import { utcTime } from './utc-time.js';

const width = 1000;
const left = 120;
const right = 16;
const top = 8;
const rowHeight = 24;
const axisHeight = 26;

/**
 * The data-drift heat map as inline SVG: one row per feature (and the score), one cell per column
 * of predictions coloured by its PSI, drawn at the columns' event times on the report's time axis;
 * thin lines where a version takes over, and a ring on the row of each data alert. Every cell has
 * a tooltip with its numbers. Drawn here rather than in the page so it needs no script at all.
 */
export function heatMapSvg(report: ModelReport): string {
  const { rows, columns } = report.dataDrift;
  const { from, to } = report.extent;
  const span = Math.max(to - from, 1);
  const x = (ts: number): number => left + ((ts - from) / span) * (width - left - right);
  const height = top + rows.length * rowHeight + axisHeight;
  const parts: string[] = [];
  rows.forEach((row, r) => {
    const y = top + r * rowHeight;
    parts.push(
      `<text class="row-label" x="${left - 8}" y="${y + rowHeight / 2 + 4}" text-anchor="end">${escapeHtml(row.label)}</text>`,
    );
  });
  for (const column of columns) {
    // A column spans its first to last event; at least a sliver, so a short one is still seen.
    const x0 = x(column.from);
    const cellWidth = Math.max(x(column.to) - x0, 1.5);
    column.psi.forEach((psi, r) => {
      const y = top + r * rowHeight;
      const label = rows[r]?.label ?? '';
      const tip = `${label}, v${column.version}, ${utcTime(column.from)} → ${utcTime(column.to)}, ${column.predictions} predictions: ${psi === null ? 'no reference' : `PSI ${psi}`}`;
      parts.push(
        `<rect class="cell" x="${x0.toFixed(1)}" y="${y + 1}" width="${cellWidth.toFixed(1)}" height="${rowHeight - 2}" fill="${psi === null ? '#e5e7eb' : psiColor(psi)}" data-psi="${psi ?? ''}"><title>${escapeHtml(tip)}</title></rect>`,
      );
    });
  }
  const bottom = top + rows.length * rowHeight;
  for (const marker of report.markers) {
    if (marker.kind === 'takeover') {
      const mx = x(marker.ts).toFixed(1);
      parts.push(
        `<line x1="${mx}" x2="${mx}" y1="${top}" y2="${bottom}" stroke="${versionColor(Number(marker.ref))}" stroke-width="2"><title>${escapeHtml(marker.label)}</title></line>`,
      );
    }
    if (marker.kind === 'data-alert') {
      const r = rows.findIndex((row) => row.feature === (marker.feature ?? null));
      if (r < 0) continue;
      parts.push(
        `<circle class="alert-ring" cx="${x(marker.ts).toFixed(1)}" cy="${top + r * rowHeight + rowHeight / 2}" r="6" fill="none" stroke="${markerStyles['data-alert'].color}" stroke-width="2"><title>${escapeHtml(`${marker.label} at ${utcTime(marker.ts)}`)}</title></circle>`,
      );
    }
  }
  for (const tick of timeTicks(from, to, 8)) {
    const tx = x(tick.ts).toFixed(1);
    parts.push(
      `<line x1="${tx}" x2="${tx}" y1="${bottom}" y2="${bottom + 5}" stroke="#6b7280"/><text class="tick" x="${tx}" y="${bottom + 18}" text-anchor="middle">${tick.label}</text>`,
    );
  }
  return `<svg class="heat-map" viewBox="0 0 ${width} ${height}" role="img" aria-label="PSI per feature over time">${parts.join('')}</svg>`;
}

/** The heat map's colour scale, as a small SVG legend. */
export function psiLegendSvg(alertThreshold: number | null): string {
  const stops = [0, 0.05, 0.1, 0.175, 0.25, 0.375, 0.5, 0.75, 1];
  const gradient = stops
    .map((psi) => `<stop offset="${psi * 100}%" stop-color="${psiColor(psi)}"/>`)
    .join('');
  const at = (psi: number): number => 10 + psi * 240;
  const labels = [0, 0.1, 0.25, 0.5, 1]
    .map(
      (psi) =>
        `<text class="tick" x="${at(psi)}" y="34" text-anchor="middle">${psi === 1 ? '≥ 1' : psi}</text>`,
    )
    .join('');
  const threshold =
    alertThreshold !== null && alertThreshold <= 1
      ? `<line x1="${at(alertThreshold)}" x2="${at(alertThreshold)}" y1="-2" y2="22" stroke="${markerStyles['data-alert'].color}" stroke-width="2"/><text class="tick" x="${at(alertThreshold) + 4}" y="2">alert at ${alertThreshold}</text>`
      : '';
  return `<svg class="psi-legend" viewBox="0 -6 300 46" role="img" aria-label="PSI colour scale"><defs><linearGradient id="psi-gradient">${gradient}</linearGradient></defs><rect x="10" y="8" width="240" height="12" fill="url(#psi-gradient)" stroke="#d1d5db"/>${threshold}${labels}</svg>`;
}
