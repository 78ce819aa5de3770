import {
  estimateFromSums,
  expectedSums,
  type CbpeCalibration,
  type CbpeEstimate,
  type CbpeSums,
} from './cbpe.js';
import { DriftError, option } from './errors.js';
import { requireFinite } from './input-checks.js';
import { IsotonicCalibrator, type IsotonicCalibratorState } from './isotonic-calibrator.js';
import { needsCalibration } from './needs-calibration.js';
import { StateReader } from './state-reader.js';

export interface MulticlassCbpeFitOptions {
  /** The model's reference probabilities, row-major: row i's class k at `i · classCount + k`. */
  probabilities: readonly number[];
  /** Their true classes, integers in [0, classCount). */
  labels: readonly number[];
  /** Number of classes K, an integer ≥ 3 (for two, use {@link Cbpe}). */
  classCount: number;
  /**
   * Default `'auto'`, for every class; or one per class, to settle a class's calibration where
   * {@link needsCalibration}'s own random splits would decide a close call differently.
   */
  calibration?: CbpeCalibration | readonly CbpeCalibration[];
}

/** The plain-JSON snapshot of a {@link MulticlassCbpe} (`toJSON`, `MulticlassCbpe.fromJSON`). */
export interface MulticlassCbpeState {
  classCount: number;
  /** Per class, its calibrator, or `null` when its probabilities are used as they are. */
  calibrators: (IsotonicCalibratorState | null)[];
}

/**
 * Confidence-based performance estimation (CBPE) for a multiclass classifier: its accuracy and
 * macro-averaged precision, recall, F1 and one-vs-rest ROC AUC on a window of probability rows
 * whose labels have not arrived. Equal to NannyML's `CBPE(problem_type="classification_multiclass")`
 * estimates on every chunk of the goldens, given the same calibration decisions: accuracy,
 * precision, recall and F1 to 1e-14, ROC AUC to 1e-8 where no two rows tie on a class's
 * probability (see the ROC AUC note below for ties).
 *
 * `MulticlassCbpe.fit` treats each class k one-vs-rest: its reference probabilities against
 * `label === k`. With calibration `'auto'` (default) it fits an {@link IsotonicCalibrator} to a
 * class when {@link needsCalibration} says it helps, as NannyML does; `'isotonic'` always fits one,
 * `'none'` never (the probabilities must then lie in [0, 1]). A list of K calibrations settles each
 * class's own: `needsCalibration` shuffles its splits with our generator, not NumPy's, so where
 * calibration barely changes a class's expected calibration error the two can decide differently
 * (on NannyML's shipped dataset, one class of three: NannyML's own decision for it changes with
 * its split seed).
 *
 * For a window, each row's probabilities are calibrated class by class and then divided by their
 * sum, so that they are again a distribution over the classes: the one-vs-rest calibrators know
 * nothing of each other, and their outputs need not sum to 1. A row whose calibrated probabilities
 * are all 0 becomes uniform, 1/K each (NannyML's choice: no class is more likely than another).
 * Then, with q the normalized probabilities and a row's prediction its given class or, by default,
 * the argmax of its raw probabilities (the first on a tie, as `np.argmax`):
 * - accuracy is the mean over rows of q of the predicted class;
 * - class k's expected confusion counts are {@link Cbpe}'s on the binary window "predicted k" with
 *   positive probability qₖ, and its precision, recall, F1 and ROC AUC are {@link Cbpe}'s (the
 *   expected ROC curve ordered by the raw probability of k); each reported metric is their mean
 *   over the K classes, a class never predicted counting with precision 0.
 *
 * ROC AUC and ties: unlike a binary window, rows with the same raw probability of k can have
 * different qₖ (the other classes' probabilities differ), so the order of tied rows changes the
 * expected ROC curve. NannyML orders them as `np.argsort` leaves them, an unstable sort whose
 * order depends on the NumPy build and CPU; we take the tied rows as one diagonal step, the mean
 * over their orders, so the estimate depends on the window's rows and not on their order. On data
 * with ties (NannyML's shipped synthetic dataset rounds probabilities to two decimals) the two
 * differ by up to about 1e-6, as much as NannyML's own estimate moves when the same rows are
 * listed in another order; the goldens check equality to 1e-6 on the same rows moved apart by
 * less than 1e-6, and to 5e-6 on the shipped rows.
 * NannyML also rounds the cumulative sums to 5 decimals; we do not (see {@link Cbpe}).
 *
 * @example
 * ```ts
 * // A model whose probabilities are right: each label is drawn from its row.
 * const random = mulberry32(5);
 * const probabilities = [];
 * const labels = [];
 * for (let i = 0; i < 3000; i++) {
 *   const weights = [0, 1, 2].map(() => Math.exp(4 * random()));
 *   const total = weights[0] + weights[1] + weights[2];
 *   const row = weights.map((w) => w / total);
 *   const draw = random();
 *   labels.push(draw < row[0] ? 0 : draw < row[0] + row[1] ? 1 : 2);
 *   probabilities.push(...row);
 * }
 * const cbpe = MulticlassCbpe.fit({ probabilities, labels, classCount: 3 });
 * cbpe.calibrated; // => [true, true, false]
 * const window = probabilities.slice(0, 3 * 1000);
 * cbpe.estimate(window).accuracy; // => 0.63686670979226
 * cbpe.estimate(window).rocAuc; // => 0.8180286253487717
 * // The same rows, each halfway to 1/3 per class: the same predictions, less sure of them.
 * const hesitant = cbpe.estimate(window.map((p) => 1 / 3 + (p - 1 / 3) / 4));
 * hesitant.accuracy; // => 0.40930281361315757
 * hesitant.rocAuc; // => 0.5736630632542766
 * ```
 *
 * @see NannyML, "Confidence-based Performance Estimation (CBPE)", multiclass classification,
 * https://nannyml.readthedocs.io/en/stable/how_it_works/performance_estimation.html
 * @see Zadrozny, Elkan (2002), "Transforming classifier scores into accurate multiclass
 * probability estimates", KDD: one-vs-rest calibration, then normalization.
 */
