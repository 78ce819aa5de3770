import { predictProbabilities, type FeatureRows, type TrainedModel } from '@driftwatch/learn';

import { ModelError } from './errors.js';
import { OnnxScorer } from './onnx-scorer.js';

export interface VerifyExportOptions {
  /** Largest allowed |ONNX − TypeScript| probability on any row. */
  readonly tolerance?: number;
}

export interface VerifyExportResult {
  readonly maxAbsDifference: number;
  /** Rows compared. */
  readonly rows: number;
}

/**
 * Proves an export before it is published: loads `onnxBytes` with onnxruntime exactly as the
 * inference service will (`OnnxScorer`), scores `rows` in one run, and compares every probability
 * with `predictProbabilities(model, rows)` from `@driftwatch/learn`, computed in float64.
 *
 * Both sides see the rows rounded to float32, because that is what serving feeds the graph: the
 * check is that the graph computes the model's function, not that float32 inputs lose nothing.
 * Also checks the ONNX metadata lists the model's feature names in the model's order.
 *
 * Throws `ModelError` `DW_MODEL_EXPORT_MISMATCH` naming the worst row when any difference exceeds
 * `tolerance` (default 1e-6) or is not finite; `DW_MODEL_INVALID_INPUT` for no rows or values beyond
 * float32; whatever `OnnxScorer.load` throws for unloadable bytes.
 *
 * @example
 * ```ts
 * const model = trainModel('mlp', [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], ['a', 'b'], { mlp: { epochs: 5 } });
 * const result = await verifyExport(model, exportOnnx(model), [[0, 0], [0.5, 2], [1e4, -3]]);
 * result.rows; // => 3
 * result.maxAbsDifference < 1e-7; // => true
 * ```
 */
export async function verifyExport(
  model: TrainedModel,
  onnxBytes: Uint8Array,
  rows: FeatureRows,
  options: VerifyExportOptions = {},
): Promise<VerifyExportResult> {
  const tolerance = options.tolerance ?? 1e-6;
  if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new ModelError(
      'DW_MODEL_INVALID_INPUT',
      `option tolerance must be a non-negative finite number, got ${String(tolerance)}`,
    );
  }
  const width = model.featureNames.length;
  if (rows.length === 0) {
    throw new ModelError('DW_MODEL_INVALID_INPUT', 'verifying an export needs at least one row');
  }
  const matrix = new Float32Array(rows.length * width);
  const rounded = rows.map((row, i) => {
    if (row.length !== width) {
      throw new ModelError(
        'DW_MODEL_INVALID_INPUT',
        `rows[${i}] must have ${width} values, got ${row.length}`,
      );
    }
    return row.map((value, j) => {
      const single = Math.fround(value);
      if (!Number.isFinite(single)) {
        throw new ModelError(
          'DW_MODEL_INVALID_INPUT',
          `rows[${i}][${j}] must be finite in float32, got ${value}`,
        );
      }
      matrix[i * width + j] = single;
      return single;
    });
  });
  const expected = predictProbabilities(model, rounded);

  const scorer = await OnnxScorer.load(onnxBytes);
  try {
    if (
      scorer.featureNames.length !== width ||
      scorer.featureNames.some((name, j) => name !== model.featureNames[j])
    ) {
      throw new ModelError(
        'DW_MODEL_EXPORT_MISMATCH',
        `ONNX feature names ${JSON.stringify(scorer.featureNames)} differ from the model's ${JSON.stringify(model.featureNames)}`,
      );
    }
    const actual = await scorer.score(matrix, rows.length);
    let worstRow = 0;
    let worst = -1;
    for (let i = 0; i < rows.length; i++) {
      const difference = Math.abs((actual[i] ?? NaN) - (expected[i] ?? NaN));
      // NaN compares false with everything: count it as the worst possible difference.
      const measured = Number.isNaN(difference) ? Infinity : difference;
      if (measured > worst) {
        worst = measured;
        worstRow = i;
      }
    }
    if (worst > tolerance) {
      const onnxProbability = actual[worstRow] ?? NaN;
      const expectedProbability = expected[worstRow] ?? NaN;
      throw new ModelError(
        'DW_MODEL_EXPORT_MISMATCH',
        `ONNX export disagrees with the model on row ${worstRow}: ONNX ${onnxProbability} vs TypeScript ${expectedProbability} (|Δ| ${worst} > ${tolerance})`,
        {
          details: {
            row: worstRow,
            onnxProbability,
            expectedProbability,
            maxAbsDifference: worst,
            tolerance,
          },
        },
      );
    }
    return { maxAbsDifference: worst, rows: rows.length };
  } finally {
    await scorer.release();
  }
}
