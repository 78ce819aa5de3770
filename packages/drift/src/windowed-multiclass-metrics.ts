import { DriftError, option } from './errors.js';
import type { JsonNumber } from './json-number.js';
import { RollingRocAuc } from './rolling-roc-auc.js';
import { StateReader } from './state-reader.js';

export interface MulticlassOutcome {
  /** The true class, once it is known: an index in `0 … classCount − 1`. */
  label: number;
  /** The class the model predicted, an index in `0 … classCount − 1` (need not be the argmax). */
  predicted: number;
  /** The model's probability of each class `0 … classCount − 1`: in [0, 1], summing to 1. */
  probabilities: ArrayLike<number>;
}

export interface WindowedMulticlassMetricsOptions {
  /** Number of most recent labeled predictions the metrics cover. Required. */
  window: number;
  /** Number of classes K ≥ 3; classes are the indices `0 … K − 1`. Required. */
  classCount: number;
}

/** Every metric of a {@link WindowedMulticlassMetrics} at one moment, as plain data. */
export interface MulticlassMetricsSnapshot {
  count: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number;
  classRecall: number[];
}

/**
 * The plain-JSON snapshot of a {@link WindowedMulticlassMetrics} (`toJSON`,
 * `WindowedMulticlassMetrics.fromJSON`): the options and the window's predictions, oldest first.
 */
export interface WindowedMulticlassMetricsState {
  window: number;
  classCount: number;
  /** One class index per prediction. */
  labels: number[];
  /** The predicted class index of each, in the same order. */
  predicted: number[];
  /** Row-major: prediction i's probability of class k at `i · classCount + k`. */
  probabilities: JsonNumber[];
}

/**
 * How far a row's sum may be from 1: scikit-learn's test `np.allclose(1, sum)`, which refuses
 * multiclass ROC AUC input beyond it. A float32 softmax row (off by ~1e-7) passes.
 */
const SUM_RELATIVE_TOLERANCE = 1e-5;
const SUM_ABSOLUTE_TOLERANCE = 1e-8;

/**
 * Accuracy, macro precision, recall and F1, one-vs-rest macro ROC AUC and per-class recall of a
 * K-class classifier (K ≥ 3) over its last `window` labeled predictions. An update costs O(K) for
 * the counts and O(K log window) for the ROC AUC; reading a macro metric or `classRecall` costs
 * O(K). Memory is allocated once, at construction: about 75·K bytes per slot of the window.
 *
 * The values equal scikit-learn's on the same window, with `y` the labels, `p` the predictions and
 * `P` the probability rows:
 * - `accuracy`: `accuracy_score(y, p)`.
 * - `precision`, `recall`, `f1`: `precision_recall_fscore_support(y, p, labels=range(K),
 *   average='macro', zero_division=0)`. The mean runs over all K classes `0 … K − 1`, always,
 *   whether or not a class occurs in the window (without `labels`, scikit-learn would average
 *   over the classes present instead): a class never predicted has precision 0, one that is never
 *   a label recall 0, one absent from both 0 for all three, and each still counts in the mean. So
 *   a class that stops occurring pulls the averages down rather than dropping out of them.
 * - `rocAuc`: `roc_auc_score(y, P, multi_class='ovr', average='macro', labels=range(K))`, the mean
 *   over the K classes of the ROC AUC of class k's probability against `label === k`, ties
 *   counting 1/2 ({@link RollingRocAuc}, one per class). It is NaN whenever some class has no
 *   positive or no negative in the window (no label of that class, or only labels of it):
 *   scikit-learn 1.9 then returns that class's AUC as NaN, with an `UndefinedMetricWarning`, and
 *   the mean of the K is NaN. No class is skipped. (Versions up to 1.5 raise instead.)
 * - `classRecall`: `recall_score(y, p, labels=range(K), average=None, zero_division=nan)`, K
 *   recalls, NaN for a class that is no label in the window.
 *
 * On an empty window, where scikit-learn raises, every metric is NaN (and `classRecall` all NaN).
 * NaN becomes `null` in JSON.
 *
 * `update` rejects (`DW_DRIFT_INVALID_INPUT`, leaving the state as it was) a label or prediction
 * that is not a class index, and a probability row that does not hold K numbers in [0, 1] summing
 * to 1 as `np.allclose(1, sum)` checks it (|1 − sum| ≤ 1e-8 + 1e-5·sum): scikit-learn refuses
 * such a row too. The prediction is taken as given, so a decision rule other than the argmax is
 * measured as it is.
 *
 * Options: `window` (required, positive integer), `classCount` (required, integer ≥ 3; for two
 * classes use {@link WindowedClassificationMetrics}).
 *
 * `toJSON()` snapshots the window as plain JSON ({@link WindowedMulticlassMetricsState});
 * `WindowedMulticlassMetrics.fromJSON` replays it to continue exactly as if it had never stopped.
 *
 * @example
 * ```ts
 * const random = mulberry32(7);
 * const metrics = new WindowedMulticlassMetrics({ window: 200, classCount: 3 });
 * for (let i = 0; i < 500; i++) {
 *   const label = Math.floor(random() * 3);
 *   const weights = [0, 1, 2].map((k) => 1 + Math.floor(random() * 4) + (k === label ? 2 : 0));
 *   const total = weights[0] + weights[1] + weights[2];
 *   const probabilities = weights.map((w) => w / total);
 *   const predicted = probabilities.indexOf(Math.max(...probabilities));
 *   metrics.update({ label, predicted, probabilities });
 * }
 * metrics.count; // => 200
 * metrics.accuracy; // => 0.815
 * metrics.precision; // => 0.8203007042610326
 * metrics.recall; // => 0.8037025260554672
 * metrics.f1; // => 0.8086926996143031
 * metrics.rocAuc; // => 0.9434465599026357
 * metrics.classRecall; // => [0.8918918918918919, 0.8133333333333334, 0.7058823529411765]
 * ```
 *
 * @see {@link WindowedClassificationMetrics} for two classes.
 * @see Fawcett (2006), "An introduction to ROC analysis", Pattern Recognition Letters 27: the
 * multiclass AUC as one-vs-rest ("class reference") AUCs.
 */