export class MulticlassCbpe {
  readonly classCount: number;
  /** Per class, its one-vs-rest calibrator, or `null` when its probabilities are used as given. */
  readonly calibrators: readonly (IsotonicCalibrator | null)[];

  private constructor(classCount: number, calibrators: (IsotonicCalibrator | null)[]) {
    this.classCount = classCount;
    this.calibrators = calibrators;
  }

  /** Per class, whether its probabilities are calibrated before estimating. */
  get calibrated(): boolean[] {
    return this.calibrators.map((calibrator) => calibrator !== null);
  }

  static fit({
    probabilities,
    labels,
    classCount,
    calibration = 'auto',
  }: MulticlassCbpeFitOptions): MulticlassCbpe {
    requireClassCount(classCount);
    const calibrations = requireCalibrations(calibration, classCount);
    const rows = requireProbabilityRows(probabilities, classCount, 'probabilities');
    const given: unknown = labels;
    if (!Array.isArray(given) || labels.length !== rows) {
      throw new DriftError(
        'DW_DRIFT_INVALID_INPUT',
        `labels must be an array of one class per probability row (${rows}), got ${Array.isArray(given) ? labels.length : String(given)}`,
      );
    }
    labels.forEach((label, i) => {
      if (!Number.isInteger(label) || label < 0 || label >= classCount) {
        throw new DriftError(
          'DW_DRIFT_INVALID_INPUT',
          `labels[${i}] must be a class index in [0, ${classCount}), got ${String(label)}`,
        );
      }
    });

    const calibrators: (IsotonicCalibrator | null)[] = [];
    for (let k = 0; k < classCount; k++) {
      const scores = column(probabilities, classCount, k);
      const targets = labels.map((label) => (label === k ? 1 : 0));
      const calibrate =
        calibrations[k] === 'isotonic' ||
        (calibrations[k] === 'auto' && needsCalibration(scores, targets));
      if (!calibrate) {
        scores.forEach((score, i) => {
          requireProbability(score, `probabilities[${i * classCount + k}]`);
        });
      }
      calibrators.push(calibrate ? IsotonicCalibrator.fit(scores, targets) : null);
    }
    return new MulticlassCbpe(classCount, calibrators);
  }

