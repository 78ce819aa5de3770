import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  fitPcaReconstruction,
  PcaReconstruction,
  type PcaReconstructionState,
} from './pca-reconstruction.js';
import { mulberry32 } from './random.js';
import { assertDriftError } from './testing/assert-drift-error.js';
import { digits, fixtureJson } from './testing/fixture-json.js';

interface ChunkGolden {
  start: number;
  end: number;
  meanError: number;
  alert: boolean;
}

interface ReconstructionGolden {
  name: string;
  dataset: string;
  chunkSize: number | null;
  varianceShare: number;
  components: number;
  explainedVarianceRatio: number[];
  lowerThreshold: number | null;
  upperThreshold: number;
  reference: ChunkGolden[];
  analysis: ChunkGolden[];
}

const goldens = (
  fixtureJson('nannyml/reconstruction-goldens.json') as { cases: ReconstructionGolden[] }
).cases;
const datasets = fixtureJson('nannyml/reconstruction-rows.json.gz') as Record<
  string,
  { reference: number[][]; analysis: number[][] }
>;

const TOLERANCE = 1e-9;

describe('PcaReconstruction', () => {
  describe("equals NannyML's DataReconstructionDriftCalculator chunk by chunk", () => {
    for (const golden of goldens) {
      it(golden.name, () => {
        const { reference, analysis } = datasets[golden.dataset] as {
          reference: number[][];
          analysis: number[][];
        };
        const pca = fitPcaReconstruction(reference, {
          varianceShare: golden.varianceShare,
          ...(golden.chunkSize === null ? {} : { chunkSize: golden.chunkSize }),
        });
        assert.equal(pca.componentCount, golden.components);
        // NannyML keeps the ratios of the kept components only.
        golden.explainedVarianceRatio.forEach((ratio, i) => {
          assert.ok(Math.abs(ratio - (pca.explainedVarianceRatio[i] as number)) <= TOLERANCE);
        });
        let worst = 0;
        const close = (ours: number | null, theirs: number | null, what: string): void => {
          if (theirs === null || ours === null) {
            assert.equal(ours, theirs, what);
            return;
          }
          worst = Math.max(worst, Math.abs(ours - theirs));
          assert.ok(Math.abs(ours - theirs) <= TOLERANCE, `${what}: ${ours} vs ${theirs}`);
        };
        close(pca.lowerThreshold, golden.lowerThreshold, 'lower threshold');
        close(pca.upperThreshold, golden.upperThreshold, 'upper threshold');
        assert.equal(pca.referenceChunkErrors.length, golden.reference.length);
        golden.reference.forEach((chunk, i) => {
          close(pca.referenceChunkErrors[i] ?? NaN, chunk.meanError, `reference chunk ${i}`);
          assert.equal(pca.alert(pca.referenceChunkErrors[i] ?? NaN), chunk.alert);
        });
        // Analysis chunks as NannyML cut them: the reference's chunk size, or a tenth by default.
        const size = golden.chunkSize ?? Math.floor(analysis.length / 10);
        assert.equal(golden.analysis.length, Math.ceil(analysis.length / size));
        golden.analysis.forEach((chunk, i) => {
          assert.deepEqual(
            [chunk.start, chunk.end],
            [i * size, Math.min((i + 1) * size, analysis.length)],
          );
          const meanError = pca.meanError(analysis.slice(chunk.start, chunk.end));
          close(meanError, chunk.meanError, `analysis chunk ${i}`);
          assert.equal(pca.alert(meanError), chunk.alert, `analysis chunk ${i} alert`);
        });
        assert.ok(worst <= TOLERANCE);
      });
    }
  });

  it('survives JSON bit for bit', () => {
    const { reference, analysis } = datasets['california-housing'] as {
      reference: number[][];
      analysis: number[][];
    };
    const pca = fitPcaReconstruction(reference, { chunkSize: 500 });
    const revived = PcaReconstruction.fromJSON(
      JSON.parse(JSON.stringify(pca)) as PcaReconstructionState,
    );
    assert.deepEqual(revived.toJSON(), pca.toJSON());
    for (const row of analysis.slice(0, 200)) assert.equal(revived.error(row), pca.error(row));
  });

  it('rejects bad rows, options and snapshots', () => {
    const random = mulberry32(1);
    const rows = Array.from({ length: 30 }, () => [random(), random(), random()]);
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => fitPcaReconstruction([]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => fitPcaReconstruction(rows.slice(0, 9)));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => fitPcaReconstruction([...rows, [1, NaN, 2]]));
    assertDriftError('DW_DRIFT_INVALID_OPTION', () =>
      fitPcaReconstruction(rows, { varianceShare: 1 }),
    );
    assertDriftError('DW_DRIFT_INVALID_OPTION', () =>
      fitPcaReconstruction(rows, { varianceShare: 0 }),
    );
    assertDriftError('DW_DRIFT_INVALID_OPTION', () => fitPcaReconstruction(rows, { chunkSize: 0 }));
    const pca = fitPcaReconstruction(rows);
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => pca.error([1, 2]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => pca.error([1, 2, NaN]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => pca.meanError([]));
    const state = pca.toJSON();
    for (const broken of [
      { ...state, varianceShare: 1 },
      { ...state, components: [] },
      { ...state, components: [[1, 0]] },
      { ...state, centre: [0] },
      { ...state, referenceChunkErrors: [] },
      { ...state, upperThreshold: 'NaN' },
      { ...state, standardizer: { mean: [0, 0, 0], scale: [1, 0, 1] } },
    ]) {
      assertDriftError('DW_DRIFT_INVALID_STATE', () => PcaReconstruction.fromJSON(broken as never));
    }
  });

  it('alerts on digits it was not fitted on: withheld classes reconstruct worse', () => {
    const { rows, targets } = digits();
    const seen = rows.filter((_, i) => (targets[i] as number) <= 6);
    const reference = seen.slice(0, 1000);
    const heldOutSeen = seen.slice(1000);
    const withheld = rows.filter((_, i) => (targets[i] as number) > 6);
    const pca = fitPcaReconstruction(reference, { chunkSize: 100 });
    const seenError = pca.meanError(heldOutSeen.slice(0, 100));
    const withheldError = pca.meanError(withheld.slice(0, 100));
    assert.equal(pca.alert(seenError), false, `seen digits: ${seenError} vs ${pca.upperThreshold}`);
    assert.equal(
      pca.alert(withheldError),
      true,
      `withheld: ${withheldError} vs ${pca.upperThreshold}`,
    );
    assert.ok(withheldError > pca.upperThreshold);
  });
});
