import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  BlockAccuracy,
  type BlockAccuracyResult,
  type BlockAccuracyState,
} from './block-accuracy.js';
import { mulberry32 } from './random.js';
import {
  assertRejectsStates,
  assertResumesExactly,
  splitPoints,
} from './testing/resume-exactly.js';
import { assertDriftError } from './testing/assert-drift-error.js';

function completedBlocks(
  blocks: BlockAccuracy,
  outcomes: Iterable<boolean>,
): BlockAccuracyResult[] {
  const results: BlockAccuracyResult[] = [];
  for (const correct of outcomes) {
    const result = blocks.update(correct);
    if (result) results.push(result);
  }
  return results;
}

/** 1000 outcomes, 90% correct, then 60% correct from outcome 600 on. */
function degradingStream(): boolean[] {
  const random = mulberry32(2013);
  return Array.from({ length: 1000 }, (_, index) => random() < (index < 600 ? 0.9 : 0.6));
}

describe('BlockAccuracy', () => {
  it('flags exactly the blocks after the drop', () => {
    const blocks = new BlockAccuracy({ blockSize: 100, threshold: 0.8 });
    const results = completedBlocks(blocks, degradingStream());
    assert.deepEqual(
      results.filter((block) => block.belowThreshold).map((block) => block.blockIndex),
      [6, 7, 8, 9],
    );
    assert.deepEqual(
      results.map((block) => block.blockIndex),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
  });

  it('reports each block as correct outcomes / blockSize', () => {
    const stream = degradingStream();
    const blocks = new BlockAccuracy({ blockSize: 37, threshold: 0.7 });
    const results = completedBlocks(blocks, stream);
    assert.equal(results.length, Math.floor(stream.length / 37));
    results.forEach((block, index) => {
      const correct = stream.slice(index * 37, (index + 1) * 37).filter(Boolean).length;
      assert.deepEqual(block, {
        blockIndex: index,
        accuracy: correct / 37,
        belowThreshold: correct / 37 < 0.7,
      });
    });
    assert.deepEqual(blocks.lastBlock, results.at(-1));
    assert.equal(blocks.completedBlocks, results.length);
  });

  it('returns undefined until a block completes, and keeps the last block between blocks', () => {
    const blocks = new BlockAccuracy({ blockSize: 3, threshold: 0.5 });
    assert.equal(blocks.lastBlock, undefined);
    assert.ok(Number.isNaN(blocks.accuracy));
    assert.equal(blocks.belowThreshold, false);
    assert.equal(blocks.update(false), undefined);
    assert.equal(blocks.update(false), undefined);
    assert.deepEqual(blocks.update(true), { blockIndex: 0, accuracy: 1 / 3, belowThreshold: true });
    assert.equal(blocks.update(true), undefined);
    assert.equal(blocks.accuracy, 1 / 3);
    assert.equal(blocks.belowThreshold, true);
  });

  it('flags strictly below the threshold: 0 never flags, 1 flags any error', () => {
    const atThreshold = new BlockAccuracy({ blockSize: 2, threshold: 0.5 });
    assert.equal(completedBlocks(atThreshold, [true, false])[0]?.belowThreshold, false);
    const never = new BlockAccuracy({ blockSize: 2, threshold: 0 });
    assert.equal(completedBlocks(never, [false, false])[0]?.belowThreshold, false);
    const strict = new BlockAccuracy({ blockSize: 4, threshold: 1 });
    assert.deepEqual(
      completedBlocks(strict, [true, true, true, true, true, true, false, true]).map(
        (block) => block.belowThreshold,
      ),
      [false, true],
    );
  });

  it('rejects invalid options and inputs', () => {
    for (const blockSize of [0, -1, 2.5, NaN]) {
      assertDriftError(
        'DW_DRIFT_INVALID_OPTION',
        () => new BlockAccuracy({ blockSize, threshold: 0.5 }),
      );
    }
    for (const threshold of [-0.1, 1.1, NaN, Infinity]) {
      assertDriftError(
        'DW_DRIFT_INVALID_OPTION',
        () => new BlockAccuracy({ blockSize: 10, threshold }),
      );
    }
    const blocks = new BlockAccuracy({ blockSize: 2, threshold: 0.5 });
    blocks.update(true);
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
      blocks.update('no' as unknown as boolean);
    });
    assert.deepEqual(blocks.update(false), { blockIndex: 0, accuracy: 0.5, belowThreshold: false });
  });
});

describe('BlockAccuracy snapshots', () => {
  const random = mulberry32(12);
  const outcomes = Array.from({ length: 600 }, (_, i) => random() < (i < 300 ? 0.9 : 0.6));

  for (const [blockSize, threshold] of [
    [1, 0.5],
    [7, 0.8],
    [50, 0.75],
  ] as const) {
    it(`resumes exactly with blocks of ${blockSize}, threshold ${threshold}, split anywhere`, () => {
      assertResumesExactly({
        create: () => new BlockAccuracy({ blockSize, threshold }),
        revive: (state) => BlockAccuracy.fromJSON(state),
        update: (blocks, correct: boolean) => blocks.update(correct),
        observe: (blocks) => [
          blocks.completedBlocks,
          blocks.accuracy,
          blocks.belowThreshold,
          blocks.lastBlock?.blockIndex,
          blocks.lastBlock?.accuracy,
        ],
        stream: outcomes,
        splits: splitPoints(outcomes.length, [blockSize, 2 * blockSize, 300, 301]),
      });
    });
  }

  it('keeps blockSize and threshold at the top level', () => {
    const blocks = new BlockAccuracy({ blockSize: 2, threshold: 0.75 });
    for (const correct of [true, false, true]) blocks.update(correct);
    assert.deepEqual(blocks.toJSON(), {
      blockSize: 2,
      threshold: 0.75,
      correctInBlock: 1,
      seenInBlock: 1,
      completedBlocks: 1,
      lastBlockCorrect: 1,
    });
    assert.deepEqual(
      new BlockAccuracy({ blockSize: 2, threshold: 0 }).toJSON().lastBlockCorrect,
      null,
    );
  });

  it('refuses malformed states with DW_DRIFT_INVALID_STATE', () => {
    const blocks = new BlockAccuracy({ blockSize: 4, threshold: 0.5 });
    for (const correct of [true, true, false, true, true]) blocks.update(correct);
    const state = blocks.toJSON();
    assertRejectsStates(
      'BlockAccuracy',
      (state) => BlockAccuracy.fromJSON(state as BlockAccuracyState),
      {
        'not an object': 'blocks',
        'threshold above 1': { ...state, threshold: 1.5 },
        'blockSize 0': { ...state, blockSize: 0 },
        'a full block pending': { ...state, seenInBlock: 4 },
        'more correct than seen': { ...state, correctInBlock: 2 },
        'lastBlockCorrect above blockSize': { ...state, lastBlockCorrect: 5 },
        'lastBlockCorrect missing after a block': { ...state, lastBlockCorrect: null },
        'lastBlockCorrect before any block': { ...state, completedBlocks: 0 },
        'completedBlocks negative': { ...state, completedBlocks: -1 },
      },
    );
  });
});
