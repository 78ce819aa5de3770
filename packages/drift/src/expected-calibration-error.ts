import { DriftError } from './errors.js';
import { option } from './errors.js';
import { requireBinary, requireFinite } from './input-checks.js';

export interface ExpectedCalibrationErrorOptions {
  /** Number of bins asked for; default 10. Fewer rows than 2·bins get ⌊rows / 2⌋ bins. */
  bins?: number;
}

/**
 * Expected calibration error: how far predicted probabilities are from the observed frequency of
 * the positive label, as NannyML computes it to decide whether CBPE must calibrate.
 *
 * Binning is by count, not by value: the rows are sorted by probability (stably, so tied rows keep
 * their input order) and cut every ⌊rows / bins⌋ rows, the last cut moved to the end, so the last
 * bin takes the leftover rows and there can be more bins than asked (25 rows and 10 bins make 12
 * bins of 2 and one of 1). With rows ≤ 2·bins the bins are ⌊rows / 2⌋, and fewer than 2 is an
 * error. The error is Σ (rows in bin / rows) · |mean probability − share of positives| over bins.
 *
 * Equal to NannyML's `_calculate_expected_calibration_error` with `_get_bin_index_edges` wherever
 * no tie straddles a cut (NannyML's sort is not stable, so its tied rows may fall either side).
 *
 * @example
 * ```ts
 * expectedCalibrationError([0.1, 0.2, 0.8, 0.9], [0, 1, 1, 1], { bins: 2 }); // => 0.25
 * ```
 *
 * @see Naeini, Cooper, Hauskrecht (2015), "Obtaining well calibrated probabilities using Bayesian
 * binning", AAAI.
 */
export function expectedCalibrationError(
  probabilities: readonly number[],
  labels: readonly (0 | 1 | boolean)[],
  { bins = 10 }: ExpectedCalibrationErrorOptions = {},
): number {
  option.positiveInteger(bins, 'bins');
  const given: unknown[] = [probabilities, labels];
  if (!given.every((array) => Array.isArray(array))) {
    throw new DriftError('DW_DRIFT_INVALID_INPUT', 'probabilities and labels must be arrays');
  }
  if (probabilities.length !== labels.length) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      `probabilities and labels must have the same length, got ${probabilities.length} and ${labels.length}`,
    );
  }
  const rows = probabilities.length;
  const positive = labels.map((label, i) => requireBinary(label, `labels[${i}]`));
  probabilities.forEach((p, i) => requireFinite(p, `probabilities[${i}]`));
  const edges = calibrationBinEdges(rows, bins);
  const order = probabilities.map((_, i) => i);
  order.sort((a, b) => (probabilities[a] as number) - (probabilities[b] as number) || a - b);

  let error = 0;
  for (let bin = 0; bin + 1 < edges.length; bin++) {
    const start = edges[bin] as number;
    const end = edges[bin + 1] as number;
    let probabilitySum = 0;
    let positives = 0;
    for (let k = start; k < end; k++) {
      const row = order[k] as number;
      probabilitySum += probabilities[row] as number;
      positives += positive[row] as number;
    }
    const size = end - start;
    error += (size / rows) * Math.abs(probabilitySum / size - positives / size);
  }
  return error;
}

/** NannyML's `_get_bin_index_edges`: row indices where bins start, then `rows`. */
export function calibrationBinEdges(rows: number, bins: number): number[] {
  let binCount = bins;
  if (rows <= 2 * bins) {
    binCount = Math.floor(rows / 2);
    if (binCount < 2) {
      throw new DriftError(
        'DW_DRIFT_INVALID_INPUT',
        `expected calibration error needs at least 4 rows for 2 bins, got ${rows}`,
      );
    }
  }
  const width = Math.floor(rows / binCount);
  const edges: number[] = [];
  for (let edge = 0; edge <= rows; edge += width) edges.push(edge);
  edges[edges.length - 1] = rows;
  return edges;
}
