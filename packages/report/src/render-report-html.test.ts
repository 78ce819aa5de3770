import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadChartLibrary, type ChartLibrary } from './chart-library.js';
import { computeModelReport } from './compute-model-report.js';
import type { ModelReport } from './model-report.js';
import { renderReportHtml } from './render-report-html.js';
import { syntheticReportInput } from './testing/synthetic-report-input.js';

const stubLibrary: ChartLibrary = {
  name: 'stub',
  version: '0',
  license: 'MIT',
  script: 'window.uPlot = function () {};',
  css: '.uplot {}',
};

/** The report JSON the page embeds, parsed back. */
function embedded(html: string): unknown {
  const match = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html);
  assert.ok(match, 'no #report-data');
  return JSON.parse(match[1]!);
}

function smallReport(): ModelReport {
  return computeModelReport(
    syntheticReportInput({ count: 3000, conceptDrifts: [1000], dataDriftAt: 2000 }),
    { window: 200 },
  );
}

describe('renderReportHtml', () => {
  it('is one page holding every panel, the report as JSON, and the chart library inline', () => {
    const report = smallReport();
    const html = renderReportHtml(report, stubLibrary);
    for (const id of ['performance', 'data-drift', 'versions', 'alerts']) {
      assert.match(html, new RegExp(`<section id="${id}">`));
    }
    for (const chart of ['chart-accuracy', 'chart-f1', 'chart-rocAuc']) {
      assert.match(html, new RegExp(`<div id="${chart}">`));
    }
    assert.deepEqual(embedded(html), report);
    assert.ok(html.includes(stubLibrary.script));
    assert.equal(
      (html.match(/<rect class="cell"/g) ?? []).length,
      report.dataDrift.columns.length * report.dataDrift.rows.length,
    );
    assert.equal((html.match(/<tr class="alert-row/g) ?? []).length, report.alerts.length);
    assert.equal((html.match(/<div class="card"/g) ?? []).length, report.versions.length);
  });

  it('loads nothing from anywhere: no external script, style, image or font', () => {
    const html = renderReportHtml(smallReport(), stubLibrary);
    assert.doesNotMatch(html, /\b(?:src|href)=/);
    assert.doesNotMatch(html, /@import|url\((?!#)/);
  });

  it('escapes what topics hold: a hostile feature name or reason stays text', () => {
    const input = syntheticReportInput({ count: 600 });
    const hostile = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';
    const version = input.versions[0]!;
    const report = computeModelReport(
      {
        ...input,
        versions: [
          {
            ...version,
            reason: hostile,
            reference: {
              ...version.reference,
              features: version.reference.features.map((f, i) =>
                i === 0 ? { ...f, name: hostile } : f,
              ),
            },
          },
        ],
        predictions: input.predictions.map((p) => ({
          ...p,
          features: { ...p.features, [hostile]: p.features['x1']! },
        })),
      },
      { window: 100 },
    );
    const html = renderReportHtml(report, stubLibrary);
    assert.ok(!html.includes('<img src=x'));
    assert.ok(!html.includes('<script>alert(2)'));
    assert.deepEqual(embedded(html), report);
  });

  it('stays under 512 KiB for 50,000 events: every series and the heat map are bounded', async () => {
    const count = 50_000;
    const report = computeModelReport(
      syntheticReportInput({
        count,
        conceptDrifts: [12_500, 25_000, 37_500],
        dataDriftAt: 30_000,
        detectionDelay: 1250,
        trainingDelay: 600,
      }),
    );
    const html = renderReportHtml(report, await loadChartLibrary());
    const bytes = Buffer.byteLength(html);
    assert.ok(bytes < 512 * 1024, `${bytes} bytes`);
    for (const series of report.performance) assert.ok(series.ts.length <= 400, series.label);
    assert.ok(report.dataDrift.columns.length <= 100 + report.versions.length);
  });
});
