import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { CbpeEstimate } from './cbpe.js';
import { MulticlassCbpe } from './multiclass-cbpe.js';
import { mulberry32 } from './random.js';
import {
  StreamingMulticlassCbpe,
  type StreamingMulticlassCbpeState,
} from './streaming-multiclass-cbpe.js';
import { assertDriftError } from './testing/assert-drift-error.js';

const METRICS = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const;
const K = 3;

/**
 * A fitted MulticlassCbpe and a seeded stream of rows rounded to 2 decimals, so that rows tie on
 * a class's probability while their normalized probabilities differ.
 */
function fixture(): { cbpe: MulticlassCbpe; stream: number[][] } {
  const random = mulberry32(23);
  const row = (sharpness: number): number[] => {
    const weights = [0, 1, 2].map(() => Math.exp(sharpness * random()));
    const total = (weights[0] as number) + (weights[1] as number) + (weights[2] as number);
    return weights.map((w) => Math.round((100 * w) / total) / 100);
  };
  const probabilities: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const r = row(4);
    const draw = random();
    labels.push(draw < (r[0] as number) ? 0 : draw < (r[0] as number) + (r[1] as number) ? 1 : 2);
    probabilities.push(...r);
  }
  const cbpe = MulticlassCbpe.fit({
    probabilities,
    labels,
    classCount: K,
    calibration: 'isotonic',
  });
  // Flattens halfway through, so the window sees both regimes.
  const stream = Array.from({ length: 1200 }, (_, i) => row(i < 600 ? 4 : 1));
  return { cbpe, stream };
}

function assertClose(actual: CbpeEstimate, expected: CbpeEstimate, where: string): number {
  assert.equal(actual.count, expected.count, where);
  let max = 0;
  for (const metric of METRICS) {
    const difference = Math.abs(actual[metric] - expected[metric]);
    if (Number.isNaN(expected[metric])) assert.ok(Number.isNaN(actual[metric]), where);
    else
      assert.ok(
        difference <= 1e-12,
        `${where} ${metric}: ${actual[metric]} vs ${expected[metric]}`,
      );
    max = Math.max(max, Number.isNaN(difference) ? 0 : difference);
  }
  return max;
}

describe('StreamingMulticlassCbpe', () => {
  it('equals MulticlassCbpe.estimate on every window of a seeded stream with ties', (t) => {
    const { cbpe, stream } = fixture();
    let max = 0;
    for (const window of [1, 7, 250]) {
      const streaming = new StreamingMulticlassCbpe({ cbpe, window });
      stream.forEach((row, i) => {
        // Every fifth row predicts its second class, as a model with another decision rule would.
        const prediction = i % 5 === 0 ? 1 : undefined;
        streaming.update(row, prediction);
        const from = Math.max(0, i + 1 - window);
        const rows = stream.slice(from, i + 1);
        const predictions = rows.map((r, j) =>
          (from + j) % 5 === 0 ? 1 : r.indexOf(Math.max(...r)),
        );
        const expected = cbpe.estimate(rows.flat(), predictions);
        max = Math.max(
          max,
          assertClose(streaming.estimate(), expected, `window ${window} at ${i}`),
        );
      });
    }
    t.diagnostic(`max |streaming − batch| = ${max.toExponential(2)}`);
  });

  it('round-trips through JSON and continues as it would have', () => {
    const { cbpe, stream } = fixture();
    const streaming = new StreamingMulticlassCbpe({ cbpe, window: 100 });
    for (const row of stream.slice(0, 430)) streaming.update(row);
    const state = JSON.parse(JSON.stringify(streaming)) as StreamingMulticlassCbpeState;
    const revived = StreamingMulticlassCbpe.fromJSON(state);
    assert.deepEqual(revived.toJSON(), streaming.toJSON());
    assertClose(revived.estimate(), streaming.estimate(), 'at the snapshot');
    for (const row of stream.slice(430, 700)) {
      streaming.update(row);
      revived.update(row);
      assertClose(revived.estimate(), streaming.estimate(), 'after the snapshot');
    }
  });

  it('is NaN on an empty window', () => {
    const { cbpe } = fixture();
    const estimate = new StreamingMulticlassCbpe({ cbpe, window: 5 }).estimate();
    assert.equal(estimate.count, 0);
    for (const metric of METRICS) assert.ok(Number.isNaN(estimate[metric]), metric);
  });

  it('rejects bad options, inputs and states with their codes, leaving the window as it was', () => {
    const { cbpe } = fixture();
    assertDriftError(
      'DW_DRIFT_INVALID_OPTION',
      () => new StreamingMulticlassCbpe({ cbpe, window: 0 }),
    );
    assertDriftError(
      'DW_DRIFT_INVALID_OPTION',
      () => new StreamingMulticlassCbpe({ cbpe: JSON.parse('{}') as MulticlassCbpe, window: 3 }),
    );
    const streaming = new StreamingMulticlassCbpe({ cbpe, window: 3 });
    streaming.update([0.2, 0.3, 0.5]);
    const before = streaming.toJSON();
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
      streaming.update([0.2, 0.8]);
    });
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
      streaming.update([0.2, 0.3, 0.5, 0.2, 0.3, 0.5]);
    });
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
      streaming.update([0.2, NaN, 0.5]);
    });
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
      streaming.update([0.2, 0.3, 0.5], 3);
    });
    assert.deepEqual(streaming.toJSON(), before);
    assertDriftError('DW_DRIFT_INVALID_STATE', () =>
      StreamingMulticlassCbpe.fromJSON({ ...before, predictions: [0, 0] }),
    );
    assertDriftError('DW_DRIFT_INVALID_STATE', () =>
      StreamingMulticlassCbpe.fromJSON({ ...before, predictions: [5] }),
    );
    assertDriftError('DW_DRIFT_INVALID_STATE', () =>
      StreamingMulticlassCbpe.fromJSON({ ...before, window: 0 }),
    );
  });
});
