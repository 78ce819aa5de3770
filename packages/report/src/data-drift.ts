import { PsiReference } from '@driftwatch/drift';
import type { BinnedDistribution, LabeledPrediction } from '@driftwatch/topics';

import type { DataDrift, DriftColumn, DriftRow, MovedFeature } from './model-report.js';
import type { ReportVersion } from './report-input.js';
import { rounded } from './rounded.js';

export interface DataDriftOptions {
  /** The smallest column, in predictions (the performance window: PSI on fewer is noise). */
  window: number;
  maxColumns: number;
  movedFeatures: number;
  alertThreshold: number | null;
}

/** A row's reference in one version; undefined when the version carries none for it. */
function referenceOf(
  version: ReportVersion | undefined,
  row: DriftRow,
): BinnedDistribution | undefined {
  if (version === undefined) return undefined;
  if (row.feature === null) return version.reference.score ?? undefined;
  return version.reference.features.find((profile) => profile.name === row.feature);
}

function valueOf(prediction: LabeledPrediction, row: DriftRow): number | undefined {
  const value = row.feature === null ? prediction.score : prediction.features[row.feature];
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/**
 * Consecutive runs of `size` predictions of each version; a short tail (under half a column) joins
 * the column before it rather than standing alone as a noisy sliver.
 */
function chunks(
  predictions: readonly LabeledPrediction[],
  size: number,
): { version: number; predictions: LabeledPrediction[] }[] {
  const byVersion = new Map<number, LabeledPrediction[]>();
  for (const prediction of predictions) {
    const served = byVersion.get(prediction.modelVersion) ?? [];
    served.push(prediction);
    byVersion.set(prediction.modelVersion, served);
  }
  const columns: { version: number; predictions: LabeledPrediction[] }[] = [];
  for (const [version, served] of [...byVersion].sort(([a], [b]) => a - b)) {
    const own: LabeledPrediction[][] = [];
    for (let start = 0; start < served.length; start += size) {
      own.push(served.slice(start, start + size));
    }
    const tail = own[own.length - 1];
    const beforeTail = own[own.length - 2];
    if (tail && beforeTail && tail.length < size / 2) {
      beforeTail.push(...tail);
      own.pop();
    }
    columns.push(...own.map((run) => ({ version, predictions: run })));
  }
  return columns.sort((a, b) => (a.predictions[0]?.ts ?? 0) - (b.predictions[0]?.ts ?? 0));
}

/**
 * Data drift over the range: PSI of each feature (and of the score, where references carry it)
 * against the reference profile of the version that served, per column of consecutive
 * predictions of one version — the detector's PSI, computed over the labeled predictions in range
 * rather than only where it crossed a threshold. Columns are `max(window, ⌈n / maxColumns⌉)`
 * predictions wide, so there are at most `maxColumns` plus one per version. The `movedFeatures`
 * rows whose PSI peaked highest get their reference and current distributions, from the column
 * where each peaked.
 *
 * `predictions` must be in event-time order.
 */
export function computeDataDrift(
  predictions: readonly LabeledPrediction[],
  versions: readonly ReportVersion[],
  options: DataDriftOptions,
): DataDrift {
  const byNumber = new Map(versions.map((version) => [version.version, version]));
  const served = [...new Set(predictions.map((p) => p.modelVersion))].sort((a, b) => a - b);
  const rows: DriftRow[] = [];
  const seen = new Set<string>();
  for (const number of served) {
    for (const profile of byNumber.get(number)?.reference.features ?? []) {
      if (seen.has(profile.name)) continue;
      seen.add(profile.name);
      rows.push({ label: profile.name, feature: profile.name });
    }
  }
  if (served.some((number) => byNumber.get(number)?.reference.score)) {
    rows.push({ label: "model's score", feature: null });
  }

  const size = Math.max(options.window, Math.ceil(predictions.length / options.maxColumns));
  const peaks = rows.map(() => ({ psi: -Infinity, column: -1, counts: [] as number[] }));
  const bins = new Map<BinnedDistribution, PsiReference>();
  const columns: DriftColumn[] = chunks(predictions, size).map((chunk, index) => {
    const version = byNumber.get(chunk.version);
    const psi = rows.map((row, r) => {
      const profile = referenceOf(version, row);
      if (profile === undefined) return null;
      let reference = bins.get(profile);
      if (reference === undefined) {
        reference = PsiReference.fromJSON({
          kind: 'numeric',
          edges: profile.edges,
          proportions: profile.proportions,
        });
        bins.set(profile, reference);
      }
      const values: number[] = [];
      for (const prediction of chunk.predictions) {
        const value = valueOf(prediction, row);
        if (value !== undefined) values.push(value);
      }
      if (values.length === 0) return null;
      const counts = reference.countsOf(values);
      const value = reference.psiOfCounts(counts);
      const peak = peaks[r];
      if (peak && value > peak.psi) Object.assign(peak, { psi: value, column: index, counts });
      return rounded(value);
    });
    const first = chunk.predictions[0];
    const last = chunk.predictions[chunk.predictions.length - 1];
    return {
      version: chunk.version,
      from: first?.ts ?? 0,
      to: last?.ts ?? 0,
      predictions: chunk.predictions.length,
      psi,
    };
  });

  const moved: MovedFeature[] = rows
    .map((row, r) => ({ row, peak: peaks[r] }))
    .filter(
      (entry): entry is { row: DriftRow; peak: NonNullable<(typeof peaks)[number]> } =>
        entry.peak !== undefined && entry.peak.column >= 0,
    )
    .sort((a, b) => b.peak.psi - a.peak.psi)
    .slice(0, options.movedFeatures)
    .flatMap(({ row, peak }) => {
      const column = columns[peak.column];
      const profile = column && referenceOf(byNumber.get(column.version), row);
      if (!column || !profile) return [];
      const total = peak.counts.reduce((sum, count) => sum + count, 0);
      return [
        {
          label: row.label,
          feature: row.feature,
          psi: rounded(peak.psi) ?? 0,
          version: column.version,
          from: column.from,
          to: column.to,
          predictions: column.predictions,
          edges: [...profile.edges],
          reference: profile.proportions.map((share) => rounded(share) ?? 0),
          current: peak.counts.map((count) => rounded(count / total) ?? 0),
        },
      ];
    });

  return { rows, columns, alertThreshold: options.alertThreshold, moved };
}