export class WindowedMulticlassMetrics {
  readonly window: number;
  readonly classCount: number;
  /** Class k's one-vs-rest AUC: `label === k` against the probability of k. */
  readonly #rocAucs: readonly RollingRocAuc[];
  /** The window's labels and predictions as ring buffers; `#next` is where the next goes. */
  readonly #labels: Uint32Array;
  readonly #predicted: Uint32Array;
  /** Per class: predictions of k labeled k, labels k, predictions k. */
  readonly #truePositives: Uint32Array;
  readonly #labelCounts: Uint32Array;
  readonly #predictedCounts: Uint32Array;
  #next = 0;
  #count = 0;
  #correct = 0;

  constructor({ window, classCount }: WindowedMulticlassMetricsOptions) {
    this.window = option.positiveInteger(window, 'window');
    this.classCount = option.safeInteger(classCount, 'classCount');
    if (classCount < 3) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option classCount must be an integer ≥ 3 (WindowedClassificationMetrics covers two classes), got ${classCount}`,
      );
    }
    this.#rocAucs = Array.from({ length: classCount }, () => new RollingRocAuc({ window }));
    this.#labels = new Uint32Array(window);
    this.#predicted = new Uint32Array(window);
    this.#truePositives = new Uint32Array(classCount);
    this.#labelCounts = new Uint32Array(classCount);
    this.#predictedCounts = new Uint32Array(classCount);
  }

  /** Number of labeled predictions in the window (at most `window`). */
  get count(): number {
    return this.#count;
  }

  /** Share of predictions equal to their label; NaN on an empty window. */
  get accuracy(): number {
    return this.#count === 0 ? NaN : this.#correct / this.#count;
  }

  /** Mean over the K classes of TP / (TP + FP), 0 for a class never predicted; NaN if empty. */
  get precision(): number {
    return this.#macro((k) =>
      ratio(this.#truePositives[k] as number, this.#predictedCounts[k] as number),
    );
  }

  /** Mean over the K classes of TP / (TP + FN), 0 for a class that is no label; NaN if empty. */
  get recall(): number {
    return this.#macro((k) =>
      ratio(this.#truePositives[k] as number, this.#labelCounts[k] as number),
    );
  }

  /** Mean over the K classes of 2·TP / (2·TP + FP + FN), 0 for an absent class; NaN if empty. */
  get f1(): number {
    return this.#macro((k) =>
      ratio(
        2 * (this.#truePositives[k] as number),
        (this.#labelCounts[k] as number) + (this.#predictedCounts[k] as number),
      ),
    );
  }

  /** Mean of the K one-vs-rest ROC AUCs; NaN while a class lacks a positive or a negative. */
  get rocAuc(): number {
    return this.#macro((k) => (this.#rocAucs[k] as RollingRocAuc).value);
  }

  /** Recall TP / (TP + FN) of each class `0 … K − 1`; NaN for a class that is no label. */
  get classRecall(): number[] {
    return Array.from({ length: this.classCount }, (_, k) => {
      const labels = this.#labelCounts[k] as number;
      return labels === 0 ? NaN : (this.#truePositives[k] as number) / labels;
    });
  }

  snapshot(): MulticlassMetricsSnapshot {
    return {
      count: this.count,
      accuracy: this.accuracy,
      precision: this.precision,
      recall: this.recall,
      f1: this.f1,
      rocAuc: this.rocAuc,
      classRecall: this.classRecall,
    };
  }

  /**
   * Revives the metrics from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`): the
   * window is replayed, oldest first, into fresh metrics.
   */
  static fromJSON(state: WindowedMulticlassMetricsState): WindowedMulticlassMetrics {
    const reader = new StateReader('WindowedMulticlassMetrics', state);
    const metrics = reader.build(
      () =>
        new WindowedMulticlassMetrics({
          window: reader.finite('window'),
          classCount: reader.finite('classCount'),
        }),
    );
    const { window, classCount } = metrics;
    const labels = reader.integers('labels', 0, classCount - 1);
    const predicted = reader.integers('predicted', 0, classCount - 1);
    const probabilities = reader.doubles('probabilities', true);
    reader.require(
      labels.length === predicted.length && labels.length <= window,
      `labels and predicted must have the same length, at most window (${window})`,
    );
    reader.require(
      probabilities.length === labels.length * classCount,
      `probabilities must hold labels.length × classCount = ${labels.length * classCount} values, got ${probabilities.length}`,
    );
    labels.forEach((label, i) => {
      const row = probabilities.slice(i * classCount, (i + 1) * classCount);
      const problem = probabilityRowProblem(row, classCount);
      reader.require(problem === undefined, `the probabilities of prediction ${i} ${problem}`);
      metrics.#record(label, predicted[i] as number, row);
    });
    return metrics;
  }

