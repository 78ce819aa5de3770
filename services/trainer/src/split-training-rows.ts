import type { LabeledPrediction } from '@driftwatch/topics';

import type { LabeledRows } from '@driftwatch/model';

export interface TrainingSplit {
  featureNames: string[];
  train: LabeledRows;
  holdout: LabeledRows;
  /** Rows left out: a duplicate id, or a prediction lacking one of the features. */
  dropped: number;
  /**
   * The labeled edge cases (predictions inference marked `edgeCase`) outside the holdout, oldest
   * first, even those older than `maxRows` kept: what an edge-case retrain adds to its training set.
   */
  edgeCases: LabeledRows;
}

/**
 * Turns labeled predictions (oldest first) into training and holdout rows. Each event id counts
 * once. `featureNames` fixes the columns — the champion's, so both models are compared on the same
 * inputs — or, for a first model, every feature the rows carry. The most recent `holdoutFraction`
 * is held out: the challenger is judged on data newer than any it learned from.
 */
export function splitTrainingRows(
  labeled: readonly LabeledPrediction[],
  options: { featureNames: readonly string[] | null; holdoutFraction: number; maxRows: number },
): TrainingSplit {
  const featureNames = options.featureNames
    ? [...options.featureNames]
    : [...new Set(labeled.flatMap((record) => Object.keys(record.features)))].sort();
  const seen = new Set<string>();
  const rows: number[][] = [];
  const labels: number[] = [];
  const isEdgeCase: boolean[] = [];
  let dropped = 0;
  for (const record of labeled) {
    if (seen.has(record.id)) {
      dropped++;
      continue;
    }
    seen.add(record.id);
    const row = featureNames.map((name) => record.features[name]);
    if (row.some((value) => value === undefined || !Number.isFinite(value))) {
      dropped++;
      continue;
    }
    rows.push(row as number[]);
    labels.push(record.label);
    isEdgeCase.push(Boolean(record.edgeCase));
  }
  const keep = Math.max(0, rows.length - options.maxRows);
  const recentRows = rows.slice(keep);
  const recentLabels = labels.slice(keep);
  const holdoutSize = Math.round(recentRows.length * options.holdoutFraction);
  const cut = recentRows.length - holdoutSize;
  return {
    featureNames,
    train: { rows: recentRows.slice(0, cut), labels: recentLabels.slice(0, cut) },
    holdout: { rows: recentRows.slice(cut), labels: recentLabels.slice(cut) },
    dropped: dropped + keep,
    edgeCases: {
      rows: rows.filter((_, i) => i < keep + cut && isEdgeCase[i]),
      labels: labels.filter((_, i) => i < keep + cut && isEdgeCase[i]),
    },
  };
}
