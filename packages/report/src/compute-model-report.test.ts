import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { psi } from '@driftwatch/drift';

import { computeModelReport } from './compute-model-report.js';
import { ReportError } from './errors.js';
import type { ReportInput } from './report-input.js';
import { fourDecimals, naiveMetrics } from './testing/naive-metrics.js';
import { syntheticReportInput } from './testing/synthetic-report-input.js';
import { windowEnds } from './window-ends.js';

/** 6,000 events: concept drifts at 1,500 and 3,000, x3 shifts at 4,000. */
function stream(): ReportInput {
  return syntheticReportInput({
    count: 6000,
    conceptDrifts: [1500, 3000],
    dataDriftAt: 4000,
    detectionDelay: 150,
    trainingDelay: 80,
  });
}

const settings = { window: 200, maxPoints: 60, maxColumns: 30, movedFeatures: 2 };

describe('computeModelReport', () => {
  it('gives each version a line of sliding-window metrics over exactly the predictions it served', () => {
    const input = stream();
    const report = computeModelReport(input, settings);
    const versions = report.performance.filter((s) => s.of.kind === 'version');
    assert.deepEqual(
      versions.map((s) => s.label),
      ['v1', 'v3', 'v4', 'v5'],
    );
    for (const series of versions) {
      if (series.of.kind !== 'version') continue;
      const version = series.of.version;
      const served = input.predictions
        .filter((p) => p.modelVersion === version)
        .sort((a, b) => a.ts - b.ts);
      const ends = windowEnds(served.length, settings.window, settings.maxPoints);
      assert.ok(series.ts.length <= settings.maxPoints);
      assert.deepEqual(
        series.ts,
        ends.map((end) => served[end]!.ts),
      );
      ends.forEach((end, k) => {
        const expected = naiveMetrics(
          served.slice(Math.max(0, end - settings.window + 1), end + 1),
        );
        assert.equal(series.metrics.accuracy?.[k], fourDecimals(expected.accuracy));
        assert.equal(series.metrics.f1?.[k], fourDecimals(expected.f1));
        assert.equal(series.metrics.rocAuc?.[k], fourDecimals(expected.rocAuc));
      });
    }
  });

  it('draws the never-retrained model on the same events, and it falls behind after the drifts', () => {
    const input = stream();
    const report = computeModelReport(input, settings);
    const baseline = report.performance.find((s) => s.of.kind === 'never-retrained');
    assert.ok(baseline);
    assert.equal(baseline.label, 'v1 never retrained');
    const served = report.performance.find((s) => s.of.kind === 'served');
    assert.deepEqual(baseline.ts, served?.ts);
    const predicted = input.neverRetrained!.predictions;
    const correct = input.predictions.filter(
      (p) => predicted.get(p.id)?.predicted === p.label,
    ).length;
    assert.equal(report.totals.neverRetrainedAccuracy, fourDecimals(correct / 6000));
    assert.ok(report.totals.accuracy > (report.totals.neverRetrainedAccuracy ?? 1));
  });

  it('marks alerts when observed, takeovers where a version first served, and known drifts', () => {
    const input = stream();
    const report = computeModelReport(input, settings);
    const byKind = (kind: string) => report.markers.filter((m) => m.kind === kind);
    assert.deepEqual(
      byKind('concept-alert').map((m) => m.ts),
      input.alerts.filter((a) => a.kind === 'concept').map((a) => a.observedAt),
    );
    assert.deepEqual(
      byKind('data-alert').map((m) => [m.ts, m.feature]),
      [[input.alerts.find((a) => a.kind === 'data')!.observedAt, 'x3']],
    );
    const firstServed = (version: number) =>
      Math.min(...input.predictions.filter((p) => p.modelVersion === version).map((p) => p.ts));
    assert.deepEqual(
      byKind('takeover').map((m) => [m.ref, m.ts]),
      [3, 4, 5].map((v) => [String(v), firstServed(v)]),
    );
    assert.deepEqual(
      byKind('known-drift').map((m) => [m.label, m.ts]),
      [
        ['drift at event 1500', input.predictions[1500]!.ts],
        ['drift at event 3000', input.predictions[3000]!.ts],
      ],
    );
    assert.equal(byKind('retrain-requested').length, input.retrainRequests.length);
    const times = report.markers.map((m) => m.ts);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });

  it("shows x3's shift in the heat map, and x3 as the most-moved feature", () => {
    const input = stream();
    const report = computeModelReport(input, settings);
    const { dataDrift } = report;
    assert.deepEqual(
      dataDrift.rows.map((r) => r.label),
      ['x1', 'x2', 'x3'],
    );
    assert.ok(dataDrift.columns.length <= settings.maxColumns + 5);
    assert.equal(
      dataDrift.columns.reduce((sum, c) => sum + c.predictions, 0),
      6000,
    );
    const moved = dataDrift.moved[0];
    assert.equal(moved?.label, 'x3');
    // v4 was trained on x3 in [0, 10]; it served when x3 moved to [3, 13].
    assert.equal(moved.version, 4);
    assert.ok(moved.psi > 0.25, `PSI ${moved.psi}`);
    assert.equal(dataDrift.moved.length, 2);
    assert.equal(dataDrift.alertThreshold, 0.2);

    // Each cell is the drift package's PSI of the column's values against the version's bins.
    const column = dataDrift.columns[dataDrift.columns.length - 1]!;
    const values = input.predictions
      .filter((p) => p.modelVersion === column.version && p.ts >= column.from && p.ts <= column.to)
      .map((p) => p.features['x1']!);
    const reference = input.versions.find((v) => v.version === column.version)!.reference
      .features[0]!;
    const counts = reference.proportions.map(() => 0);
    for (const value of values) {
      const bin = reference.edges.slice(1, -1).filter((edge) => value >= edge).length;
      counts[bin]!++;
    }
    assert.equal(
      column.psi[0],
      fourDecimals(
        psi(
          reference.proportions,
          counts.map((c) => c / values.length),
        ),
      ),
    );
  });

  it('takes predictions by event time, alerts and requests by when they happened, within the range', () => {
    const input = stream();
    const from = input.predictions[1000]!.ts;
    const to = input.predictions[2999]!.ts;
    const report = computeModelReport({ ...input, range: { from, to } }, settings);
    assert.equal(report.totals.predictions, 2000);
    assert.deepEqual(report.range, { from, to });
    assert.equal(
      report.alerts.length,
      input.alerts.filter((a) => a.observedAt >= from && a.observedAt <= to).length,
    );
    assert.ok(report.markers.every((m) => m.ts >= from && m.ts <= to));
    // The lineage is the whole model's, whatever the range.
    assert.equal(report.versions.length, input.versions.length);
    assert.deepEqual(
      report.markers.filter((m) => m.kind === 'known-drift').map((m) => m.label),
      ['drift at event 1500'],
    );
    assert.deepEqual(report.notes, [], 'a known drift outside the range is not a note');
    const unlabeled = computeModelReport(
      { ...input, knownDrifts: [{ id: 'never-labeled', label: 'drift at event 9999' }] },
      settings,
    );
    assert.deepEqual(unlabeled.notes, [
      'known drifts not drawn, their events have no labeled prediction: drift at event 9999',
    ]);
  });

  it('leaves out other models, and notes a served version that model-versions does not hold', () => {
    const input = stream();
    const stranger = { ...input.predictions[0]!, id: 'other', model: 'other' };
    const report = computeModelReport(
      {
        ...input,
        predictions: [...input.predictions, stranger],
        versions: input.versions.slice(1),
      },
      settings,
    );
    assert.equal(report.totals.predictions, 6000);
    assert.match(report.notes.join('\n'), /missing from model-versions .*: v1/);
  });

  it('refuses an empty range and options out of range', () => {
    const input = stream();
    assert.throws(
      () => computeModelReport({ ...input, range: { from: 0, to: 1 } }),
      (error: unknown) => error instanceof ReportError && error.code === 'DW_REPORT_NO_PREDICTIONS',
    );
    assert.throws(
      () => computeModelReport(input, { maxPoints: 1 }),
      (error: unknown) =>
        error instanceof ReportError &&
        error.code === 'DW_REPORT_BAD_OPTION' &&
        error.message === 'option maxPoints must be an integer of at least 2, got 1',
    );
  });

  it('tells the lineage: parents, rejected challengers, requests and the alerts behind them', () => {
    const report = computeModelReport(stream(), settings);
    assert.deepEqual(
      report.versions.map((v) => [v.version, v.parentVersion, v.status, v.serving]),
      [
        [1, null, 'promoted', false],
        [2, 1, 'rejected', false],
        [3, 1, 'promoted', false],
        [4, 3, 'promoted', false],
        [5, 4, 'promoted', true],
      ],
    );
    const request = report.versions[2]!.request!;
    assert.equal(request.reason, 'drift');
    assert.match(request.alert ?? '', /^concept\/adwin: error rate rose from 12\.0% to 31\.0%/);
    assert.equal(report.versions[1]!.served, null);
    assert.deepEqual(
      report.alerts.map((a) => a.outcome),
      [
        'retrain (drift) → v3 promoted',
        'retrain (drift) → v4 promoted',
        'retrain (drift) → v5 promoted',
      ],
    );
  });
});
