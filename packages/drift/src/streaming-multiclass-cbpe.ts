import { emptyCbpeSums, type CbpeEstimate, type CbpeSums } from './cbpe.js';
import { DriftError, option } from './errors.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import {
  argmaxes,
  estimateFromMulticlassSums,
  multiclassSums,
  MulticlassCbpe,
  requirePredictions,
  type MulticlassCbpeState,
  type MulticlassCbpeSums,
} from './multiclass-cbpe.js';
import { StateReader } from './state-reader.js';
import { WeightedScoreTree } from './weighted-score-tree.js';

export interface StreamingMulticlassCbpeOptions {
  /** A fitted estimator. Required. */
  cbpe: MulticlassCbpe;
  /** Number of most recent probability rows the estimates cover. Required. */
  window: number;
}

/**
 * The plain-JSON snapshot of a {@link StreamingMulticlassCbpe} (`toJSON`,
 * `StreamingMulticlassCbpe.fromJSON`).
 */
export interface StreamingMulticlassCbpeState {
  window: number;
  cbpe: MulticlassCbpeState;
  /** The window's raw probability rows, row-major, oldest first. */
  probabilities: JsonNumber[];
  /** Their predicted classes. */
  predictions: number[];
}

/**
 * {@link MulticlassCbpe}'s estimates over the last `window` unlabeled probability rows, each update
 * O(K log window) for K classes.
 *
 * Each class keeps {@link StreamingCbpe}'s sums for its one-vs-rest view: the expected confusion
 * counts add and subtract a row's own terms, and the ROC AUC numerator (rows of equal raw score as
 * one diagonal step, see {@link MulticlassCbpe}) changes, when a row with normalized probability q
 * enters, by 2(1 − q)·A + 2q·B + (1 − q)·Pₜ + q·Nₜ + q(1 − q), where A is the sum of q over rows
 * scored above it, B the sum of 1 − q below, and Pₜ, Nₜ the sums of q and 1 − q over the rows
 * already at its score (unlike a binary window, tied rows can hold different q); leaving is the
 * same with the opposite sign. A, B, Pₜ and Nₜ come from a {@link WeightedScoreTree} per class.
 *
 * Every `window` updates the sums are recomputed from the window, dropping the rounding that
 * updates leave, so the estimates stay within rounding of `cbpe.estimate(window)`; `fromJSON`
 * revives the window with estimates equal to a fresh computation (see {@link StreamingCbpe}).
 *
 * Options: `cbpe` (required, a fitted {@link MulticlassCbpe}), `window` (required, positive
 * integer).
 *
 * @example
 * ```ts
 * const cbpe = MulticlassCbpe.fromJSON({ classCount: 3, calibrators: [null, null, null] });
 * const streaming = new StreamingMulticlassCbpe({ cbpe, window: 3 });
 * streaming.update([0.5, 0.3, 0.2]);
 * streaming.update([0.1, 0.1, 0.8]);
 * streaming.update([0.1, 0.5, 0.4], 2);
 * streaming.update([0.3, 0.3, 0.4]);
 * // The window: the last three rows, all predicted class 2.
 * streaming.count; // => 3
 * streaming.accuracy; // => 0.5333333333333333
 * streaming.precision; // => 0.17777777777777778
 * streaming.rocAuc; // => 0.6834038800705469
 * ```
 */
export class StreamingMulticlassCbpe {
  readonly window: number;
  readonly cbpe: MulticlassCbpe;
  readonly #classCount: number;
  readonly #trees: WeightedScoreTree[];
  /** The window as ring buffers: raw and normalized probability rows, predicted classes. */
  readonly #raw: Float64Array;
  readonly #calibrated: Float64Array;
  readonly #predicted: Uint32Array;
  #next = 0;
  #updatesSinceResum = 0;
  #sums: MulticlassCbpeSums;

