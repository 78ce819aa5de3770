import { mulberry32, type Random } from './random.js';

/** Index 0 is the empty tree: its size is 0 and its children point back at itself. */
const NIL = 0;

/**
 * A multiset of finite scores, each carrying a weight, that answers "how many scores are below x,
 * and what do their weights add up to" in O(log n): the treap of {@link ScoreRankTree} with a
 * subtree weight sum beside each subtree size. {@link StreamingCbpe} keeps its window's scores
 * here, weighted by their calibrated probabilities, to update its ROC AUC estimate.
 *
 * A removal takes any one node of the score. Occurrences of one score may carry different weights
 * ({@link StreamingMulticlassCbpe}'s normalized probabilities differ between rows that tie on one
 * class): when the node taken holds another weight than the one removed, the difference moves to
 * another node of the score, so that the score's total weight, all a query reads, loses exactly
 * the weight removed.
 *
 * Subtree sums are adjusted by adding and subtracting along a path, so they carry rounding: about
 * one unit in the last place of the window's total per update. The caller re-sums what it derives
 * from them often enough that this never accumulates.
 *
 * @see Seidel, Aragon (1996), "Randomized search trees", Algorithmica 16.
 */
export class WeightedScoreTree {
  readonly capacity: number;
  #root = NIL;
  readonly #score: Float64Array;
  readonly #priority: Float64Array;
  readonly #left: Int32Array;
  readonly #right: Int32Array;
  readonly #size: Int32Array;
  readonly #weight: Float64Array;
  readonly #weightSum: Float64Array;
  /** Stack of unused node indices; `#free[0 .. #freeCount)` are free. */
  readonly #free: Int32Array;
  #freeCount: number;
  readonly #random: Random = mulberry32(0x5eed);
  /** Out-parameters of `#split`, so that the hot path allocates no tuples. */
  #splitBelow = NIL;
  #splitAtOrAbove = NIL;
  #queriedCount = 0;
  #queriedWeight = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    const nodes = capacity + 1;
    this.#score = new Float64Array(nodes);
    this.#priority = new Float64Array(nodes);
    this.#left = new Int32Array(nodes);
    this.#right = new Int32Array(nodes);
    this.#size = new Int32Array(nodes);
    this.#weight = new Float64Array(nodes);
    this.#weightSum = new Float64Array(nodes);
    this.#free = new Int32Array(capacity);
    for (let slot = 0; slot < capacity; slot++) this.#free[slot] = capacity - slot;
    this.#freeCount = capacity;
  }

  get size(): number {
    return this.#size[this.#root] ?? 0;
  }

  /** Sum of every weight in the tree. */
  get totalWeight(): number {
    return this.#weightSum[this.#root] ?? 0;
  }

  /**
   * Counts the scores strictly below `score` (or at or below it, with `inclusive`) and adds up
   * their weights; read them from {@link queriedCount} and {@link queriedWeight} (out-parameters, so
   * that the hot path allocates no pairs).
   */
  query(score: number, inclusive: boolean): void {
    let count = 0;
    let weight = 0;
    let node = this.#root;
    while (node !== NIL) {
      const key = this.#score[node] as number;
      if (key < score || (inclusive && key === score)) {
        const left = this.#left[node] as number;
        count += (this.#size[left] as number) + 1;
        weight += (this.#weightSum[left] as number) + (this.#weight[node] as number);
        node = this.#right[node] as number;
      } else {
        node = this.#left[node] as number;
      }
    }
    this.#queriedCount = count;
    this.#queriedWeight = weight;
  }

  /** The count of the last {@link query}. */
  get queriedCount(): number {
    return this.#queriedCount;
  }

  /** The weight sum of the last {@link query}. */
  get queriedWeight(): number {
    return this.#queriedWeight;
  }

  insert(score: number, weight: number): void {
    if (this.#freeCount === 0) {
      throw new RangeError(`WeightedScoreTree is full (${this.capacity})`);
    }
    const node = this.#free[--this.#freeCount] as number;
    const priority = this.#random();
    this.#score[node] = score;
    this.#priority[node] = priority;
    this.#weight[node] = weight;

    // Walk down while the path outranks the new node, counting it into every subtree it joins;
    // where it stops, the new node takes over that subtree, split around its score.
    let parent = NIL;
    let isLeftChild = false;
    let current = this.#root;
    while (current !== NIL && (this.#priority[current] as number) >= priority) {
      this.#size[current] = (this.#size[current] as number) + 1;
      this.#weightSum[current] = (this.#weightSum[current] as number) + weight;
      parent = current;
      isLeftChild = score < (this.#score[current] as number);
      current = (isLeftChild ? this.#left : this.#right)[current] as number;
    }
    this.#split(current, score);
    this.#left[node] = this.#splitBelow;
    this.#right[node] = this.#splitAtOrAbove;
    this.#updateSize(node);
    this.#attach(parent, isLeftChild, node);
  }

  /**
   * Removes one occurrence of `score`, which was inserted with `weight`; throws if there is none
   * (the caller lost track).
   */
  remove(score: number, weight: number): void {
    const node = this.#find(score);
    if (node === NIL) throw new RangeError(`WeightedScoreTree holds no ${score}`);
    const stored = this.#weight[node] as number;
    let parent = NIL;
    let isLeftChild = false;
    let current = this.#root;
    while (current !== node) {
      this.#size[current] = (this.#size[current] as number) - 1;
      this.#weightSum[current] = (this.#weightSum[current] as number) - stored;
      parent = current;
      isLeftChild = score < (this.#score[current] as number);
      current = (isLeftChild ? this.#left : this.#right)[current] as number;
    }
    const merged = this.#merge(this.#left[current] as number, this.#right[current] as number);
    this.#attach(parent, isLeftChild, merged);
    this.#free[this.#freeCount++] = current;
    // With no other node of the score left, the difference is rounding residue the caller's
    // re-sums drop (the weight it removes is the one it inserted).
    const other = stored === weight ? NIL : this.#find(score);
    if (other !== NIL) this.#addWeight(other, score, stored - weight);
  }

  /** The first node of `score` on its search path, or NIL. */
  #find(score: number): number {
    let node = this.#root;
    while (node !== NIL && this.#score[node] !== score) {
      node =
        score < (this.#score[node] as number)
          ? (this.#left[node] as number)
          : (this.#right[node] as number);
    }
    return node;
  }

  /** Adds `delta` to the weight of `node`, found at the end of `score`'s search path. */
  #addWeight(node: number, score: number, delta: number): void {
    let current = this.#root;
    for (;;) {
      this.#weightSum[current] = (this.#weightSum[current] as number) + delta;
      if (current === node) break;
      current =
        score < (this.#score[current] as number)
          ? (this.#left[current] as number)
          : (this.#right[current] as number);
    }
    this.#weight[node] = (this.#weight[node] as number) + delta;
  }

  /** Splits subtree `node` into scores below `score` and scores at or above it. */
  #split(node: number, score: number): void {
    if (node === NIL) {
      this.#splitBelow = NIL;
      this.#splitAtOrAbove = NIL;
      return;
    }
    if ((this.#score[node] as number) < score) {
      this.#split(this.#right[node] as number, score);
      this.#right[node] = this.#splitBelow;
      this.#splitBelow = node;
    } else {
      this.#split(this.#left[node] as number, score);
      this.#left[node] = this.#splitAtOrAbove;
      this.#splitAtOrAbove = node;
    }
    this.#updateSize(node);
  }

  /** Joins two treaps where every score in `low` is at or below every score in `high`. */
  #merge(low: number, high: number): number {
    if (low === NIL) return high;
    if (high === NIL) return low;
    if ((this.#priority[low] as number) > (this.#priority[high] as number)) {
      this.#right[low] = this.#merge(this.#right[low] as number, high);
      this.#updateSize(low);
      return low;
    }
    this.#left[high] = this.#merge(low, this.#left[high] as number);
    this.#updateSize(high);
    return high;
  }

  /** Makes `subtree` the root (under NIL) or the given child of `parent`. */
  #attach(parent: number, isLeftChild: boolean, subtree: number): void {
    if (parent === NIL) this.#root = subtree;
    else if (isLeftChild) this.#left[parent] = subtree;
    else this.#right[parent] = subtree;
  }

  #updateSize(node: number): void {
    const left = this.#left[node] as number;
    const right = this.#right[node] as number;
    this.#size[node] = 1 + (this.#size[left] as number) + (this.#size[right] as number);
    this.#weightSum[node] =
      (this.#weightSum[left] as number) +
      (this.#weight[node] as number) +
      (this.#weightSum[right] as number);
  }
}