  /** The window as plain JSON (see {@link WindowedMulticlassMetricsState}), for `fromJSON`. */
  toJSON(): WindowedMulticlassMetricsState {
    const labels: number[] = [];
    const predicted: number[] = [];
    const oldest = this.#count === this.window ? this.#next : 0;
    for (let i = 0; i < this.#count; i++) {
      const slot = (oldest + i) % this.window;
      labels.push(this.#labels[slot] as number);
      predicted.push(this.#predicted[slot] as number);
    }
    // Each class's AUC holds its probabilities of the same predictions, in the same order.
    const columns = this.#rocAucs.map((auc) => auc.toJSON().scores);
    const probabilities: JsonNumber[] = [];
    for (let i = 0; i < this.#count; i++) {
      for (const column of columns) probabilities.push(column[i] as JsonNumber);
    }
    return { window: this.window, classCount: this.classCount, labels, predicted, probabilities };
  }

  update({ label, predicted, probabilities }: MulticlassOutcome): void {
    this.#requireClass(label, 'label');
    this.#requireClass(predicted, 'predicted');
    const problem = probabilityRowProblem(probabilities, this.classCount);
    if (problem !== undefined) {
      throw new DriftError('DW_DRIFT_INVALID_INPUT', `probabilities ${problem}`);
    }
    this.#record(label, predicted, probabilities);
  }

  #record(label: number, predicted: number, probabilities: ArrayLike<number>): void {
    if (this.#count === this.window) {
      this.#tally(this.#labels[this.#next] as number, this.#predicted[this.#next] as number, -1);
    } else {
      this.#count++;
    }
    this.#tally(label, predicted, 1);
    this.#labels[this.#next] = label;
    this.#predicted[this.#next] = predicted;
    this.#next = this.#next + 1 === this.window ? 0 : this.#next + 1;
    for (let k = 0; k < this.classCount; k++) {
      (this.#rocAucs[k] as RollingRocAuc).update(label === k, probabilities[k] as number);
    }
  }

  /** Adds (`sign` +1) or removes (−1) one prediction from the per-class counts. */
  #tally(label: number, predicted: number, sign: 1 | -1): void {
    this.#labelCounts[label] = (this.#labelCounts[label] as number) + sign;
    this.#predictedCounts[predicted] = (this.#predictedCounts[predicted] as number) + sign;
    if (label === predicted) {
      this.#truePositives[label] = (this.#truePositives[label] as number) + sign;
      this.#correct += sign;
    }
  }

  /** The mean of `perClass` over the K classes, summed in class order; NaN on an empty window. */
  #macro(perClass: (k: number) => number): number {
    if (this.#count === 0) return NaN;
    let sum = 0;
    for (let k = 0; k < this.classCount; k++) sum += perClass(k);
    return sum / this.classCount;
  }

  #requireClass(value: number, what: string): void {
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < 0 ||
      value >= this.classCount
    ) {
      throw new DriftError(
        'DW_DRIFT_INVALID_INPUT',
        `${what} must be a class index, an integer in [0, ${this.classCount - 1}], got ${String(value)}`,
      );
    }
  }
}

/** numerator / denominator, 0 when the denominator is (scikit-learn's `zero_division=0`). */
function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/** Why `row` is not K probabilities summing to 1 (by `np.allclose(1, sum)`), or undefined. */
function probabilityRowProblem(row: unknown, classCount: number): string | undefined {
  const length =
    typeof row === 'object' && row !== null && 'length' in row ? row.length : undefined;
  if (length !== classCount) {
    const got =
      length === undefined
        ? row === null
          ? 'null'
          : typeof row
        : `a length of ${JSON.stringify(length)}`;
    return `must hold classCount = ${classCount} numbers, got ${got}`;
  }
  const values = row as ArrayLike<unknown>;
  let sum = 0;
  for (let k = 0; k < classCount; k++) {
    const probability = values[k];
    if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
      return `must each be in [0, 1], got ${String(probability)} for class ${k}`;
    }
    sum += probability;
  }
  if (Math.abs(1 - sum) > SUM_ABSOLUTE_TOLERANCE + SUM_RELATIVE_TOLERANCE * sum) {
    return `must sum to 1, got ${sum}`;
  }
  return undefined;
}