  constructor({ cbpe, window }: StreamingMulticlassCbpeOptions) {
    if (!(cbpe instanceof MulticlassCbpe)) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        'option cbpe must be a fitted MulticlassCbpe',
      );
    }
    this.cbpe = cbpe;
    this.window = option.positiveInteger(window, 'window');
    const K = cbpe.classCount;
    this.#classCount = K;
    this.#trees = Array.from({ length: K }, () => new WeightedScoreTree(window));
    this.#raw = new Float64Array(window * K);
    this.#calibrated = new Float64Array(window * K);
    this.#predicted = new Uint32Array(window);
    this.#sums = { count: 0, correct: 0, classes: Array.from({ length: K }, emptyCbpeSums) };
  }

  /** Number of rows in the window (at most `window`). */
  get count(): number {
    return this.#sums.count;
  }

  get accuracy(): number {
    return this.estimate().accuracy;
  }

  get precision(): number {
    return this.estimate().precision;
  }

  get recall(): number {
    return this.estimate().recall;
  }

  get f1(): number {
    return this.estimate().f1;
  }

  get rocAuc(): number {
    return this.estimate().rocAuc;
  }

  /** All estimates at once; NaN on an empty window. */
  estimate(): CbpeEstimate {
    return estimateFromMulticlassSums(this.#sums);
  }

  /**
   * Adds one row of K raw probabilities and, if the model's decision is not their argmax, its
   * predicted class. A rejected row (`DW_DRIFT_INVALID_INPUT`) leaves the window as it was.
   */
  update(probabilities: readonly number[], prediction?: number): void {
    const K = this.#classCount;
    const calibrated = this.cbpe.calibrate(probabilities);
    if (calibrated.length !== K) {
      throw new DriftError(
        'DW_DRIFT_INVALID_INPUT',
        `probabilities must be one row of ${K} probabilities, got ${probabilities.length} values`,
      );
    }
    const predicted =
      prediction === undefined
        ? (argmaxes(probabilities, K)[0] as number)
        : (requirePredictions([prediction], 1, K)[0] as number);
    if (this.#sums.count === this.window) this.#remove(this.#next);
    for (let k = 0; k < K; k++) {
      this.#raw[this.#next * K + k] = probabilities[k] as number;
      this.#calibrated[this.#next * K + k] = calibrated[k] as number;
    }
    this.#predicted[this.#next] = predicted;
    this.#add(this.#next);
    this.#next = this.#next + 1 === this.window ? 0 : this.#next + 1;
    if (++this.#updatesSinceResum === this.window) this.#resum();
  }

  /** Revives the estimator from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`). */
  static fromJSON(state: StreamingMulticlassCbpeState): StreamingMulticlassCbpe {
    const reader = new StateReader('StreamingMulticlassCbpe', state);
    const cbpe = reader.build(() =>
      MulticlassCbpe.fromJSON(reader.raw('cbpe') as MulticlassCbpeState),
    );
    const streaming = reader.build(
      () => new StreamingMulticlassCbpe({ cbpe, window: reader.finite('window') }),
    );
    const K = cbpe.classCount;
    const probabilities = reader.doubles('probabilities', true);
    const predictions = reader.raw('predictions');
    reader.require(
      Array.isArray(predictions) &&
        predictions.length <= streaming.window &&
        probabilities.length === predictions.length * K,
      `predictions must hold at most window (${streaming.window}) classes, one per row of ${K} probabilities`,
    );
    reader.build(() => {
      (predictions as number[]).forEach((prediction, i) => {
        streaming.update(probabilities.slice(i * K, (i + 1) * K), prediction);
      });
    });
    streaming.#resum();
    return streaming;
  }

  toJSON(): StreamingMulticlassCbpeState {
    const K = this.#classCount;
    const probabilities: JsonNumber[] = [];
    const predictions: number[] = [];
    for (const slot of this.#slots()) {
      for (let k = 0; k < K; k++)
        probabilities.push(toJsonNumber(this.#raw[slot * K + k] as number));
      predictions.push(this.#predicted[slot] as number);
    }
    return { window: this.window, cbpe: this.cbpe.toJSON(), probabilities, predictions };
  }

  /** The ring buffer's occupied slots, oldest first. */
  #slots(): number[] {
    const count = this.#sums.count;
    const oldest = count === this.window ? this.#next : 0;
    return Array.from({ length: count }, (_, i) => (oldest + i) % this.window);
  }

  #add(slot: number): void {
    this.#tally(slot, 1);
    for (let k = 0; k < this.#classCount; k++) {
      const [score, q] = this.#entry(slot, k);
      const sums = this.#sums.classes[k] as CbpeSums;
      sums.twiceAreaTimesPairs += twiceAreaChange(this.#trees[k] as WeightedScoreTree, score, q);
      this.#trees[k]?.insert(score, q);
    }
  }

  #remove(slot: number): void {
    for (let k = 0; k < this.#classCount; k++) {
      const [score, q] = this.#entry(slot, k);
      const tree = this.#trees[k] as WeightedScoreTree;
      tree.remove(score, q);
      const sums = this.#sums.classes[k] as CbpeSums;
      sums.twiceAreaTimesPairs -= twiceAreaChange(tree, score, q);
    }
    this.#tally(slot, -1);
  }

  #entry(slot: number, k: number): [number, number] {
    const index = slot * this.#classCount + k;
    return [this.#raw[index] as number, this.#calibrated[index] as number];
  }

  /** The row's terms of every sum but the ROC numerators. */
  #tally(slot: number, sign: 1 | -1): void {
    const predicted = this.#predicted[slot] as number;
    this.#sums.count += sign;
    this.#sums.correct += sign * this.#entry(slot, predicted)[1];
    for (let k = 0; k < this.#classCount; k++) {
      const q = this.#entry(slot, k)[1];
      const sums = this.#sums.classes[k] as CbpeSums;
      sums.count += sign;
      sums.positives += sign * q;
      if (q === 1) sums.certainPositives += sign;
      if (q === 0) sums.certainNegatives += sign;
      if (predicted === k) {
        sums.predictedPositives += sign;
        sums.truePositives += sign * q;
        sums.falsePositives += sign * (1 - q);
      } else {
        sums.falseNegatives += sign * q;
        sums.trueNegatives += sign * (1 - q);
      }
    }
  }

  /** Recomputes every sum from the window, dropping the rounding that updates left behind. */
  #resum(): void {
    this.#updatesSinceResum = 0;
    if (this.#sums.count === 0) return;
    const K = this.#classCount;
    const raw: number[] = [];
    const calibrated: number[] = [];
    const predicted: number[] = [];
    for (const slot of this.#slots()) {
      for (let k = 0; k < K; k++) {
        raw.push(this.#raw[slot * K + k] as number);
        calibrated.push(this.#calibrated[slot * K + k] as number);
      }
      predicted.push(this.#predicted[slot] as number);
    }
    this.#sums = multiclassSums(raw, calibrated, predicted, K);
  }
}

/** What a row adds to a class's AUC numerator against the tree's other rows (see the class doc). */
function twiceAreaChange(tree: WeightedScoreTree, score: number, q: number): number {
  tree.query(score, false);
  const countBelow = tree.queriedCount;
  const weightBelow = tree.queriedWeight;
  tree.query(score, true);
  const tiedPositives = tree.queriedWeight - weightBelow;
  const tiedNegatives = tree.queriedCount - countBelow - tiedPositives;
  const positivesAbove = tree.totalWeight - tree.queriedWeight;
  const negativesBelow = countBelow - weightBelow;
  return (
    2 * (1 - q) * positivesAbove +
    2 * q * negativesBelow +
    (1 - q) * tiedPositives +
    q * tiedNegatives +
    q * (1 - q)
  );
}
