import { alertsTableHtml } from './alerts-table-html.js';
import type { ChartLibrary } from './chart-library.js';
import { distributionSvg } from './distribution-svg.js';
import { escapeHtml } from './escape-html.js';
import { heatMapSvg, psiLegendSvg } from './heat-map-svg.js';
import { lineageHtml } from './lineage-html.js';
import type { ModelReport, ReportMarkerKind } from './model-report.js';
import { pageScript } from './page-script.js';
import { pageStyle } from './page-style.js';
import { markerStyles, neverRetrainedColor, servedColor, versionColor } from './report-colors.js';
import { utcTime } from './utc-time.js';

/** JSON inside a <script> element: `<` escaped so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Inline code: a `</script` inside one of its strings would end the element early. */
function inlineScript(code: string): string {
  return code.replace(/<\/script/gi, '<\\/script');
}

const count = (value: number): string => value.toLocaleString('en-US');
const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

function kpis(report: ModelReport): string {
  const { totals } = report;
  const promoted = report.versions.filter((v) => v.status === 'promoted').length;
  const cells: [string, string][] = [
    [percent(totals.accuracy), 'accuracy of what was served'],
    ...(totals.neverRetrainedAccuracy === null
      ? []
      : [
          [percent(totals.neverRetrainedAccuracy), 'never retrained, same events'] as [
            string,
            string,
          ],
        ]),
    [count(totals.predictions), 'labeled predictions'],
    [`${totals.versions}`, `versions (${promoted} promoted)`],
    [`${totals.alerts}`, 'alerts'],
    [`${totals.retrainRequests}`, 'retrains requested'],
  ];
  return `<div class="kpis">${cells.map(([value, what]) => `<div class="kpi"><b>${value}</b><span>${what}</span></div>`).join('')}</div>`;
}

function markerLegend(report: ModelReport): string {
  const present = new Set(report.markers.map((m) => m.kind));
  const kinds = (Object.keys(markerStyles) as ReportMarkerKind[]).filter((kind) =>
    present.has(kind),
  );
  if (kinds.length === 0) return '';
  return `<div class="marker-legend">${kinds
    .map((kind) => {
      const style = markerStyles[kind];
      const color = style.color === 'version' ? '#374151' : style.color;
      const line = style.dash.length === 0 ? '' : (style.dash[0] ?? 0) > 3 ? 'dashed' : 'dotted';
      return `<span><i class="${line}" style="border-color:${color}"></i>${style.legend}</span>`;
    })
    .join('')}</div>`;
}

function performanceSection(report: ModelReport): string {
  const neverRetrained = report.performance.find((s) => s.of.kind === 'never-retrained');
  const estimated = report.performance.some((s) => s.basis === 'estimated');
  return `<section id="performance"><h2>Performance over time</h2>
<p class="explain">Each point is a metric over the last ${count(report.settings.window)} labeled predictions of its line (fewer while a line starts), at the event time of the newest (UTC). One line per version that served${neverRetrained ? `; dashed grey: ${escapeHtml(neverRetrained.label)}, the first model scored on the same events, as if nothing had been retrained` : ''}; “served (all versions)” is off until you click it in the legend, which stands for all three charts.${estimated ? '' : ' Realized performance only: nothing on the topics estimates performance before labels arrive.'}</p>
${markerLegend(report)}
<div class="chart"><h3>Accuracy</h3><div id="chart-accuracy"></div></div>
<div class="chart"><h3>F1 (positive class 1)</h3><div id="chart-f1"></div></div>
<div class="chart"><h3>ROC-AUC</h3><div id="chart-rocAuc"></div></div>
</section>`;
}

function dataDriftSection(report: ModelReport): string {
  const { dataDrift } = report;
  if (dataDrift.rows.length === 0) {
    return `<section id="data-drift"><h2>Data drift</h2><p class="muted">No version that served carries a reference profile: nothing to compare the inputs with.</p></section>`;
  }
  const widest = Math.max(...dataDrift.columns.map((c) => c.predictions));
  const figures = dataDrift.moved
    .map(
      (moved) =>
        `<figure><figcaption><b>${escapeHtml(moved.label)}</b>: PSI ${moved.psi} on v${moved.version}, ${utcTime(moved.from)} → ${utcTime(moved.to)} (${count(moved.predictions)} predictions)</figcaption>${distributionSvg(moved)}</figure>`,
    )
    .join('');
  return `<section id="data-drift"><h2>Data drift</h2>
<p class="explain">PSI of each feature against the training data (reference profile) of the version that served, per column of up to ${count(widest)} consecutive predictions of one version. Under 0.1: no real change; 0.1–0.25: moderate; above 0.25: significant. Rings mark data alerts; coloured lines, versions taking over. Hover a cell for its numbers.</p>
${heatMapSvg(report)}
${psiLegendSvg(dataDrift.alertThreshold)}
${figures ? `<h3>Reference vs current: the features that moved most, where they moved most</h3><div class="distributions">${figures}</div>` : ''}
</section>`;
}

/**
 * The report as one self-contained HTML page: header and headline numbers, performance charts
 * (drawn in the page by the inlined chart library from the embedded report JSON), the data-drift
 * heat map and distributions, the lineage and the alerts table (static HTML and SVG). Opens from a
 * file with no network; the same JSON is in the page for other tools (`#report-data`).
 */
export function renderReportHtml(report: ModelReport, chartLibrary: ChartLibrary): string {
  const versions = [
    ...new Set(report.performance.flatMap((s) => ('version' in s.of ? [s.of.version] : []))),
  ];
  for (const node of report.versions) versions.push(node.version);
  const view = {
    versionColors: Object.fromEntries(versions.map((v) => [v, versionColor(v)])),
    neverRetrainedColor,
    servedColor,
    markers: markerStyles,
  };
  const notes =
    report.notes.length === 0
      ? ''
      : `<section id="notes"><h2>Notes</h2><ul class="notes">${report.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul></section>`;
  const range = `${utcTime(report.extent.from)} → ${utcTime(report.extent.to)} UTC`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.model)} — driftwatch report</title>
<style>${chartLibrary.css}</style>
<style>${pageStyle}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(report.model)}: the model over time</h1>
<p>${count(report.totals.predictions)} labeled predictions, ${range} · generated ${utcTime(report.generatedAt)} UTC</p>
${kpis(report)}</header>
<div id="render-error" hidden></div>
${performanceSection(report)}
${dataDriftSection(report)}
<section id="versions"><h2>Versions</h2><p class="explain">Each version under the one it was trained to replace: why it was trained, its holdout metrics against the champion of the day, and what it served here.</p>${lineageHtml(report.versions)}</section>
<section id="alerts"><h2>Alerts</h2>${alertsTableHtml(report.alerts)}</section>
${notes}
<footer>${escapeHtml(report.source)} · ${escapeHtml(report.format)} · charts: ${escapeHtml(`${chartLibrary.name} ${chartLibrary.version} (${chartLibrary.license})`)}, inlined</footer>
</main>
<script type="application/json" id="report-data">${scriptJson(report)}</script>
<script type="application/json" id="report-view">${scriptJson(view)}</script>
<script>${inlineScript(chartLibrary.script)}</script>
<script>${inlineScript(pageScript)}</script>
</body>
</html>
`;
}
