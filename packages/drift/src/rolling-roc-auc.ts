import { toJsonNumber, type JsonNumber } from './json-number.js';
import { ScoreRankTree } from './score-rank-tree.js';
import { StateReader } from './state-reader.js';
import { requireBinary, requireFinite } from './input-checks.js';
import { option } from './errors.js';

export interface RollingRocAucOptions {
  /** Number of most recent (label, score) pairs the AUC covers. Required. */
  window: number;
}

/** The plain-JSON snapshot of a {@link RollingRocAuc} (`toJSON`, `RollingRocAuc.fromJSON`). */
export interface RollingRocAucState {
  window: number;
  /** 1 where the pair's label is positive, 0 where negative; oldest first. */
  isPositive: (0 | 1)[];
  /** The pairs' scores, in the same order. */
  scores: JsonNumber[];
}

/**
 * Exact ROC AUC over the last `window` (label, score) pairs, updated in O(log window) per pair
 * instead of re-sorting the window.
 *
 * The AUC is the Mann–Whitney statistic: the share of (positive, negative) pairs in which the
 * positive scores higher, a tie counting 1/2, which is exactly the trapezoidal area under the ROC
 * curve that scikit-learn's `roc_auc_score` computes. Each class keeps its scores in a
 * {@link ScoreRankTree}; a pair entering or leaving the window adds or removes its wins against
 * the other class, two rank queries. The sum is kept doubled so the ties' halves stay integers
 * and the value is one exact division.
 *
 * `value` is NaN while the window holds only one class (or nothing): the AUC is undefined there.
 * Recent scikit-learn (1.9, which made the goldens) also returns NaN, with an
 * `UndefinedMetricWarning`; versions up to 1.5 raise.
 *
 * Options: `window` (required, positive integer).
 *
 * `toJSON()` snapshots the window's pairs as plain JSON ({@link RollingRocAucState});
 * `RollingRocAuc.fromJSON` replays them to continue exactly as if it had never stopped (the AUC
 * is a sum of integers, so the replay reaches the same value whatever the trees' shapes).
 *
 * @example
 * ```ts
 * const auc = new RollingRocAuc({ window: 4 });
 * auc.update(true, 0.9);
 * auc.update(false, 0.3);
 * auc.update(true, 0.3);
 * auc.value; // => 0.75
 * auc.update(false, 0.8);
 * auc.value; // => 0.625
 * auc.update(false, 0.1);
 * auc.count; // => 4
 * auc.value; // => 0.5
 * ```
 *
 * @see Brzezinski, Stefanowski (2017), "Prequential AUC: properties of the area under the ROC
 * curve for data streams with concept drift", Knowledge and Information Systems 52.
 * @see Mann, Whitney (1947), "On a test of whether one of two random variables is stochastically
 * larger than the other", Annals of Mathematical Statistics 18.
 */
export class RollingRocAuc {
  readonly window: number;
  readonly #positives: ScoreRankTree;
  readonly #negatives: ScoreRankTree;
  /** The window as a ring buffer; `#next` is where the next pair goes (and the oldest is). */
  readonly #scores: Float64Array;
  readonly #isPositive: Uint8Array;
  #next = 0;
  #count = 0;
  /** 2·U: twice the number of (positive, negative) pairs the positive wins, ties counting 1/2. */
  #twiceWins = 0;

  constructor({ window }: RollingRocAucOptions) {
    this.window = option.positiveInteger(window, 'window');
    this.#positives = new ScoreRankTree(window);
    this.#negatives = new ScoreRankTree(window);
    this.#scores = new Float64Array(window);
    this.#isPositive = new Uint8Array(window);
  }

  /** Number of pairs in the window. */
  get count(): number {
    return this.#count;
  }

  get positives(): number {
    return this.#positives.size;
  }

  get negatives(): number {
    return this.#negatives.size;
  }

  /** ROC AUC of the window; NaN while it lacks a positive or a negative. */
  get value(): number {
    const pairs = this.#positives.size * this.#negatives.size;
    return pairs === 0 ? NaN : this.#twiceWins / (2 * pairs);
  }

  /** Revives a RollingRocAuc from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`). */
  static fromJSON(state: RollingRocAucState): RollingRocAuc {
    const reader = new StateReader('RollingRocAuc', state);
    const auc = reader.build(() => new RollingRocAuc({ window: reader.finite('window') }));
    const isPositive = reader.integers('isPositive', 0, 1);
    const scores = reader.doubles('scores', true);
    reader.require(
      isPositive.length === scores.length && scores.length <= auc.window,
      `isPositive and scores must have the same length, at most window (${auc.window})`,
    );
    scores.forEach((score, i) => {
      auc.update(isPositive[i] === 1, score);
    });
    return auc;
  }

  /** The window's pairs as plain JSON (see {@link RollingRocAucState}), for `fromJSON`. */
  toJSON(): RollingRocAucState {
    const isPositive: (0 | 1)[] = [];
    const scores: JsonNumber[] = [];
    const oldest = this.#count === this.window ? this.#next : 0;
    for (let i = 0; i < this.#count; i++) {
      const slot = (oldest + i) % this.window;
      isPositive.push(this.#isPositive[slot] === 1 ? 1 : 0);
      scores.push(toJsonNumber(this.#scores[slot] as number));
    }
    return { window: this.window, isPositive, scores };
  }

  /** Adds one pair (the oldest leaves once the window is full). `score` is the positive-class score. */
  update(isPositive: boolean, score: number): void {
    const positive = requireBinary(isPositive, 'isPositive');
    requireFinite(score, 'score');
    if (this.#count === this.window) {
      this.#remove(this.#scores[this.#next] as number, this.#isPositive[this.#next] === 1);
    } else {
      this.#count++;
    }
    this.#add(score, positive === 1);
    this.#scores[this.#next] = score;
    this.#isPositive[this.#next] = positive;
    this.#next = this.#next + 1 === this.window ? 0 : this.#next + 1;
  }

  #add(score: number, positive: boolean): void {
    this.#twiceWins += this.#twiceWinsAgainstOtherClass(score, positive);
    (positive ? this.#positives : this.#negatives).insert(score);
  }

  #remove(score: number, positive: boolean): void {
    (positive ? this.#positives : this.#negatives).remove(score);
    this.#twiceWins -= this.#twiceWinsAgainstOtherClass(score, positive);
  }

  /**
   * For a positive: 2·#(negatives below) + #(negatives equal) = #below + #atOrBelow. For a
   * negative, the same count of positives above it: 2·P − #below − #atOrBelow.
   */
  #twiceWinsAgainstOtherClass(score: number, positive: boolean): number {
    if (positive) {
      return this.#negatives.countBelow(score) + this.#negatives.countAtOrBelow(score);
    }
    const positives = this.#positives;
    return 2 * positives.size - positives.countBelow(score) - positives.countAtOrBelow(score);
  }
}