  /**
   * The calibrated, normalized probabilities of a non-empty window of raw probability rows
   * (row-major, as given): each row's chance of being each class.
   */
  calibrate(probabilities: readonly number[]): number[] {
    const K = this.classCount;
    const rows = requireProbabilityRows(probabilities, K, 'probabilities');
    const calibrated = new Array<number>(rows * K);
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const raw = probabilities[i * K + k] as number;
        const calibrator = this.calibrators[k];
        const p =
          calibrator === undefined || calibrator === null
            ? requireProbability(raw, `probabilities[${i * K + k}]`)
            : calibrator.calibrate(raw);
        calibrated[i * K + k] = p;
        sum += p;
      }
      for (let k = 0; k < K; k++) {
        calibrated[i * K + k] = sum === 0 ? 1 / K : (calibrated[i * K + k] as number) / sum;
      }
    }
    return calibrated;
  }

  /**
   * Estimated metrics of a non-empty window of raw probability rows (row-major). `predictions`,
   * one class index per row, are the model's decisions when they are not the argmax of the raw
   * probabilities (a different tie rule, a cost-sensitive rule); by default the argmax.
   */
  estimate(probabilities: readonly number[], predictions?: readonly number[]): CbpeEstimate {
    const K = this.classCount;
    const calibrated = this.calibrate(probabilities);
    const rows = calibrated.length / K;
    const predicted =
      predictions === undefined
        ? argmaxes(probabilities, K)
        : requirePredictions(predictions, rows, K);

    return estimateFromMulticlassSums(multiclassSums(probabilities, calibrated, predicted, K));
  }

  static fromJSON(state: MulticlassCbpeState): MulticlassCbpe {
    const reader = new StateReader('MulticlassCbpe', state);
    const classCount = reader.integer('classCount', 3);
    const given = reader.raw('calibrators');
    reader.require(
      Array.isArray(given) && given.length === classCount,
      `calibrators must be an array of ${classCount} calibrators or nulls`,
    );
    const calibrators = (given as unknown[]).map((calibrator) =>
      calibrator === null
        ? null
        : reader.build(() => IsotonicCalibrator.fromJSON(calibrator as IsotonicCalibratorState)),
    );
    return new MulticlassCbpe(classCount, calibrators);
  }

  toJSON(): MulticlassCbpeState {
    return {
      classCount: this.classCount,
      calibrators: this.calibrators.map((calibrator) =>
        calibrator === null ? null : calibrator.toJSON(),
      ),
    };
  }
}

/**
 * What {@link MulticlassCbpe}'s estimates are made of, shared with
 * {@link StreamingMulticlassCbpe}, which keeps the same sums incrementally.
 */
export interface MulticlassCbpeSums {
  count: number;
  /** Σ over rows of the normalized probability of the predicted class (equal to Σₖ TPₖ). */
  correct: number;
  /** Per class, its one-vs-rest {@link CbpeSums}. */
  classes: CbpeSums[];
}

/** The sums of a window: raw and normalized probabilities (row-major), predicted classes. */
export function multiclassSums(
  raw: readonly number[],
  calibrated: readonly number[],
  predicted: readonly number[],
  classCount: number,
): MulticlassCbpeSums {
  // Summed row by row, as NannyML's accuracy (the mean of these) is.
  let correct = 0;
  predicted.forEach((k, i) => {
    correct += calibrated[i * classCount + k] as number;
  });
  const classes: CbpeSums[] = [];
  for (let k = 0; k < classCount; k++) {
    classes.push(
      expectedSums(
        column(raw, classCount, k),
        column(calibrated, classCount, k),
        predicted.map((p) => p === k),
      ),
    );
  }
  return { count: predicted.length, correct, classes };
}

/**
 * Accuracy and the macro means of the classes' precision, recall, F1 and ROC AUC; NaN for all on
 * an empty window.
 */
