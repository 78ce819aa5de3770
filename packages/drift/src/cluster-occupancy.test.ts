import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ClusterOccupancy } from './cluster-occupancy.js';
import { DriftError } from './errors.js';
import { psi } from './psi.js';
import { mulberry32 } from './random.js';

/** A cluster index drawn with the given shares. */
function draw(shares: readonly number[], random: () => number): number {
  let u = random();
  for (const [i, share] of shares.entries()) {
    if ((u -= share) < 0) return i;
  }
  return shares.length - 1;
}

describe('ClusterOccupancy', () => {
  it("compares each tumbling window's shares with the reference by PSI and Pearson's chi-square", () => {
    const occupancy = new ClusterOccupancy([0.5, 0.3, 0.2], { window: 10 });
    const rows = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2];
    const results = rows.map((cluster) => occupancy.add(cluster));
    assert.deepEqual(results.slice(0, 9), Array(9).fill(null));
    const window = results[9];
    assert.ok(window);
    assert.deepEqual(window.shares, [0.6, 0.3, 0.1]);
    assert.equal(window.psi, psi([0.5, 0.3, 0.2], [0.6, 0.3, 0.1]));
    // (6 − 5)²/5 + (3 − 3)²/3 + (1 − 2)²/2
    assert.ok(Math.abs(window.chiSquare - 0.7) < 1e-12);
    assert.equal(window.degreesOfFreedom, 2);
    assert.equal(window.critical, 9.21, "the table's 2-degree critical value at 0.01");
    assert.equal(window.rejected, false);
    assert.equal(occupancy.filled, 0, 'the next window starts empty');
  });

  it('rejects a window whose rows moved to a cluster that was rare, and leaves out clusters the reference never filled', () => {
    const occupancy = new ClusterOccupancy([0.45, 0.45, 0.1, 0], { window: 100 });
    let window = null;
    for (let i = 0; i < 100; i++) window = occupancy.add(i < 50 ? 2 : i % 2);
    assert.ok(window);
    assert.equal(window.degreesOfFreedom, 2, 'three clusters with a reference share');
    assert.equal(window.rejected, true);
    assert.ok(window.psi > 0.5);
  });

  it('rejects stationary windows about as often as its level, with a large reference', () => {
    const shares = Array.from({ length: 20 }, () => 1 / 20);
    const occupancy = new ClusterOccupancy(shares, { window: 1_000, level: 0.05 });
    const random = mulberry32(11);
    let windows = 0;
    let rejected = 0;
    while (windows < 400) {
      const window = occupancy.add(draw(shares, random));
      if (!window) continue;
      windows++;
      if (window.rejected) rejected++;
      assert.ok(window.psi < 0.1, `stationary PSI ${window.psi}`);
    }
    // Binomial(400, 0.05): mean 20, sd 4.4; 5 sd either side.
    assert.ok(rejected >= 0 && rejected <= 42, `${rejected} of 400 rejected`);
  });

  it('with the reference rows, tests two samples: a small reference is not held to shares it only estimated', () => {
    // 2×3 table: reference 100 rows (50, 30, 20), window 10 rows (6, 3, 1).
    const occupancy = new ClusterOccupancy([0.5, 0.3, 0.2], { window: 10, referenceRows: 100 });
    let window = null;
    for (const cluster of [0, 0, 0, 0, 0, 0, 1, 1, 1, 2]) window = occupancy.add(cluster);
    assert.ok(window);
    const pooled = [56 / 110, 33 / 110, 21 / 110];
    const expected = pooled.reduce(
      (sum, p, i) =>
        sum +
        ([50, 30, 20][i]! - 100 * p) ** 2 / (100 * p) +
        ([6, 3, 1][i]! - 10 * p) ** 2 / (10 * p),
      0,
    );
    assert.ok(Math.abs(window.chiSquare - expected) < 1e-12);
    assert.equal(window.degreesOfFreedom, 2);

    // Reference shares estimated from 1,000 rows, windows of 1,000 drawn from the truth: the
    // one-sample test rejects far more often than its level, the two-sample one about at it.
    const truth = Array.from({ length: 10 }, () => 0.1);
    const random = mulberry32(21);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 1_000; i++) counts[draw(truth, random)]!++;
    const estimated = counts.map((count) => count / 1_000);
    const oneSample = new ClusterOccupancy(estimated, { window: 1_000, level: 0.05 });
    const twoSample = new ClusterOccupancy(estimated, {
      window: 1_000,
      level: 0.05,
      referenceRows: 1_000,
    });
    let rejectedOne = 0;
    let rejectedTwo = 0;
    for (let windows = 0; windows < 300;) {
      const cluster = draw(truth, random);
      const one = oneSample.add(cluster);
      const two = twoSample.add(cluster);
      if (!one || !two) continue;
      windows++;
      if (one.rejected) rejectedOne++;
      if (two.rejected) rejectedTwo++;
    }
    assert.ok(rejectedTwo <= 35, `two-sample: ${rejectedTwo} of 300 at level 0.05`);
    assert.ok(rejectedOne > rejectedTwo, `one-sample ${rejectedOne} vs two-sample ${rejectedTwo}`);
  });

  it('uses the next listed degrees where the table skips some, and none past its end', () => {
    const wide = new ClusterOccupancy(
      Array.from({ length: 36 }, () => 1 / 36),
      { window: 36 },
    );
    let window = null;
    for (let i = 0; i < 36; i++) window = wide.add(i);
    assert.ok(window);
    assert.equal(window.degreesOfFreedom, 35);
    assert.equal(window.critical, 63.69, 'the 40-degree row at 0.01');
    const tooWide = new ClusterOccupancy(
      Array.from({ length: 120 }, () => 1 / 120),
      { window: 2 },
    );
    tooWide.add(0);
    const last = tooWide.add(1);
    assert.ok(last);
    assert.equal(last.critical, null);
    assert.equal(last.rejected, false);
  });

  it('continues from a snapshot exactly, and refuses a bad one or a bad cluster', () => {
    const random = mulberry32(3);
    const shares = [0.2, 0.3, 0.5];
    const whole = new ClusterOccupancy(shares, { window: 50 });
    const first = new ClusterOccupancy(shares, { window: 50 });
    const rows = Array.from({ length: 130 }, () => draw(shares, random));
    rows.slice(0, 77).forEach((cluster) => {
      whole.add(cluster);
      first.add(cluster);
    });
    const resumed = new ClusterOccupancy(
      shares,
      { window: 50 },
      JSON.parse(JSON.stringify(first.toJSON())) as ReturnType<typeof first.toJSON>,
    );
    for (const cluster of rows.slice(77))
      assert.deepEqual(resumed.add(cluster), whole.add(cluster));
    assert.throws(
      () => new ClusterOccupancy(shares, { window: 50 }, { ...first.toJSON(), filled: 3 }),
      (error: unknown) => error instanceof DriftError && error.code === 'DW_DRIFT_INVALID_STATE',
    );
    assert.throws(
      () => whole.add(3),
      (error: unknown) => error instanceof DriftError && error.code === 'DW_DRIFT_INVALID_INPUT',
    );
    assert.throws(
      () => new ClusterOccupancy([0.5, 0.6], { window: 5 }),
      (error: unknown) => error instanceof DriftError && error.code === 'DW_DRIFT_INVALID_INPUT',
    );
  });
});
