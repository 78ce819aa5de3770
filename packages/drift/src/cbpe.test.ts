import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Cbpe, type CbpeEstimate } from './cbpe.js';
import { PlattCalibrator } from './platt-calibrator.js';
import { mulberry32 } from './random.js';
import { assertDriftError } from './testing/assert-drift-error.js';
import { fixtureJson } from './testing/fixture-json.js';

type Metric = Exclude<keyof CbpeEstimate, 'count'>;
const METRICS: readonly Metric[] = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'];

interface ChunkGolden {
  start: number;
  end: number;
  estimated: Record<Metric, number>;
  realized: Record<Metric, number>;
}

interface CaseGolden {
  name: string;
  dataset: string;
  chunkSize: number;
  needsCalibration: boolean;
  reference: ChunkGolden[];
  analysis: ChunkGolden[];
}

interface DatasetRows {
  threshold: number;
  referenceScores: number[];
  referenceLabels: (0 | 1)[];
  analysisScores: number[];
}

const goldens = fixtureJson('nannyml/cbpe-goldens.json') as { cases: CaseGolden[] };
const rows = fixtureJson('nannyml/cbpe-rows.json.gz') as Record<string, DatasetRows>;

describe('Cbpe', () => {
  describe("equals NannyML's CBPE estimates on every chunk (1e-6)", () => {
    for (const golden of goldens.cases) {
      const data = rows[golden.dataset] as DatasetRows;
      const cbpe = Cbpe.fit({
        scores: data.referenceScores,
        labels: data.referenceLabels,
        threshold: data.threshold,
      });
      let maxDifference = 0;
      const check = (scores: number[], chunks: ChunkGolden[]): void => {
        for (const chunk of chunks) {
          const estimate = cbpe.estimate(scores.slice(chunk.start, chunk.end));
          assert.equal(estimate.count, chunk.end - chunk.start);
          for (const metric of METRICS) {
            const difference = Math.abs(estimate[metric] - chunk.estimated[metric]);
            maxDifference = Math.max(maxDifference, difference);
            assert.ok(
              difference <= 1e-6,
              `${golden.name} rows ${chunk.start}–${chunk.end} ${metric}: expected ${chunk.estimated[metric]}, got ${estimate[metric]}`,
            );
          }
        }
      };

      it(`${golden.name}: calibrates as NannyML decides (${String(golden.needsCalibration)})`, () => {
        assert.equal(cbpe.calibrated, golden.needsCalibration);
      });

      it(`${golden.name}: ${golden.reference.length} reference and ${golden.analysis.length} analysis chunks`, (t) => {
        check(data.referenceScores, golden.reference);
        check(data.analysisScores, golden.analysis);
        t.diagnostic(`max |ours − NannyML| = ${maxDifference.toExponential(2)}`);
      });

      it(`${golden.name}: estimates stay near the realized values`, () => {
        for (const chunk of [...golden.reference, ...golden.analysis]) {
          assert.ok(Math.abs(chunk.estimated.accuracy - chunk.realized.accuracy) < 0.03);
        }
      });
    }
  });

  it('estimates a lower accuracy as scores move towards 0.5, without any label', () => {
    const random = mulberry32(3);
    const scores: number[] = [];
    const labels: (0 | 1)[] = [];
    for (let i = 0; i < 4000; i++) {
      const score = random();
      scores.push(score);
      labels.push(random() < score ? 1 : 0);
    }
    const cbpe = Cbpe.fit({ scores, labels, threshold: 0.5, calibration: 'isotonic' });
    const window = scores.slice(0, 1000);
    const confident = cbpe.estimate(window);
    const hesitant = cbpe.estimate(window.map((score) => 0.5 + (score - 0.5) / 4));
    assert.ok(confident.accuracy > 0.7, `confident ${confident.accuracy}`);
    assert.ok(hesitant.accuracy < confident.accuracy - 0.15, `hesitant ${hesitant.accuracy}`);
    assert.ok(hesitant.rocAuc < confident.rocAuc, `${hesitant.rocAuc} vs ${confident.rocAuc}`);
  });

  it('calibrates with Platt scaling when asked, and revives it from its snapshot', () => {
    const random = mulberry32(4);
    const scores = Array.from({ length: 3000 }, () => random());
    const labels = scores.map((score) => (random() < score * score ? 1 : 0));
    const cbpe = Cbpe.fit({ scores, labels, threshold: 0.6, calibration: 'platt' });
    assert.ok(cbpe.calibrator instanceof PlattCalibrator);
    const platt = PlattCalibrator.fit(scores, labels);
    assert.equal(cbpe.probability(0.3), platt.calibrate(0.3));
    const revived = Cbpe.fromJSON(
      JSON.parse(JSON.stringify(cbpe.toJSON())) as ReturnType<Cbpe['toJSON']>,
    );
    assert.deepEqual(revived.estimate(scores), cbpe.estimate(scores));
    const realized = scores.filter((s, i) => (s >= 0.6 ? 1 : 0) === labels[i]).length / 3000;
    assert.ok(Math.abs(cbpe.estimate(scores).accuracy - realized) < 0.02);
  });

  it('estimates from raw probabilities when told not to calibrate', () => {
    const cbpe = Cbpe.fit({
      scores: [0.2, 0.9],
      labels: [0, 1],
      threshold: 0.5,
      calibration: 'none',
    });
    const estimate = cbpe.estimate([0.9, 0.2, 0.6, 0.6]);
    // TP = 0.9 + 0.6 + 0.6, FP = 0.1 + 0.4 + 0.4, FN = 0.2, TN = 0.8.
    assert.ok(Math.abs(estimate.accuracy - (2.1 + 0.8) / 4) < 1e-15);
    assert.ok(Math.abs(estimate.precision - 2.1 / 3) < 1e-15);
    assert.ok(Math.abs(estimate.recall - 2.1 / 2.3) < 1e-15);
    assert.ok(Math.abs(estimate.f1 - 2.1 / (2.1 + 0.5 * 1.1)) < 1e-15);
    // Highest first: 0.9 | 0.6, 0.6 (tied) | 0.2; P = 2.3, N = 1.7.
    const twiceArea = 0.1 * 0.9 + 2 * 0.4 * (2 * 0.9 + 2 * 0.6) + 0.8 * (2 * 2.1 + 0.2);
    assert.ok(Math.abs(estimate.rocAuc - twiceArea / (2 * 2.3 * 1.7)) < 1e-15);
  });

  it('round-trips through JSON', () => {
    const data = rows['car-loan'] as DatasetRows;
    const cbpe = Cbpe.fit({
      scores: data.referenceScores.slice(0, 3000),
      labels: data.referenceLabels.slice(0, 3000),
      threshold: data.threshold,
      calibration: 'isotonic',
    });
    const revived = Cbpe.fromJSON(JSON.parse(JSON.stringify(cbpe)) as ReturnType<Cbpe['toJSON']>);
    const window = data.analysisScores.slice(0, 500);
    assert.deepEqual(revived.estimate(window), cbpe.estimate(window));
    // One row of p = 0.5: its expected ROC curve is the diagonal.
    assert.deepEqual(Cbpe.fromJSON({ threshold: 0.5, calibrator: null }).estimate([0.5]), {
      count: 1,
      accuracy: 0.5,
      precision: 0.5,
      recall: 1,
      f1: 2 / 3,
      rocAuc: 0.5,
    });
    // All rows certain negatives: no expected positive, so no ROC curve.
    assert.ok(
      Number.isNaN(Cbpe.fromJSON({ threshold: 0.5, calibrator: null }).estimate([0, 0]).rocAuc),
    );
  });

  it('rejects bad options, inputs and states with their codes', () => {
    const fit = { scores: [0.1, 0.9], labels: [0, 1] as (0 | 1)[], threshold: 0.5 };
    assertDriftError('DW_DRIFT_INVALID_OPTION', () => Cbpe.fit({ ...fit, threshold: NaN }));
    assertDriftError('DW_DRIFT_INVALID_OPTION', () =>
      Cbpe.fit({ ...fit, calibration: 'sigmoid' as 'none' }),
    );
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => Cbpe.fit({ ...fit, labels: [0, 2 as 1] }));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => Cbpe.fit({ ...fit, labels: [0] }));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () =>
      Cbpe.fit({ ...fit, scores: [0.1, 3], calibration: 'none' }),
    );
    const cbpe = Cbpe.fit({ ...fit, calibration: 'isotonic' });
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => cbpe.estimate([]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => cbpe.estimate([0.3, Infinity]));
    assertDriftError('DW_DRIFT_INVALID_STATE', () =>
      Cbpe.fromJSON({
        threshold: 0.5,
        calibrator: { thresholdScores: [1, 0], thresholdValues: [0, 1] },
      }),
    );
    assertDriftError('DW_DRIFT_INVALID_STATE', () =>
      Cbpe.fromJSON({ threshold: 'x' as unknown as number, calibrator: null }),
    );
  });
});