export function estimateFromMulticlassSums(sums: MulticlassCbpeSums): CbpeEstimate {
  const perClass = sums.classes.map(estimateFromSums);
  const mean = (metric: 'precision' | 'recall' | 'f1' | 'rocAuc'): number =>
    perClass.reduce((total, estimate) => total + estimate[metric], 0) / perClass.length;
  return {
    count: sums.count,
    accuracy: sums.count === 0 ? NaN : sums.correct / sums.count,
    precision: mean('precision'),
    recall: mean('recall'),
    f1: mean('f1'),
    rocAuc: mean('rocAuc'),
  };
}

const CALIBRATIONS = ['auto', 'isotonic', 'none'] as const;

/** One calibration per class, from one for all or a list of K. */
function requireCalibrations(
  calibration: CbpeCalibration | readonly CbpeCalibration[],
  classCount: number,
): CbpeCalibration[] {
  if (!Array.isArray(calibration)) {
    const each = option.oneOf(calibration, 'calibration', CALIBRATIONS);
    return new Array<CbpeCalibration>(classCount).fill(each);
  }
  const calibrations = calibration as readonly CbpeCalibration[];
  if (calibrations.length !== classCount) {
    throw new DriftError(
      'DW_DRIFT_INVALID_OPTION',
      `option calibration must be one calibration or ${classCount}, one per class, got ${calibrations.length}`,
    );
  }
  return calibrations.map((each, k) => option.oneOf(each, `calibration[${k}]`, CALIBRATIONS));
}

function requireClassCount(classCount: number): void {
  option.safeInteger(classCount, 'classCount');
  if (classCount < 3) {
    throw new DriftError(
      'DW_DRIFT_INVALID_OPTION',
      `option classCount must be at least 3 (for two classes use Cbpe), got ${classCount}`,
    );
  }
}

/** Checks a non-empty row-major table of finite numbers, K per row; returns its number of rows. */
function requireProbabilityRows(
  probabilities: readonly number[],
  classCount: number,
  what: string,
): number {
  const given: unknown = probabilities;
  if (
    !Array.isArray(given) ||
    probabilities.length === 0 ||
    probabilities.length % classCount !== 0
  ) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      `${what} must be a non-empty array of rows of ${classCount} probabilities, row-major, got ${Array.isArray(given) ? `${probabilities.length} values` : String(given)}`,
    );
  }
  probabilities.forEach((value, i) => requireFinite(value, `${what}[${i}]`));
  return probabilities.length / classCount;
}

export function requirePredictions(
  predictions: readonly number[],
  rows: number,
  classCount: number,
): readonly number[] {
  const given: unknown = predictions;
  if (!Array.isArray(given) || predictions.length !== rows) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      `predictions must be an array of one class per probability row (${rows}), got ${Array.isArray(given) ? predictions.length : String(given)}`,
    );
  }
  predictions.forEach((prediction, i) => {
    if (!Number.isInteger(prediction) || prediction < 0 || prediction >= classCount) {
      throw new DriftError(
        'DW_DRIFT_INVALID_INPUT',
        `predictions[${i}] must be a class index in [0, ${classCount}), got ${String(prediction)}`,
      );
    }
  });
  return predictions;
}

function requireProbability(value: number, what: string): number {
  if (!(value >= 0 && value <= 1)) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      `${what} must be a probability in [0, 1] when its class is not calibrated, got ${value}`,
    );
  }
  return value;
}

/** Column k of a row-major table with `width` columns. */
function column(table: readonly number[], width: number, k: number): number[] {
  const values = new Array<number>(table.length / width);
  for (let i = 0; i < values.length; i++) values[i] = table[i * width + k] as number;
  return values;
}

/** Each row's first class of highest probability. */
export function argmaxes(table: readonly number[], width: number): number[] {
  const best = new Array<number>(table.length / width);
  for (let i = 0; i < best.length; i++) {
    let k = 0;
    for (let j = 1; j < width; j++) {
      if ((table[i * width + j] as number) > (table[i * width + k] as number)) k = j;
    }
    best[i] = k;
  }
  return best;
}
