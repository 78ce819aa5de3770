import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { psiNullDistribution } from './psi-null-distribution.js';
import { PsiReference } from './psi-reference.js';
import { mulberry32 } from './random.js';
import { StreamingPsi } from './streaming-psi.js';

describe('psiNullDistribution', () => {
  it('reads as the tumbling StreamingPsi reads windows drawn from the reference', () => {
    const reference = PsiReference.fromJSON({
      kind: 'numeric',
      edges: [0, 1, 2, 3, 4, 5],
      proportions: [0.1, 0.2, 0.4, 0.2, 0.1],
    });
    const simulated = Float64Array.from(
      psiNullDistribution(reference, { window: 200, windows: 4000, random: mulberry32(4) }),
    ).sort();
    // The same null by another road: raw values drawn bin by bin, uniform inside, through the
    // detector's own streaming PSI.
    const random = mulberry32(5);
    const streaming = new StreamingPsi(reference, { window: 200, kind: 'tumbling' });
    const measured: number[] = [];
    while (measured.length < 4000) {
      const u = random();
      const bin = u < 0.1 ? 0 : u < 0.3 ? 1 : u < 0.7 ? 2 : u < 0.9 ? 3 : 4;
      if (streaming.update(bin + random())) measured.push(streaming.value ?? NaN);
    }
    measured.sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const a = simulated[Math.floor(q * 4000)] ?? NaN;
      const b = measured[Math.floor(q * 4000)] ?? NaN;
      assert.ok(Math.abs(a / b - 1) < 0.1, `quantile ${q}: ${a} vs ${b}`);
    }
    // W · PSI is about χ² with (bins − 1) degrees of freedom: a mean near 4 / 200.
    const mean = simulated.reduce((s, v) => s + v, 0) / simulated.length;
    assert.ok(Math.abs(mean * 200 - 4) < 0.5, `${mean * 200}`);
  });

  it('with referenceRows, reads as streams read against bins fitted on that few rows', () => {
    // The truth: a standard normal. Each of 300 references is fitted on its own 1,000 rows and
    // then judges 20 windows of 500 fresh values, as a version trained on few rows would.
    const random = mulberry32(8);
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const measured: number[] = [];
    let reference = PsiReference.fit([0, 1]);
    for (let r = 0; r < 300; r++) {
      reference = PsiReference.fit(Array.from({ length: 1000 }, normal));
      const streaming = new StreamingPsi(reference, { window: 500, kind: 'tumbling' });
      while (measured.length < (r + 1) * 20) {
        if (streaming.update(normal())) measured.push(streaming.value ?? NaN);
      }
    }
    measured.sort((a, b) => a - b);
    const simulated = Float64Array.from(
      psiNullDistribution(reference, {
        window: 500,
        windows: 6000,
        referenceRows: 1000,
        random: mulberry32(9),
      }),
    ).sort();
    const exact = Float64Array.from(
      psiNullDistribution(reference, { window: 500, windows: 6000, random: mulberry32(9) }),
    ).sort();
    for (const q of [0.5, 0.9, 0.99]) {
      const a = simulated[Math.floor(q * 6000)] ?? NaN;
      const b = measured[Math.floor(q * 6000)] ?? NaN;
      assert.ok(Math.abs(a / b - 1) < 0.15, `quantile ${q}: ${a} vs ${b}`);
      // Taking the bins as exact would put every quantile far lower.
      assert.ok((exact[Math.floor(q * 6000)] ?? NaN) < 0.8 * b, `exact bins at ${q}`);
    }
  });
});
