import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { DriftError } from './errors.js';
import { ksTwoSample, type KsMethod } from './ks-two-sample.js';
import { sampleFromSpec, type SampleSpec } from './testing/sample-spec.js';

interface KsGolden {
  name: string;
  a: SampleSpec;
  b: SampleSpec;
  method: KsMethod;
  statistic: number;
  pValue: number;
  usedMethod: 'exact' | 'asymptotic';
}

const goldens = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/drift/scipy/ks-goldens.json', import.meta.url),
    'utf8',
  ),
) as { ks2samp: KsGolden[] };

/** |actual − expected| ≤ 1e-9 relative, or 1e-300 absolute for p-values that underflow. */
function assertClose(actual: number, expected: number, what: string): void {
  const tolerance = 1e-9 * Math.abs(expected) + 1e-300;
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: expected ${expected}, got ${actual} (diff ${Math.abs(actual - expected)})`,
  );
}

describe('ksTwoSample', () => {
  describe('equals scipy.stats.ks_2samp', () => {
    for (const golden of goldens.ks2samp) {
      it(`${golden.name} (${golden.usedMethod})`, () => {
        const result = ksTwoSample(sampleFromSpec(golden.a), sampleFromSpec(golden.b), {
          method: golden.method,
        });
        assertClose(result.statistic, golden.statistic, 'statistic');
        assertClose(result.pValue, golden.pValue, 'pValue');
        assert.equal(result.method, golden.usedMethod);
      });
    }
  });

  it('is symmetric in its samples', () => {
    const a = sampleFromSpec({ seed: 1, length: 37, mean: 0, std: 1 });
    const b = sampleFromSpec({ seed: 2, length: 53, mean: 0.4, std: 1 });
    assert.deepEqual(ksTwoSample(a, b), ksTwoSample(b, a));
  });

  it('does not depend on the order of the values', () => {
    const a = [3, 1, 2, 5, 4];
    const b = [0.5, 2.5, 4.5, 1.5];
    assert.deepEqual(ksTwoSample(a, b), ksTwoSample([...a].sort(), [...b].reverse()));
  });

  it('gives D = 0 and p = 1 on identical samples', () => {
    const sample = sampleFromSpec({ seed: 3, length: 200, mean: 0, std: 1 });
    assert.deepEqual(ksTwoSample(sample, sample), { statistic: 0, pValue: 1, method: 'exact' });
  });

  it('accepts typed arrays and leaves its inputs unsorted', () => {
    const a = new Float64Array([3, 1, 2]);
    const result = ksTwoSample(a, [10, 11]);
    assert.deepEqual([...a], [3, 1, 2]);
    assert.equal(result.statistic, 1);
  });

  it('rejects empty samples, non-finite values and unknown methods', () => {
    const code = (code: string) => (error: unknown) =>
      error instanceof DriftError && error.code === code;
    assert.throws(() => ksTwoSample([], [1]), code('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => ksTwoSample([1], []), code('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => ksTwoSample([1, NaN], [1]), code('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => ksTwoSample([1], [Infinity]), code('DW_DRIFT_INVALID_INPUT'));
    assert.throws(
      () => ksTwoSample([1], [2], { method: 'bootstrap' as KsMethod }),
      code('DW_DRIFT_INVALID_OPTION'),
    );
  });
});
