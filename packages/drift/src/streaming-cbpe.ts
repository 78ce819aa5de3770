import {
  Cbpe,
  emptyCbpeSums,
  estimateFromSums,
  type CbpeEstimate,
  type CbpeState,
  type CbpeSums,
} from './cbpe.js';
import { DriftError, option } from './errors.js';
import { requireFinite } from './input-checks.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { StateReader } from './state-reader.js';
import { WeightedScoreTree } from './weighted-score-tree.js';

export interface StreamingCbpeOptions {
  /** A fitted estimator. Required. */
  cbpe: Cbpe;
  /** Number of most recent scores the estimates cover. Required. */
  window: number;
}

/** The plain-JSON snapshot of a {@link StreamingCbpe} (`toJSON`, `StreamingCbpe.fromJSON`). */
export interface StreamingCbpeState {
  window: number;
  cbpe: CbpeState;
  /** The window's raw scores, oldest first. */
  scores: JsonNumber[];
}

/**
 * {@link Cbpe}'s estimates over the last `window` unlabeled scores, each update O(log window).
 *
 * The expected confusion counts are sums of per-score terms, so a score entering or leaving the
 * window adds or subtracts its own. The ROC AUC numerator Σᵢ (1 − pᵢ)(2·Hᵢ + Eᵢ) (see {@link Cbpe})
 * changes by 2(1 − q)·A + 2q·B + (2k + 1)·q(1 − q) when a score with probability q enters, where A
 * is the sum of p over scores above it, B the sum of 1 − p over scores below it and k the number
 * of equal scores already there; leaving is the same with the opposite sign. A and B are two
 * queries of a {@link WeightedScoreTree} of the window's scores weighted by p.
 *
 * Adding and subtracting leaves rounding behind, so every `window` updates the sums are recomputed
 * from the window (O(window log window), O(log window) amortized): the estimates stay within
 * rounding of `cbpe.estimate(window)` however long the stream. For the same reason `fromJSON`
 * revives the same window with estimates equal to a fresh computation, which can differ from the
 * snapshotted object's in the last bits (unlike the package's other snapshots, not bit for bit).
 *
 * Options: `cbpe` (required, a fitted {@link Cbpe}), `window` (required, positive integer).
 *
 * @example
 * ```ts
 * const cbpe = Cbpe.fromJSON({ threshold: 0.5, calibrator: null });
 * const streaming = new StreamingCbpe({ cbpe, window: 3 });
 * for (const score of [0.9, 0.2, 0.6, 0.6]) streaming.update(score);
 * streaming.count; // => 3
 * streaming.accuracy; // => 0.6666666666666666
 * streaming.precision; // => 0.6
 * streaming.rocAuc; // => 0.6785714285714286
 * ```
 */
export class StreamingCbpe {
  readonly window: number;
  readonly cbpe: Cbpe;
  readonly #tree: WeightedScoreTree;
  /** The window as a ring buffer of raw scores and their probabilities. */
  readonly #scores: Float64Array;
  readonly #probabilities: Float64Array;
  #next = 0;
  #updatesSinceResum = 0;
  readonly #sums: CbpeSums = emptyCbpeSums();

  constructor({ cbpe, window }: StreamingCbpeOptions) {
    if (!(cbpe instanceof Cbpe)) {
      throw new DriftError('DW_DRIFT_INVALID_OPTION', 'option cbpe must be a fitted Cbpe');
    }
    this.cbpe = cbpe;
    this.window = option.positiveInteger(window, 'window');
    this.#tree = new WeightedScoreTree(window);
    this.#scores = new Float64Array(window);
    this.#probabilities = new Float64Array(window);
  }

  /** Number of scores in the window (at most `window`). */
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
    return estimateFromSums(this.#sums);
  }

  update(score: number): void {
    requireFinite(score, 'score');
    const probability = this.cbpe.probability(score);
    if (this.#sums.count === this.window) {
      this.#remove(this.#scores[this.#next] as number, this.#probabilities[this.#next] as number);
    }
    this.#add(score, probability);
    this.#scores[this.#next] = score;
    this.#probabilities[this.#next] = probability;
    this.#next = this.#next + 1 === this.window ? 0 : this.#next + 1;
    if (++this.#updatesSinceResum === this.window) this.#resum();
  }

  /** Revives the estimator from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`). */
  static fromJSON(state: StreamingCbpeState): StreamingCbpe {
    const reader = new StateReader('StreamingCbpe', state);
    const cbpe = reader.build(() => Cbpe.fromJSON(reader.raw('cbpe') as CbpeState));
    const streaming = reader.build(
      () => new StreamingCbpe({ cbpe, window: reader.finite('window') }),
    );
    const scores = reader.doubles('scores', true);
    reader.require(
      scores.length <= streaming.window,
      `scores must hold at most window (${streaming.window}) scores, got ${scores.length}`,
    );
    reader.build(() => {
      for (const score of scores) streaming.update(score);
    });
    streaming.#resum();
    return streaming;
  }

  toJSON(): StreamingCbpeState {
    const scores: JsonNumber[] = [];
    const count = this.#sums.count;
    const oldest = count === this.window ? this.#next : 0;
    for (let i = 0; i < count; i++) {
      scores.push(toJsonNumber(this.#scores[(oldest + i) % this.window] as number));
    }
    return { window: this.window, cbpe: this.cbpe.toJSON(), scores };
  }

  #add(score: number, probability: number): void {
    this.#tally(score, probability, 1);
    this.#sums.twiceAreaTimesPairs += this.#twiceAreaChange(score, probability);
    this.#tree.insert(score, probability);
  }

  #remove(score: number, probability: number): void {
    this.#tree.remove(score, probability);
    this.#tally(score, probability, -1);
    this.#sums.twiceAreaTimesPairs -= this.#twiceAreaChange(score, probability);
  }

  #tally(score: number, probability: number, sign: 1 | -1): void {
    const sums = this.#sums;
    sums.count += sign;
    sums.positives += sign * probability;
    if (probability === 1) sums.certainPositives += sign;
    if (probability === 0) sums.certainNegatives += sign;
    if (this.cbpe.predicts(score)) {
      sums.predictedPositives += sign;
      sums.truePositives += sign * probability;
      sums.falsePositives += sign * (1 - probability);
    } else {
      sums.falseNegatives += sign * probability;
      sums.trueNegatives += sign * (1 - probability);
    }
  }

  /** What a score adds to the AUC numerator against the tree's other scores (see the class doc). */
  #twiceAreaChange(score: number, probability: number): number {
    const tree = this.#tree;
    tree.query(score, false);
    const countBelow = tree.queriedCount;
    const negativesBelow = countBelow - tree.queriedWeight;
    tree.query(score, true);
    const ties = tree.queriedCount - countBelow;
    const positivesAbove = tree.totalWeight - tree.queriedWeight;
    return (
      2 * (1 - probability) * positivesAbove +
      2 * probability * negativesBelow +
      (2 * ties + 1) * probability * (1 - probability)
    );
  }

  /** Recomputes every sum from the window, dropping the rounding that updates left behind. */
  #resum(): void {
    this.#updatesSinceResum = 0;
    const count = this.#sums.count;
    if (count === 0) return;
    const oldest = count === this.window ? this.#next : 0;
    const window: number[] = [];
    for (let i = 0; i < count; i++) window.push(this.#scores[(oldest + i) % this.window] as number);
    Object.assign(this.#sums, this.cbpe.sums(window));
  }
}
