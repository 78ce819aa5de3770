import type { ReportMarkerKind } from './model-report.js';

/**
 * Version colours, in order: none is the red, purple or brown of an alert marker, nor the grey of
 * the never-retrained line, so a takeover line never reads as an alert.
 */
const versionPalette = [
  '#1f77b4',
  '#2ca02c',
  '#e69f00',
  '#17becf',
  '#e377c2',
  '#bcbd22',
  '#0b3d91',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
];

/**
 * The colour a version has everywhere in the report: its line, its takeover marker, its lineage
 * badge, its heat-map columns' outline.
 *
 * @example
 * ```ts
 * versionColor(1); // => "#1f77b4"
 * versionColor(11); // => "#1f77b4"
 * ```
 */
export function versionColor(version: number): string {
  return (
    versionPalette[
      (((version - 1) % versionPalette.length) + versionPalette.length) % versionPalette.length
    ] ?? '#1f77b4'
  );
}

export const neverRetrainedColor = '#6b7280';
export const servedColor = '#111827';

/** How each marker kind is drawn: its colour, and a dash pattern (empty: solid). */
export const markerStyles: Record<
  ReportMarkerKind,
  { color: string; dash: number[]; legend: string }
> = {
  'concept-alert': { color: '#d62728', dash: [], legend: 'concept alert' },
  'performance-alert': { color: '#8c564b', dash: [], legend: 'performance alert' },
  'data-alert': { color: '#9467bd', dash: [], legend: 'data alert' },
  'retrain-requested': { color: '#9ca3af', dash: [2, 3], legend: 'retrain requested' },
  takeover: { color: 'version', dash: [], legend: 'version takes over' },
  'known-drift': { color: '#111827', dash: [6, 4], legend: 'known drift' },
};

/** PSI → colour: pale under 0.1 (no change), amber to 0.25 (moderate), red above (significant). */
const psiStops: readonly [number, [number, number, number]][] = [
  [0, [248, 250, 252]],
  [0.1, [253, 230, 138]],
  [0.25, [245, 158, 11]],
  [0.5, [185, 28, 28]],
  [1, [69, 10, 10]],
];

/**
 * The heat map's colour of a PSI value, interpolated between the usual reading bands.
 *
 * @example
 * ```ts
 * psiColor(0); // => "rgb(248,250,252)"
 * psiColor(0.25); // => "rgb(245,158,11)"
 * psiColor(7); // => "rgb(69,10,10)"
 * ```
 */
export function psiColor(psi: number): string {
  let lower = psiStops[0];
  for (const stop of psiStops) {
    const [at, rgb] = stop;
    if (lower && psi <= at) {
      const [from, low] = lower;
      const t = at === from ? 0 : (psi - from) / (at - from);
      const mixed = rgb.map((channel, i) =>
        Math.round((low[i] ?? 0) + (channel - (low[i] ?? 0)) * t),
      );
      return `rgb(${mixed.join(',')})`;
    }
    lower = stop;
  }
  return `rgb(${(psiStops[psiStops.length - 1]?.[1] ?? [0, 0, 0]).join(',')})`;
}
