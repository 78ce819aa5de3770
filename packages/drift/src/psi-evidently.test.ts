import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { sturgesEdges } from './binning.js';
import { DriftError } from './errors.js';
import { psiEvidently } from './psi-evidently.js';
import { sampleFromSpec, type SampleSpec } from './testing/sample-spec.js';

interface SampleGolden {
  name: string;
  reference: SampleSpec;
  current: SampleSpec;
  featureType: 'numerical' | 'categorical';
  referenceDistinct: number;
  bins: number;
  psi: number;
}

const goldens = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/drift/evidently/psi-goldens.json', import.meta.url),
    'utf8',
  ),
) as { samples: SampleGolden[] };

const labels = (values: number[]): string[] => values.map((value) => `c${Math.floor(value)}`);

const invalid = (code: string) => (error: unknown) =>
  error instanceof DriftError && error.code === code;

describe('psiEvidently', () => {
  describe("equals Evidently's PSI drift score on the same two samples", () => {
    for (const golden of goldens.samples) {
      it(`${golden.name} (${golden.bins} bins)`, () => {
        const reference = sampleFromSpec(golden.reference);
        const current = sampleFromSpec(golden.current);
        const value =
          golden.featureType === 'categorical'
            ? psiEvidently(labels(reference), labels(current))
            : psiEvidently(reference, current);
        assert.ok(
          Math.abs(value - golden.psi) <= 1e-12 * Math.max(1, Math.abs(golden.psi)),
          `expected ${golden.psi}, got ${value}`,
        );
        if (golden.featureType === 'numerical' && golden.referenceDistinct > 20) {
          assert.equal(sturgesEdges([...reference, ...current]).length - 1, golden.bins);
        }
      });
    }
  });

  it('bins numbers by value when declared categorical', () => {
    const reference = sampleFromSpec({ seed: 7, length: 300, mean: 0, std: 1 });
    const current = sampleFromSpec({ seed: 8, length: 300, mean: 0, std: 1 });
    // Every value is distinct, so each is its own bin and the samples share none: 600 bins, each
    // 1/300 on one side and floored at 1e-4 on the other.
    const value = psiEvidently(reference, current, { featureType: 'categorical' });
    const byHand = 600 * (1 / 300 - 1e-4) * Math.log(1 / 300 / 1e-4);
    assert.ok(Math.abs(value - byHand) < 1e-12, `${value} vs ${byHand}`);
  });

  it('rejects empty, mixed and non-finite samples and a numerical type for strings', () => {
    assert.throws(() => psiEvidently([], [1]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(() => psiEvidently([1], ['a']), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(
      () => psiEvidently(['a', 1] as unknown as string[], ['a']),
      invalid('DW_DRIFT_INVALID_INPUT'),
    );
    assert.throws(() => psiEvidently([1, NaN], [1]), invalid('DW_DRIFT_INVALID_INPUT'));
    assert.throws(
      () => psiEvidently(['a'], ['a'], { featureType: 'numerical' }),
      invalid('DW_DRIFT_INVALID_OPTION'),
    );
  });
});
