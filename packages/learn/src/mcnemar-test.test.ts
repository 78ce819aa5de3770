import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { mulberry32 } from '@driftwatch/drift';

import { LearnError } from './errors.js';
import { mcnemarTest } from './mcnemar-test.js';

interface Outcome {
  statistic: number | null;
  pValue: number | null;
}

/** Written by test/fixtures/learn/generate_learn_goldens.py; never edit by hand. */
interface McNemarGolden {
  b: number;
  c: number;
  exact: Outcome;
  chiSquareCorrected: Outcome;
  chiSquare: Outcome;
}

const goldens = (
  JSON.parse(
    readFileSync(new URL('../../../test/fixtures/learn/mcnemar.json', import.meta.url), 'utf8'),
  ) as { cases: McNemarGolden[] }
).cases;

/** Paired correctness with the given disagreements, agreements around them, in seeded order. */
function pairs(b: number, c: number, seed: number): { champion: boolean[]; challenger: boolean[] } {
  const cells: [boolean, boolean][] = [
    ...Array.from({ length: b }, (): [boolean, boolean] => [true, false]),
    ...Array.from({ length: c }, (): [boolean, boolean] => [false, true]),
    ...Array.from({ length: 37 }, (): [boolean, boolean] => [true, true]),
    ...Array.from({ length: 11 }, (): [boolean, boolean] => [false, false]),
  ];
  const random = mulberry32(seed);
  for (let i = cells.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [cells[i], cells[j]] = [cells[j]!, cells[i]!];
  }
  return { champion: cells.map(([a]) => a), challenger: cells.map(([, d]) => d) };
}

function assertRelativelyClose(
  actual: number,
  expected: number,
  tolerance: number,
  what: string,
): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.abs(expected) || actual === expected,
    `${what}: ${actual} vs ${expected}`,
  );
}

describe('mcnemarTest', () => {
  it('has golden cases to check', () => {
    assert.ok(goldens.length >= 10);
  });

  for (const golden of goldens) {
    it(`equals statsmodels for b=${golden.b}, c=${golden.c}`, () => {
      const { champion, challenger } = pairs(golden.b, golden.c, golden.b * 1000 + golden.c);
      const variants = [
        ['exact', {}, golden.exact],
        ['chi-square corrected', { exact: false }, golden.chiSquareCorrected],
        ['chi-square', { exact: false, correction: false }, golden.chiSquare],
      ] as const;
      for (const [name, options, expected] of variants) {
        const result = mcnemarTest(champion, challenger, options);
        assert.equal(result.b, golden.b);
        assert.equal(result.c, golden.c);
        if (name !== 'exact' && golden.b + golden.c === 0) {
          // statsmodels divides 0 by 0 here; no disagreement is no evidence.
          assert.deepEqual(
            { statistic: result.statistic, pValue: result.pValue },
            { statistic: 0, pValue: 1 },
          );
          continue;
        }
        assertRelativelyClose(result.statistic, expected.statistic!, 1e-12, `${name} statistic`);
        assertRelativelyClose(result.pValue, expected.pValue!, 1e-10, `${name} p-value`);
      }
    });
  }

  it('is symmetric in the two models', () => {
    const { champion, challenger } = pairs(12, 30, 1);
    const forward = mcnemarTest(champion, challenger);
    const backward = mcnemarTest(challenger, champion);
    assert.equal(forward.pValue, backward.pValue);
    assert.deepEqual([backward.b, backward.c], [forward.c, forward.b]);
  });

  it('accepts 0/1 as well as booleans', () => {
    assert.deepEqual(
      mcnemarTest([1, 0, 1, 1], [0, 1, 1, 0]),
      mcnemarTest([true, false, true, true], [false, true, true, false]),
    );
  });

  it('rejects invalid input', () => {
    assert.throws(
      () => mcnemarTest([true], [true, false]),
      (error: unknown) => error instanceof LearnError && error.code === 'DW_LEARN_INVALID_INPUT',
    );
    assert.throws(
      () => mcnemarTest([2], [1]),
      (error: unknown) => error instanceof LearnError && /championCorrect\[0\]/.test(error.message),
    );
    assert.throws(
      () => mcnemarTest([1], [1], { exact: 'yes' as unknown as boolean }),
      (error: unknown) => error instanceof LearnError && error.code === 'DW_LEARN_INVALID_OPTION',
    );
  });
});
