import { escapeHtml } from './escape-html.js';
import type { MovedFeature } from './model-report.js';
import { versionColor } from './report-colors.js';

const width = 420;
const height = 190;
const left = 40;
const right = 8;
const top = 10;
const bottom = 40;

/** A bin edge, short: `0.25`, `1.2e+4`. */
function edge(value: number): string {
  return Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3)
    ? value.toExponential(1)
    : String(Number(value.toPrecision(3)));
}

/**
 * One moved feature's reference distribution (grey) next to the current one (the serving
 * version's colour), bin by bin, as inline SVG bars. The first and last bins are open-ended, as
 * the detector counts them, so they are labelled `< e₁` and `≥ eₙ₋₁`.
 */
export function distributionSvg(moved: MovedFeature): string {
  const bins = moved.reference.length;
  const tallest = Math.max(...moved.reference, ...moved.current, 0.01);
  const plotHeight = height - top - bottom;
  const slot = (width - left - right) / bins;
  const bar = Math.max((slot - 4) / 2, 1);
  const y = (share: number): number => top + plotHeight - (share / tallest) * plotHeight;
  const parts: string[] = [];
  for (const share of [0, tallest / 2, tallest]) {
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(share).toFixed(1)}" y2="${y(share).toFixed(1)}" stroke="#e5e7eb"/><text class="tick" x="${left - 4}" y="${(y(share) + 4).toFixed(1)}" text-anchor="end">${Math.round(share * 100)}%</text>`,
    );
  }
  for (let bin = 0; bin < bins; bin++) {
    const x0 = left + bin * slot + 2;
    const reference = moved.reference[bin] ?? 0;
    const current = moved.current[bin] ?? 0;
    const range =
      bin === 0
        ? `< ${edge(moved.edges[1] ?? 0)}`
        : bin === bins - 1
          ? `≥ ${edge(moved.edges[bin] ?? 0)}`
          : `${edge(moved.edges[bin] ?? 0)} – ${edge(moved.edges[bin + 1] ?? 0)}`;
    parts.push(
      `<rect class="bar reference" x="${x0.toFixed(1)}" y="${y(reference).toFixed(1)}" width="${bar.toFixed(1)}" height="${(top + plotHeight - y(reference)).toFixed(1)}" fill="#9ca3af"><title>${escapeHtml(`${range}: reference ${(reference * 100).toFixed(1)}%`)}</title></rect>`,
      `<rect class="bar current" x="${(x0 + bar).toFixed(1)}" y="${y(current).toFixed(1)}" width="${bar.toFixed(1)}" height="${(top + plotHeight - y(current)).toFixed(1)}" fill="${versionColor(moved.version)}"><title>${escapeHtml(`${range}: current ${(current * 100).toFixed(1)}%`)}</title></rect>`,
    );
    // Every bin's range when they fit; else every other one.
    if (bins <= 8 || bin % 2 === 0) {
      parts.push(
        `<text class="tick" x="${(x0 + bar).toFixed(1)}" y="${height - bottom + 14}" text-anchor="middle">${escapeHtml(range)}</text>`,
      );
    }
  }
  parts.push(
    `<rect x="${left}" y="${height - 16}" width="10" height="10" fill="#9ca3af"/><text class="tick" x="${left + 14}" y="${height - 7}">reference (training data of v${moved.version})</text>`,
    `<rect x="${left + 230}" y="${height - 16}" width="10" height="10" fill="${versionColor(moved.version)}"/><text class="tick" x="${left + 244}" y="${height - 7}">current</text>`,
  );
  return `<svg class="distribution" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`${moved.label}: reference vs current`)}">${parts.join('')}</svg>`;
}
