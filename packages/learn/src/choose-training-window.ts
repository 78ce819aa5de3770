import { LearnError, option } from './errors.js';
import type { FeatureRows } from './input-checks.js';
import { predictClasses } from './predict-classes.js';
import { trainModel, type TrainModelOptions } from './train-model.js';
import type { ModelFamily } from './trained-model.js';

/** One window tried: its name (`since-change`, or its size), its rows, its validation score. */
export interface WindowCandidate {
  window: string;
  trainRows: number;
  validationAccuracy: number;
}

export interface WindowChoice {
  /** The chosen window: the candidate with the best validation accuracy. */
  chosen: WindowCandidate;
  /** Every candidate tried, in the order tried; a window whose rows cannot train is left out. */
  candidates: WindowCandidate[];
  /**
   * Where the rows to train the final model start: the chosen window moved forward over the
   * validation slice, so the final model also learns from the newest rows it was chosen on.
   */
  finalFrom: number;
}

export interface ChooseTrainingWindowOptions {
  family: ModelFamily;
  training: TrainModelOptions;
  classCount: number;
  featureNames: readonly string[];
  /** Every row that may be trained on, oldest first: the holdout is not among them. */
  rows: FeatureRows;
  labels: ArrayLike<number>;
  /** Index of the first row of the new concept (the detected change); `rows.length`: unknown. */
  changeAt: number;
  /** Window sizes to try, in rows, besides the rows since the change. */
  sizes: readonly number[];
  /** The newest rows, the last of `rows`, that candidates are judged on and not trained on. */
  validationRows: number;
  /** A binary model's decision threshold (default 0.5). */
  threshold?: number;
}

/**
 * Which window of recent rows to train on. After a drift the rows since the change are the right
 * data, but a few hundred of them on a noisy stream are too few; on a recurring or gradual
 * change more history helps. So each candidate — the rows since the change, and the last
 * `sizes[i]` rows — is trained on the rows before a validation slice (the newest
 * `validationRows`) and scored on it; the best wins, the smaller window on a tie (the more
 * recent data). Deterministic: the same rows and options choose the same window.
 *
 * Throws `LearnError` `DW_LEARN_INVALID_OPTION` for bad options, and `DW_LEARN_INVALID_INPUT`
 * when no candidate could be trained (every window too small or of one class).
 *
 * @example
 * ```ts
 * // x decides the class one way for 300 rows, the other way after.
 * const rows = Array.from({ length: 400 }, (_, i) => [i % 2]);
 * const labels = rows.map(([x], i) => (i < 300 ? x : 1 - x));
 * const choice = chooseTrainingWindow({
 *   family: 'logistic', training: {}, classCount: 2, featureNames: ['x'], rows, labels,
 *   changeAt: 300, sizes: [200], validationRows: 40,
 * });
 * choice.chosen.window; // => "since-change"
 * choice.finalFrom; // => 300
 * ```
 */
export function chooseTrainingWindow(options: ChooseTrainingWindowOptions): WindowChoice {
  const { rows, labels } = options;
  const end = rows.length - option.nonNegativeInteger(options.validationRows, 'validationRows');
  if (end <= 0 || options.validationRows === 0) {
    throw new LearnError(
      'DW_LEARN_INVALID_OPTION',
      `validationRows must leave rows to train on and be at least 1, got ${options.validationRows} of ${rows.length}`,
    );
  }
  const changeAt = option.nonNegativeInteger(options.changeAt, 'changeAt');
  const sizes = options.sizes.map((size) => option.positiveInteger(size, 'sizes'));
  const validation = rows.slice(end);
  const validationLabels = Array.from(labels).slice(end);

  // Windows as start indices before the validation slice; two that start alike are one.
  const windows = new Map<number, string>();
  if (changeAt < end) windows.set(changeAt, 'since-change');
  for (const size of [...sizes].sort((a, b) => a - b)) {
    const from = Math.max(0, end - size);
    if (!windows.has(from)) windows.set(from, String(size));
  }

  const candidates: WindowCandidate[] = [];
  for (const [from, window] of windows) {
    let model;
    try {
      model = trainModel(
        options.family,
        rows.slice(from, end),
        Array.from(labels).slice(from, end),
        options.featureNames,
        options.training,
        options.classCount,
      );
    } catch (error) {
      // A window of one class (or lacking one) cannot train: the others may.
      if (error instanceof LearnError && error.code !== 'DW_LEARN_INVALID_OPTION') continue;
      throw error;
    }
    const predicted = predictClasses(model, validation, options.threshold);
    const right = predicted.filter((c, i) => c === validationLabels[i]).length;
    candidates.push({
      window,
      trainRows: end - from,
      validationAccuracy: right / validation.length,
    });
  }
  const chosen = candidates.reduce<WindowCandidate | undefined>(
    (best, candidate) =>
      best === undefined ||
      candidate.validationAccuracy > best.validationAccuracy ||
      (candidate.validationAccuracy === best.validationAccuracy &&
        candidate.trainRows < best.trainRows)
        ? candidate
        : best,
    undefined,
  );
  if (!chosen) {
    throw new LearnError(
      'DW_LEARN_INVALID_INPUT',
      `no window of the ${end} rows before validation could train a model`,
    );
  }
  const finalFrom =
    chosen.window === 'since-change' ? changeAt : Math.max(0, rows.length - chosen.trainRows);
  return { chosen, candidates, finalFrom };
}
