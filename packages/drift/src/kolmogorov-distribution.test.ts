import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { kolmogorovSurvival, smirnovSurvival } from './kolmogorov-distribution.js';

const goldens = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/drift/scipy/ks-goldens.json', import.meta.url),
    'utf8',
  ),
) as { kstwoSf: [number, number, number][]; smirnovSf: [number, number, number][] };

function assertClose(actual: number, expected: number, what: string): void {
  const tolerance = 1e-9 * Math.abs(expected) + 1e-300;
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: expected ${expected}, got ${actual}`,
  );
}

describe('kolmogorovSurvival equals scipy.stats.kstwo.sf', () => {
  it(`on ${goldens.kstwoSf.length} points across every method's regime`, () => {
    for (const [n, x, expected] of goldens.kstwoSf) {
      assertClose(kolmogorovSurvival(n, x), expected, `kstwo.sf(${x}, ${n})`);
    }
  });

  it('is 1 at x <= 0 and 0 at x >= 1', () => {
    assert.equal(kolmogorovSurvival(10, 0), 1);
    assert.equal(kolmogorovSurvival(10, 1), 0);
  });
});

describe('smirnovSurvival equals scipy.special.smirnov', () => {
  it(`on ${goldens.smirnovSf.length} points`, () => {
    for (const [n, x, expected] of goldens.smirnovSf) {
      assertClose(smirnovSurvival(n, x), expected, `smirnov(${n}, ${x})`);
    }
  });
});
