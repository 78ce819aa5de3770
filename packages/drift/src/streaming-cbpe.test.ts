import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Cbpe, type CbpeEstimate } from './cbpe.js';
import { mulberry32 } from './random.js';
import { StreamingCbpe, type StreamingCbpeState } from './streaming-cbpe.js';
import { assertDriftError } from './testing/assert-drift-error.js';

const METRICS = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const;

/** A fitted Cbpe and a seeded stream of scores rounded to 2 decimals (many ties). */
function fixture(): { cbpe: Cbpe; stream: number[] } {
  const random = mulberry32(17);
  const score = (): number => Math.round(random() * 100) / 100;
  const scores: number[] = [];
  const labels: (0 | 1)[] = [];
  for (let i = 0; i < 3000; i++) {
    const s = score();
    scores.push(s);
    labels.push(random() < s * s ? 1 : 0);
  }
  const cbpe = Cbpe.fit({ scores, labels, threshold: 0.6, calibration: 'isotonic' });
  const stream = Array.from({ length: 1500 }, (_, i) =>
    // Drifts towards 0.5 halfway through, so the window sees both regimes.
    i < 700 ? score() : Math.round((0.3 + 0.4 * random()) * 100) / 100,
  );
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

describe('StreamingCbpe', () => {
  it('equals Cbpe.estimate on every window of a seeded stream', (t) => {
    const { cbpe, stream } = fixture();
    let max = 0;
    for (const window of [1, 7, 250]) {
      const streaming = new StreamingCbpe({ cbpe, window });
      stream.forEach((score, i) => {
        streaming.update(score);
        const expected = cbpe.estimate(stream.slice(Math.max(0, i + 1 - window), i + 1));
        max = Math.max(
          max,
          assertClose(streaming.estimate(), expected, `window ${window} at ${i}`),
        );
      });
    }
    t.diagnostic(`max |streaming − batch| = ${max.toExponential(2)}`);
  });

  it('is NaN while empty and counts up to the window', () => {
    const { cbpe } = fixture();
    const streaming = new StreamingCbpe({ cbpe, window: 2 });
    assert.ok(Number.isNaN(streaming.accuracy) && Number.isNaN(streaming.rocAuc));
    streaming.update(0.4);
    streaming.update(0.4);
    streaming.update(0.9);
    assert.equal(streaming.count, 2);
  });

  it('continues from a JSON snapshot with the same window and estimates', () => {
    const { cbpe, stream } = fixture();
    const streaming = new StreamingCbpe({ cbpe, window: 100 });
    for (const score of stream.slice(0, 730)) streaming.update(score);
    const state = JSON.parse(JSON.stringify(streaming)) as StreamingCbpeState;
    const revived = StreamingCbpe.fromJSON(state);
    assert.deepEqual(revived.toJSON(), streaming.toJSON());
    assertClose(revived.estimate(), streaming.estimate(), 'at the snapshot');
    for (const score of stream.slice(730)) {
      streaming.update(score);
      revived.update(score);
      assertClose(revived.estimate(), streaming.estimate(), 'after the snapshot');
    }
  });

  it('rejects bad options, scores and states with their codes', () => {
    const { cbpe } = fixture();
    assertDriftError('DW_DRIFT_INVALID_OPTION', () => new StreamingCbpe({ cbpe, window: 0 }));
    assertDriftError(
      'DW_DRIFT_INVALID_OPTION',
      () => new StreamingCbpe({ cbpe: JSON.parse('{}') as Cbpe, window: 3 }),
    );
    const streaming = new StreamingCbpe({ cbpe, window: 3 });
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => {
      streaming.update(NaN);
    });
    assert.equal(streaming.count, 0);
    const state = streaming.toJSON();
    assertDriftError('DW_DRIFT_INVALID_STATE', () =>
      StreamingCbpe.fromJSON({ ...state, scores: [0.1, 0.2, 0.3, 0.4] }),
    );
    assertDriftError('DW_DRIFT_INVALID_STATE', () =>
      StreamingCbpe.fromJSON({ ...state, window: -1 }),
    );
    assertDriftError('DW_DRIFT_INVALID_STATE', () =>
      StreamingCbpe.fromJSON({ ...state, scores: ['x' as unknown as number] }),
    );
  });
});
