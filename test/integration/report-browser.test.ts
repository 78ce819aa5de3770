/**
 * Issue "A report people look at": the page renders in a real browser — Debian's headless
 * chromium, installed by the test's support when missing — opened from a file with networking
 * off: no script errors, no request leaves the page, every chart drawn and non-empty; and a report
 * on 50,000 events renders within the timeout and stays under 512 KiB. Screenshots are kept under
 * test-artifacts/report/ for a person to look at.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

import {
  computeModelReport,
  loadChartLibrary,
  renderReportHtml,
  syntheticReportInput,
  type ModelReport,
} from '@driftwatch/report';

import { ensureChromium, openOffline } from '../support/headless-chromium.js';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts', 'report');
/** Every series and the heat map are bounded, so the page does not grow with events: see README. */
const maxReportBytes = 512 * 1024;

/** What the test reads off the rendered page. */
interface PageChecks {
  charts: { id: string; canvases: number; width: number; height: number; inked: number }[];
  legendEntries: number;
  heatMapCells: number;
  colouredCells: number;
  distributionBars: number;
  versionCards: number;
  alertRows: number;
}

const ready =
  "document.body.dataset.rendered === 'true' || document.body.dataset.renderError !== undefined";

/** In the page: each chart's canvas, and how many of its pixels uPlot inked. */
const inspect = `(() => {
  const charts = ['chart-accuracy', 'chart-f1', 'chart-rocAuc'].map((id) => {
    const canvases = document.querySelectorAll('#' + id + ' canvas');
    const canvas = canvases[0];
    let inked = 0;
    if (canvas && canvas.width > 0 && canvas.height > 0) {
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
    }
    return { id, canvases: canvases.length, width: canvas ? canvas.width : 0, height: canvas ? canvas.height : 0, inked };
  });
  const cells = [...document.querySelectorAll('svg.heat-map rect.cell')];
  return {
    charts,
    legendEntries: document.querySelectorAll('#chart-accuracy .u-legend .u-series').length,
    heatMapCells: cells.length,
    colouredCells: cells.filter((cell) => cell.getAttribute('fill') !== 'rgb(248,250,252)').length,
    distributionBars: document.querySelectorAll('svg.distribution rect.bar').length,
    versionCards: document.querySelectorAll('#versions .card').length,
    alertRows: document.querySelectorAll('#alerts tr.alert-row').length,
  };
})()`;

async function writePage(name: string, report: ModelReport): Promise<string> {
  await mkdir(artifacts, { recursive: true });
  const file = join(artifacts, `${name}.html`);
  await writeFile(file, renderReportHtml(report, await loadChartLibrary()));
  return file;
}

function assertRendered(report: ModelReport, checks: PageChecks): void {
  for (const chart of checks.charts) {
    assert.equal(chart.canvases, 1, chart.id);
    assert.ok(
      chart.width > 300 && chart.height > 100,
      `${chart.id} is ${chart.width}×${chart.height}`,
    );
    // Lines, markers and axes' grid: well beyond an empty plot, a handful of pixels.
    assert.ok(
      chart.inked > (chart.width * chart.height) / 100,
      `${chart.id}: ${chart.inked} inked pixels`,
    );
  }
  // The time column, then one entry per performance line.
  assert.equal(checks.legendEntries, report.performance.length + 1);
  assert.equal(checks.heatMapCells, report.dataDrift.columns.length * report.dataDrift.rows.length);
  assert.ok(checks.colouredCells > 0);
  const bins = report.dataDrift.moved.reduce((sum, moved) => sum + moved.reference.length, 0);
  assert.equal(checks.distributionBars, 2 * bins);
  assert.equal(checks.versionCards, report.versions.length);
  assert.equal(checks.alertRows, report.alerts.length);
}

describe('the report page in headless chromium, offline', { timeout: 600_000 }, () => {
  let chromium: { path: string } | { unavailable: string };

  before(async () => {
    chromium = await ensureChromium();
    if ('unavailable' in chromium) console.log(`skipping browser tests: ${chromium.unavailable}`);
  });

  it('draws every chart without a script error or a request leaving the page', async (t) => {
    if ('unavailable' in chromium) {
      t.skip(chromium.unavailable);
      return;
    }
    const report = computeModelReport(
      syntheticReportInput({
        count: 20_000,
        conceptDrifts: [5000, 10_000, 15_000],
        dataDriftAt: 12_000,
        detectionDelay: 500,
        trainingDelay: 250,
      }),
    );
    const file = await writePage('synthetic-20k', report);
    const page = await openOffline<PageChecks>({
      chromium: chromium.path,
      file,
      screenshot: join(artifacts, 'synthetic-20k.png'),
      ready,
      inspect,
      timeoutMs: 120_000,
    });
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.requests, []);
    assertRendered(report, page.checks);
  });

  it('renders a report on 50,000 events within the timeout, in under 512 KiB', async (t) => {
    if ('unavailable' in chromium) {
      t.skip(chromium.unavailable);
      return;
    }
    const count = 50_000;
    const report = computeModelReport(
      syntheticReportInput({
        count,
        seed: 50,
        conceptDrifts: [12_500, 25_000, 37_500],
        dataDriftAt: 30_000,
        detectionDelay: 1250,
        trainingDelay: 600,
      }),
    );
    assert.equal(report.totals.predictions, count);
    const file = await writePage('synthetic-50k', report);
    const bytes = statSync(file).size;
    assert.ok(bytes < maxReportBytes, `${bytes} bytes`);
    const page = await openOffline<PageChecks>({
      chromium: chromium.path,
      file,
      screenshot: join(artifacts, 'synthetic-50k.png'),
      ready,
      inspect,
      timeoutMs: 120_000,
    });
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.requests, []);
    assertRendered(report, page.checks);
    console.log(`50,000-event report: ${bytes} bytes, rendered in ${page.renderMs} ms`);
  });
});
