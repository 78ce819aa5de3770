import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ThresholdGate } from './threshold-gate.js';

describe('ThresholdGate', () => {
  it('below: fires once per episode and re-arms only past threshold + margin', () => {
    const gate = new ThresholdGate({ direction: 'below', rearmMargin: () => 0.05 });
    const values = [0.9, 0.7, 0.6, 0.82, 0.84, 0.79, 0.86, 0.7];
    assert.deepEqual(
      values.map((value) => gate.check(value, 0.8)),
      [false, true, false, false, false, false, false, true],
    );
  });

  it('above: PSI-style, re-arm margin proportional to the threshold', () => {
    const gate = new ThresholdGate({ direction: 'above', rearmMargin: (t) => t * 0.5 });
    const values = [0.05, 0.3, 0.25, 0.15, 0.3, 0.09, 0.21];
    assert.deepEqual(
      values.map((value) => gate.check(value, 0.2)),
      [false, true, false, false, false, false, true],
    );
  });

  it('keeps its armed state through a snapshot', () => {
    const gate = new ThresholdGate({ direction: 'below', rearmMargin: () => 0 });
    gate.check(0, 0.5);
    const restored = new ThresholdGate({ direction: 'below', rearmMargin: () => 0 }, gate.toJSON());
    assert.equal(restored.armed, false);
    assert.equal(restored.check(0.1, 0.5), false);
    assert.equal(restored.check(0.6, 0.5), false);
    assert.equal(restored.check(0.1, 0.5), true);
  });
});
