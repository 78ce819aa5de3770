import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { CbpeEstimate } from './cbpe.js';
import { MulticlassCbpe } from './multiclass-cbpe.js';
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
  dataset: 'shipped' | 'untied';
  chunkSize: number;
  needsCalibration: boolean[];
  reference: ChunkGolden[];
  analysis: ChunkGolden[];
}

interface Goldens {
  untie: { golden: number; scale: number };
  cases: CaseGolden[];
}

interface Rows {
  classes: string[];
  referenceProbabilities: number[];
  referenceLabels: number[];
  referencePredictions: number[];
  analysisProbabilities: number[];
  analysisPredictions: number[];
}

interface Period {
  probabilities: number[];
  /** The predictions NannyML was given, or undefined when they are the argmax (our default). */
  predictions: number[] | undefined;
}

const goldens = fixtureJson('nannyml/multiclass-cbpe-goldens.json') as Goldens;
const rows = fixtureJson('nannyml/multiclass-cbpe-rows.json.gz') as Rows;
const K = rows.classes.length;

/** The generator's `untie`, in the same IEEE operations, so the rows are bit for bit NannyML's. */
function untie(probabilities: readonly number[]): number[] {
  const { golden, scale } = goldens.untie;
  return probabilities.map((p, index) => (p + scale * ((index * golden) % 1)) / (1 + scale));
}

function periods(dataset: CaseGolden['dataset']): { reference: Period; analysis: Period } {
  if (dataset === 'shipped') {
    return {
      reference: {
        probabilities: rows.referenceProbabilities,
        predictions: rows.referencePredictions,
      },
      analysis: {
        probabilities: rows.analysisProbabilities,
        predictions: rows.analysisPredictions,
      },
    };
  }
  return {
    reference: { probabilities: untie(rows.referenceProbabilities), predictions: undefined },
    analysis: { probabilities: untie(rows.analysisProbabilities), predictions: undefined },
  };
}

/**
 * NannyML's ROC AUC on the shipped rows depends on how np.argsort orders rows of equal
 * probability (see MulticlassCbpe); ours takes them as one diagonal step. Measured: 1.1e-6 at most.
 */
const SHIPPED_ROC_AUC_TOLERANCE = 5e-6;

