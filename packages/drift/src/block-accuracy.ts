import { DriftError } from './errors.js';
import { StateReader } from './state-reader.js';
import { requireBinary } from './input-checks.js';
import { option } from './errors.js';

export interface BlockAccuracyOptions {
  /** Outcomes per block. Required. */
  blockSize: number;
  /** A block whose accuracy is strictly below this, in [0, 1], is flagged. Required. */
  threshold: number;
}

/** One completed block of a {@link BlockAccuracy}. */
export interface BlockAccuracyResult {
  /** 0-based: block i holds outcomes i·blockSize … (i + 1)·blockSize − 1. */
  readonly blockIndex: number;
  readonly accuracy: number;
  /** `accuracy < threshold`. */
  readonly belowThreshold: boolean;
}

/** The plain-JSON snapshot of a {@link BlockAccuracy} (`toJSON`, `BlockAccuracy.fromJSON`). */
export interface BlockAccuracyState {
  blockSize: number;
  threshold: number;
  /** Correct outcomes in the block being filled. */
  correctInBlock: number;
  /** Outcomes in the block being filled (fewer than `blockSize`). */
  seenInBlock: number;
  completedBlocks: number;
  /** Correct outcomes in the last completed block; `null` before the first. */
  lastBlockCorrect: number | null;
}

/**
 * The rule "test accuracy per block of N predictions; flag a block whose accuracy falls below the
 * threshold": outcomes are cut into consecutive, non-overlapping blocks of `blockSize`, and each
 * block is judged once, when its last outcome arrives.
 *
 * `update` returns the block it completes, `undefined` otherwise. The getters describe the last
 * completed block: `accuracy` is NaN and `belowThreshold` false before the first one.
 *
 * Options: `blockSize` (required, positive integer), `threshold` (required, in [0, 1]; 0 never
 * flags, 1 flags any block with an error).
 *
 * `toJSON()` snapshots it as plain JSON ({@link BlockAccuracyState}); `BlockAccuracy.fromJSON`
 * revives it to continue exactly as if it had never stopped.
 *
 * @example
 * ```ts
 * const blocks = new BlockAccuracy({ blockSize: 4, threshold: 0.75 });
 * for (const correct of [true, true, false, true, true, false]) blocks.update(correct);
 * blocks.lastBlock; // => {"blockIndex":0,"accuracy":0.75,"belowThreshold":false}
 * blocks.update(false);
 * blocks.update(true); // => {"blockIndex":1,"accuracy":0.5,"belowThreshold":true}
 * blocks.belowThreshold; // => true
 * blocks.completedBlocks; // => 2
 * ```
 */
export class BlockAccuracy {
  readonly blockSize: number;
  readonly threshold: number;
  #correctInBlock = 0;
  #seenInBlock = 0;
  #completedBlocks = 0;
  #lastBlock: BlockAccuracyResult | undefined;
  /** Correct outcomes of the last completed block, for the snapshot. */
  #lastBlockCorrect = 0;

  constructor({ blockSize, threshold }: BlockAccuracyOptions) {
    this.blockSize = option.positiveInteger(blockSize, 'blockSize');
    option.finite(threshold, 'threshold');
    if (threshold < 0 || threshold > 1) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option threshold must be in [0, 1], got ${threshold}`,
      );
    }
    this.threshold = threshold;
  }

  /** The last completed block, or `undefined` before the first. */
  get lastBlock(): BlockAccuracyResult | undefined {
    return this.#lastBlock;
  }

  get completedBlocks(): number {
    return this.#completedBlocks;
  }

  /** Accuracy of the last completed block; NaN before the first. */
  get accuracy(): number {
    return this.#lastBlock?.accuracy ?? NaN;
  }

  /** Whether the last completed block fell below the threshold; false before the first. */
  get belowThreshold(): boolean {
    return this.#lastBlock?.belowThreshold ?? false;
  }

  /** Revives a BlockAccuracy from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`). */
  static fromJSON(state: BlockAccuracyState): BlockAccuracy {
    const reader = new StateReader('BlockAccuracy', state);
    const blocks = reader.build(
      () =>
        new BlockAccuracy({
          blockSize: reader.finite('blockSize'),
          threshold: reader.finite('threshold'),
        }),
    );
    const seenInBlock = reader.integer('seenInBlock', 0, blocks.blockSize - 1);
    const correctInBlock = reader.integer('correctInBlock', 0, seenInBlock);
    const completedBlocks = reader.integer('completedBlocks');
    const lastBlockCorrect =
      reader.raw('lastBlockCorrect') === null
        ? null
        : reader.integer('lastBlockCorrect', 0, blocks.blockSize);
    reader.require(
      (lastBlockCorrect === null) === (completedBlocks === 0),
      'lastBlockCorrect must be null exactly when no block is completed',
    );
    blocks.#seenInBlock = seenInBlock;
    blocks.#correctInBlock = correctInBlock;
    blocks.#completedBlocks = completedBlocks;
    if (lastBlockCorrect !== null) blocks.#completeBlock(lastBlockCorrect, completedBlocks - 1);
    return blocks;
  }

  /** The whole state as plain JSON (see {@link BlockAccuracyState}), for `BlockAccuracy.fromJSON`. */
  toJSON(): BlockAccuracyState {
    return {
      blockSize: this.blockSize,
      threshold: this.threshold,
      correctInBlock: this.#correctInBlock,
      seenInBlock: this.#seenInBlock,
      completedBlocks: this.#completedBlocks,
      lastBlockCorrect: this.#lastBlock === undefined ? null : this.#lastBlockCorrect,
    };
  }

  update(correct: boolean): BlockAccuracyResult | undefined {
    this.#correctInBlock += requireBinary(correct, 'correct');
    if (++this.#seenInBlock < this.blockSize) return undefined;

    const block = this.#completeBlock(this.#correctInBlock, this.#completedBlocks++);
    this.#correctInBlock = 0;
    this.#seenInBlock = 0;
    return block;
  }

  #completeBlock(correct: number, blockIndex: number): BlockAccuracyResult {
    const accuracy = correct / this.blockSize;
    this.#lastBlockCorrect = correct;
    this.#lastBlock = { blockIndex, accuracy, belowThreshold: accuracy < this.threshold };
    return this.#lastBlock;
  }
}
