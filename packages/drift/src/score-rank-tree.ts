import { mulberry32, type Random } from './random.js';

/** Index 0 is the empty tree: its size is 0 and its children point back at itself. */
const NIL = 0;

/**
 * A multiset of finite scores that answers "how many are below x" in O(log n): a treap (a binary
 * search tree kept balanced by random heap priorities) whose nodes carry subtree sizes, laid out
 * in typed arrays of fixed capacity so that a sliding window never allocates after construction.
 *
 * Insert, remove and both rank queries are O(log n) expected. Equal scores are separate nodes; a
 * removal takes any one of them, since the multiset cannot tell them apart.
 *
 * The priorities only shape the tree, never an answer, so they come from a generator with a fixed
 * seed: every run builds the same tree. Array reads are cast `as number` rather than checked: the
 * indices are node numbers this class handed out, and a checking helper cost a third of the
 * throughput.
 *
 * @see Seidel, Aragon (1996), "Randomized search trees", Algorithmica 16.
 */
export class ScoreRankTree {
  readonly capacity: number;
  #root = NIL;
  readonly #score: Float64Array;
  readonly #priority: Float64Array;
  readonly #left: Int32Array;
  readonly #right: Int32Array;
  readonly #size: Int32Array;
  /** Stack of unused node indices; `#free[0 .. #freeCount)` are free. */
  readonly #free: Int32Array;
  #freeCount: number;
  readonly #random: Random = mulberry32(0x5eed);
  /** Out-parameters of `#split`, so that the hot path allocates no tuples. */
  #splitBelow = NIL;
  #splitAtOrAbove = NIL;

  constructor(capacity: number) {
    this.capacity = capacity;
    const nodes = capacity + 1;
    this.#score = new Float64Array(nodes);
    this.#priority = new Float64Array(nodes);
    this.#left = new Int32Array(nodes);
    this.#right = new Int32Array(nodes);
    this.#size = new Int32Array(nodes);
    this.#free = new Int32Array(capacity);
    for (let slot = 0; slot < capacity; slot++) this.#free[slot] = capacity - slot;
    this.#freeCount = capacity;
  }

  get size(): number {
    return this.#size[this.#root] ?? 0;
  }

  /** Number of scores strictly below `score`. */
  countBelow(score: number): number {
    let count = 0;
    let node = this.#root;
    while (node !== NIL) {
      if ((this.#score[node] as number) < score) {
        count += (this.#size[this.#left[node] as number] as number) + 1;
        node = this.#right[node] as number;
      } else {
        node = this.#left[node] as number;
      }
    }
    return count;
  }

  /** Number of scores below or equal to `score`. */
  countAtOrBelow(score: number): number {
    let count = 0;
    let node = this.#root;
    while (node !== NIL) {
      if ((this.#score[node] as number) <= score) {
        count += (this.#size[this.#left[node] as number] as number) + 1;
        node = this.#right[node] as number;
      } else {
        node = this.#left[node] as number;
      }
    }
    return count;
  }

  insert(score: number): void {
    if (this.#freeCount === 0) throw new RangeError(`ScoreRankTree is full (${this.capacity})`);
    const node = this.#free[--this.#freeCount] as number;
    const priority = this.#random();
    this.#score[node] = score;
    this.#priority[node] = priority;

    // Walk down while the path outranks the new node, counting it into every subtree it joins;
    // where it stops, the new node takes over that subtree, split around its score.
    let parent = NIL;
    let isLeftChild = false;
    let current = this.#root;
    while (current !== NIL && (this.#priority[current] as number) >= priority) {
      this.#size[current] = (this.#size[current] as number) + 1;
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

  /** Removes one occurrence of `score`; throws if there is none (the caller lost track). */
  remove(score: number): void {
    let parent = NIL;
    let isLeftChild = false;
    let current = this.#root;
    for (;;) {
      if (current === NIL) {
        this.#undoRemovalCounts(score);
        throw new RangeError(`ScoreRankTree holds no ${score}`);
      }
      const key = this.#score[current] as number;
      if (key === score) break;
      this.#size[current] = (this.#size[current] as number) - 1;
      parent = current;
      isLeftChild = score < key;
      current = (isLeftChild ? this.#left : this.#right)[current] as number;
    }
    const merged = this.#merge(this.#left[current] as number, this.#right[current] as number);
    this.#attach(parent, isLeftChild, merged);
    this.#free[this.#freeCount++] = current;
  }

  /** A failed removal walked one path decrementing sizes; walking it again puts them back. */
  #undoRemovalCounts(score: number): void {
    for (let node = this.#root; node !== NIL;) {
      this.#size[node] = (this.#size[node] as number) + 1;
      node =
        score < (this.#score[node] as number)
          ? (this.#left[node] as number)
          : (this.#right[node] as number);
    }
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
    this.#size[node] =
      1 +
      (this.#size[this.#left[node] as number] as number) +
      (this.#size[this.#right[node] as number] as number);
  }
}