describe('MulticlassCbpe', () => {
  describe("equals NannyML's multiclass CBPE estimates on every chunk", () => {
    for (const golden of goldens.cases) {
      const { reference, analysis } = periods(golden.dataset);
      const fit = { probabilities: reference.probabilities, labels: rows.referenceLabels };
      const decided = MulticlassCbpe.fit({ ...fit, classCount: K });
      // Given NannyML's decisions, so that the estimates are compared on the same calibration.
      const cbpe = MulticlassCbpe.fit({
        ...fit,
        classCount: K,
        calibration: golden.needsCalibration.map((needed) => (needed ? 'isotonic' : 'none')),
      });

      it(`${golden.name}: calibrates each class as NannyML decides (${golden.needsCalibration.join(', ')}), but a close call`, () => {
        const expected = [...golden.needsCalibration];
        // prepaid_card on the shipped rows: isotonic calibration changes its held-out expected
        // calibration error by little (0.00266 to 0.00278 with NannyML's split seed 42), and our
        // splits (mulberry32, not NumPy's) find it helps where NannyML's do not. NannyML's own
        // answer flips with its seed: with seeds 1, 2 and 3 it calibrates prepaid_card too.
        if (golden.dataset === 'shipped') expected[1] = true;
        assert.deepEqual(decided.calibrated, expected);
      });

      it(`${golden.name}: ${golden.reference.length} reference and ${golden.analysis.length} analysis chunks`, (t) => {
        const maxDifference: Record<Metric, number> = {
          accuracy: 0,
          precision: 0,
          recall: 0,
          f1: 0,
          rocAuc: 0,
        };
        const check = (period: Period, chunks: ChunkGolden[]): void => {
          for (const chunk of chunks) {
            const estimate = cbpe.estimate(
              period.probabilities.slice(chunk.start * K, chunk.end * K),
              period.predictions?.slice(chunk.start, chunk.end),
            );
            assert.equal(estimate.count, chunk.end - chunk.start);
            for (const metric of METRICS) {
              const difference = Math.abs(estimate[metric] - chunk.estimated[metric]);
              maxDifference[metric] = Math.max(maxDifference[metric], difference);
              const tolerance =
                golden.dataset === 'shipped' && metric === 'rocAuc'
                  ? SHIPPED_ROC_AUC_TOLERANCE
                  : 1e-6;
              assert.ok(
                difference <= tolerance,
                `${golden.name} rows ${chunk.start}–${chunk.end} ${metric}: expected ${chunk.estimated[metric]}, got ${estimate[metric]}`,
              );
            }
          }
        };
        check(reference, golden.reference);
        check(analysis, golden.analysis);
        t.diagnostic(
          `max |ours − NannyML|: ${METRICS.map((m) => `${m} ${maxDifference[m].toExponential(2)}`).join(', ')}`,
        );
      });

      it(`${golden.name}: estimates stay near the realized values before the analysis period drifts`, () => {
        // The analysis period's later chunks change how classes follow from the inputs (concept
        // drift), which no estimate from probabilities alone can see; the reference chunks and the
        // first analysis chunk do not.
        for (const chunk of [...golden.reference, golden.analysis[0] as ChunkGolden]) {
          for (const metric of METRICS) {
            assert.ok(
              Math.abs(chunk.estimated[metric] - chunk.realized[metric]) < 0.02,
              `${golden.name} rows ${chunk.start}–${chunk.end} ${metric}`,
            );
          }
        }
      });
    }
  });

  it('estimates lower metrics as probabilities flatten towards 1/K, without any label', () => {
    const random = mulberry32(3);
    const probabilities: number[] = [];
    const labels: number[] = [];
    // A model whose probabilities are right: each label is drawn from its row.
    for (let i = 0; i < 6000; i++) {
      const weights = [0, 1, 2].map(() => Math.exp(4 * random()));
      const total = (weights[0] as number) + (weights[1] as number) + (weights[2] as number);
      const row = weights.map((w) => w / total);
      const draw = random();
      labels.push(
        draw < (row[0] as number) ? 0 : draw < (row[0] as number) + (row[1] as number) ? 1 : 2,
      );
      probabilities.push(...row);
    }
    const cbpe = MulticlassCbpe.fit({ probabilities, labels, classCount: 3 });
    const window = probabilities.slice(0, 3 * 1500);
    const confident = cbpe.estimate(window);
    // Halfway to uniform: the argmax of each row stays the same, only its confidence falls.
    const hesitant = cbpe.estimate(window.map((p) => 1 / 3 + (p - 1 / 3) / 4));
    assert.ok(confident.accuracy > 0.6, `confident ${confident.accuracy}`);
    for (const metric of METRICS) {
      assert.ok(
        hesitant[metric] < confident[metric] - 0.1,
        `${metric}: hesitant ${hesitant[metric]} vs confident ${confident[metric]}`,
      );
    }
  });

  it('normalizes calibrated rows, a row of all-zero calibrated probabilities to uniform', () => {
    const cbpe = MulticlassCbpe.fromJSON({
      classCount: 3,
      calibrators: [null, null, { thresholdScores: [0, 0.5, 1], thresholdValues: [0, 0, 1] }],
    });
    assert.deepEqual(cbpe.calibrate([0.2, 0.2, 0.4, 0, 0, 0.5, 0.3, 0.1, 0.75]), [
      0.5,
      0.5,
      0,
      1 / 3,
      1 / 3,
      1 / 3,
      0.3 / 0.9,
      0.1 / 0.9,
      0.5 / 0.9,
    ]);
  });

  it('takes the tied rows of a class as one diagonal step of the expected ROC curve', () => {
    const cbpe = MulticlassCbpe.fit({
      probabilities: [0.6, 0.2, 0.2, 0.2, 0.6, 0.2, 0.2, 0.2, 0.6],
      labels: [0, 1, 2],
      classCount: 3,
      calibration: 'none',
    });
    // Class 0's raw probability ties on rows 1 and 2, whose normalized q₀ differ; listing them in
    // either order gives the same estimate.
    const window = [0.5, 0.3, 0.2, 0.1, 0.1, 0.8, 0.1, 0.5, 0.4, 0.3, 0.3, 0.4];
    const swapped = [0.5, 0.3, 0.2, 0.1, 0.5, 0.4, 0.1, 0.1, 0.8, 0.3, 0.3, 0.4];
    assert.deepEqual(cbpe.estimate(swapped), cbpe.estimate(window));
  });

  it('round-trips through JSON', () => {
    const probabilities = rows.referenceProbabilities.slice(0, 3 * 4000);
    const cbpe = MulticlassCbpe.fit({
      probabilities,
      labels: rows.referenceLabels.slice(0, 4000),
      classCount: K,
      calibration: 'isotonic',
    });
    const revived = MulticlassCbpe.fromJSON(
      JSON.parse(JSON.stringify(cbpe)) as ReturnType<MulticlassCbpe['toJSON']>,
    );
    const window = rows.analysisProbabilities.slice(0, 3 * 500);
    assert.deepEqual(revived.estimate(window), cbpe.estimate(window));
    assert.deepEqual(revived.toJSON(), cbpe.toJSON());
  });

  it('rejects bad options, inputs and states with their codes', () => {
    const fit = {
      probabilities: [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6],
      labels: [0, 1, 2],
      classCount: 3,
    };
    assertDriftError('DW_DRIFT_INVALID_OPTION', () =>
      MulticlassCbpe.fit({ ...fit, classCount: 2 }),
    );
    assertDriftError('DW_DRIFT_INVALID_OPTION', () =>
      MulticlassCbpe.fit({ ...fit, classCount: 3.5 }),
    );
    assertDriftError('DW_DRIFT_INVALID_OPTION', () =>
      MulticlassCbpe.fit({ ...fit, calibration: 'platt' }),
    );
    assertDriftError('DW_DRIFT_INVALID_INPUT', () =>
      MulticlassCbpe.fit({ ...fit, labels: [0, 1, 3] }),
    );
    assertDriftError('DW_DRIFT_INVALID_INPUT', () =>
      MulticlassCbpe.fit({ ...fit, labels: [0, 1] }),
    );
    assertDriftError('DW_DRIFT_INVALID_INPUT', () =>
      MulticlassCbpe.fit({ ...fit, probabilities: fit.probabilities.slice(1) }),
    );
    assertDriftError('DW_DRIFT_INVALID_INPUT', () =>
      MulticlassCbpe.fit({
        ...fit,
        probabilities: [...fit.probabilities.slice(1), 1.5],
        calibration: 'none',
      }),
    );
    const cbpe = MulticlassCbpe.fit({ ...fit, calibration: 'isotonic' });
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => cbpe.estimate([]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => cbpe.estimate([0.3, 0.3, NaN]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => cbpe.estimate([0.3, 0.3, 0.4], [3]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => cbpe.estimate([0.3, 0.3, 0.4], [0, 1]));
    assertDriftError('DW_DRIFT_INVALID_STATE', () =>
      MulticlassCbpe.fromJSON({ classCount: 3, calibrators: [null, null] }),
    );
    assertDriftError('DW_DRIFT_INVALID_STATE', () =>
      MulticlassCbpe.fromJSON({ classCount: 2, calibrators: [null, null] }),
    );
    assertDriftError('DW_DRIFT_INVALID_STATE', () =>
      MulticlassCbpe.fromJSON({
        classCount: 3,
        calibrators: [null, null, { thresholdScores: [1, 0], thresholdValues: [0, 1] }],
      }),
    );
  });
});
