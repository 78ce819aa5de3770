import type { LabeledPrediction } from '@driftwatch/topics';

import { alertRows } from './alert-rows.js';
import { computeDataDrift } from './data-drift.js';
import { ReportError } from './errors.js';
import { modelReportFormat, type ModelReport, type PerformanceSeries } from './model-report.js';
import type { ReportInput, ReportOptions } from './report-input.js';
import { reportMarkers } from './report-markers.js';
import { rounded } from './rounded.js';
import { slidingPerformance, type ScoredOutcome } from './sliding-performance.js';
import { utcTime } from './utc-time.js';
import { versionNodes } from './version-nodes.js';

const defaults: Required<ReportOptions> = {
  window: 500,
  maxPoints: 400,
  maxColumns: 100,
  movedFeatures: 3,
};

function positiveInteger(options: ReportOptions, name: keyof ReportOptions, min: number): number {
  const value = options[name] ?? defaults[name];
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ReportError(
      'DW_REPORT_BAD_OPTION',
      `option ${name} must be an integer of at least ${min}, got ${value}`,
    );
  }
  return value;
}

/** Event-time order; ties (events of one millisecond) by id, so every reader agrees. */
export function byEventTime(a: LabeledPrediction, b: LabeledPrediction): number {
  return a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const outcome = (p: LabeledPrediction): ScoredOutcome => ({
  ts: p.ts,
  label: p.label,
  predicted: p.predicted,
  score: p.score,
});

/**
 * A model's story over a range of event time, from what its topics hold: windowed performance
 * per version (and of everything served, and of the never-retrained model when its predictions
 * are given), markers for alerts, retrain requests, takeovers and known drifts, PSI per feature
 * over time with the most-moved features' distributions, the lineage, and the alerts in words.
 *
 * Predictions count when their event time (`ts`) is in range; alerts and retrain requests are
 * drawn when observed (requested) in range, and all of them explain the lineage. Records of
 * other models are left out. Throws `DW_REPORT_NO_PREDICTIONS` when no labeled prediction is in
 * range, and `DW_REPORT_BAD_OPTION` for an option out of range.
 *
 * Options (see {@link ReportOptions}): `window` (500), `maxPoints` (400, at least 2),
 * `maxColumns` (100), `movedFeatures` (3).
 */
export function computeModelReport(input: ReportInput, options: ReportOptions = {}): ModelReport {
  const settings = {
    window: positiveInteger(options, 'window', 1),
    maxPoints: positiveInteger(options, 'maxPoints', 2),
    maxColumns: positiveInteger(options, 'maxColumns', 1),
    movedFeatures: positiveInteger(options, 'movedFeatures', 0),
  };
  const { model, range } = input;
  const inRange = (ts: number): boolean =>
    (range.from === null || ts >= range.from) && (range.to === null || ts <= range.to);
  const predictions = input.predictions
    .filter((p) => p.model === model && inRange(p.ts))
    .sort(byEventTime);
  const first = predictions[0];
  const last = predictions[predictions.length - 1];
  if (!first || !last) {
    throw new ReportError(
      'DW_REPORT_NO_PREDICTIONS',
      `no labeled prediction of model ${JSON.stringify(model)} in range`,
    );
  }
  const allAlerts = input.alerts.filter((a) => a.model === model);
  const allRequests = input.retrainRequests.filter((r) => r.model === model);
  const versions = input.versions.filter((v) => v.model === model);
  const alerts = allAlerts.filter((a) => inRange(a.observedAt));
  const requests = allRequests.filter((r) => inRange(r.requestedAt));
  const notes = [...(input.notes ?? [])];

  const { markers, unplaced } = reportMarkers({
    predictions,
    alerts,
    requests,
    knownDrifts: input.knownDrifts ?? [],
  });
  // A known drift outside the range is simply not drawn; one whose event never got a label is news.
  const labeled = new Set(input.predictions.map((p) => p.id));
  const unlabeled = (input.knownDrifts ?? []).filter(
    (drift) => unplaced.includes(drift.label) && !labeled.has(drift.id),
  );
  if (unlabeled.length > 0) {
    notes.push(
      `known drifts not drawn, their events have no labeled prediction: ${unlabeled.map((d) => d.label).join(', ')}`,
    );
  }

  const { window, maxPoints } = settings;
  const servedVersions = [...new Set(predictions.map((p) => p.modelVersion))].sort((a, b) => a - b);
  const performance: PerformanceSeries[] = servedVersions.map((version) => ({
    of: { kind: 'version', version },
    basis: 'realized',
    label: `v${version}`,
    ...slidingPerformance(
      predictions.filter((p) => p.modelVersion === version).map(outcome),
      window,
      maxPoints,
    ),
  }));
  performance.push({
    of: { kind: 'served' },
    basis: 'realized',
    label: 'served (all versions)',
    ...slidingPerformance(predictions.map(outcome), window, maxPoints),
  });
  let neverRetrainedAccuracy: number | null = null;
  const baseline = input.neverRetrained;
  if (baseline) {
    const outcomes = predictions.flatMap((p) => {
      const predicted = baseline.predictions.get(p.id);
      return predicted ? [{ ts: p.ts, label: p.label, ...predicted }] : [];
    });
    if (outcomes.length > 0) {
      performance.push({
        of: { kind: 'never-retrained', version: baseline.version },
        basis: 'realized',
        label: `v${baseline.version} never retrained`,
        ...slidingPerformance(outcomes, window, maxPoints),
      });
      const correct = outcomes.filter((o) => o.label === o.predicted).length;
      neverRetrainedAccuracy = rounded(correct / outcomes.length);
    }
    if (outcomes.length < predictions.length) {
      notes.push(
        `the never-retrained v${baseline.version} has no prediction for ${predictions.length - outcomes.length} of ${predictions.length} events`,
      );
    }
  }

  const known = new Set(versions.map((v) => v.version));
  const unknown = servedVersions.filter((version) => !known.has(version));
  if (unknown.length > 0) {
    notes.push(
      `served versions missing from model-versions (no reference profile, no lineage): ${unknown.map((v) => `v${v}`).join(', ')}`,
    );
  }
  const psiAlert = alerts.find((a) => a.detector.startsWith('psi'));
  const dataDrift = computeDataDrift(predictions, versions, {
    window,
    maxColumns: settings.maxColumns,
    movedFeatures: settings.movedFeatures,
    alertThreshold: psiAlert?.threshold ?? null,
  });

  const times = [first.ts, last.ts, ...markers.map((m) => m.ts)];
  const correct = predictions.filter((p) => p.label === p.predicted).length;
  return {
    format: modelReportFormat,
    model,
    generatedAt: input.generatedAt,
    range: { from: range.from, to: range.to },
    extent: { from: Math.min(...times), to: Math.max(...times) },
    settings,
    totals: {
      predictions: predictions.length,
      alerts: alerts.length,
      retrainRequests: requests.length,
      versions: versions.length,
      accuracy: rounded(correct / predictions.length) ?? 0,
      neverRetrainedAccuracy,
    },
    performance,
    markers,
    dataDrift,
    versions: versionNodes(versions, allRequests, allAlerts, predictions),
    alerts: alertRows(alerts, allRequests, versions),
    source: input.source ?? `labeled predictions from ${utcTime(first.ts)} to ${utcTime(last.ts)}`,
    notes,
  };
}
