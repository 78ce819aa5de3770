import {
  modelClassCount,
  predictClassProbabilities,
  predictProbabilities,
  type FeatureRows,
  type TrainedModel,
} from '@driftwatch/learn';

import { ModelError } from './errors.js';
import { OnnxScorer } from './onnx-scorer.js';

export interface VerifyExportOptions {
  /** Largest allowed |ONNX − TypeScript| probability on any row (and class). */
  readonly tolerance?: number;
}

export interface VerifyExportResult {
  /** Largest |ONNX − TypeScript| probability over every row and, for a multiclass model, class. */
  readonly maxAbsDifference: number;
  /** Rows compared. */
  readonly rows: number;
}

/**
 * Proves an export before it is published: loads `onnxBytes` with onnxruntime exactly as the
 * inference service will (`OnnxScorer`), scores `rows` in one run, and compares every probability
 * with `predictProbabilities(model, rows)` from `@driftwatch/learn`, computed in float64. For a
 * multiclass model, every class's probability (`OnnxScorer.scoreProbabilities` against
 * `predictClassProbabilities`), after checking the export has the model's class count.
 *
 * Both sides see the rows rounded to float32, because that is what serving feeds the graph: the
 * check is that the graph computes the model's function, not that float32 inputs lose nothing.
 * Also checks the ONNX metadata lists the model's feature names in the model's order.
 *
 * Throws `ModelError` `DW_MODEL_EXPORT_MISMATCH` naming the worst row (and class) when any difference exceeds
 * `tolerance` (default 1e-6) or is not finite; `DW_MODEL_INVALID_INPUT` for no rows or values beyond
 * float32; whatever `OnnxScorer.load` throws for unloadable bytes.
 *
 * @example
 * ```ts
 * const model = trainModel('mlp', [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], ['a', 'b'], { mlp: { epochs: 5 } });
 * const result = await verifyExport(model, exportOnnx(model), [[0, 0], [0.5, 2], [1e4, -3]]);
 * result.rows; // => 3
 * result.maxAbsDifference < 1e-7; // => true
 * const three = trainModel('logistic', [[0], [1], [2], [3], [4], [5]], [0, 0, 1, 1, 2, 2], ['x'], {}, 3);
 * (await verifyExport(three, exportOnnx(three), [[0], [2.5], [9]])).maxAbsDifference < 1e-7; // => true
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
  const classCount = modelClassCount(model);
  // Values per row: a binary model's P(class 1), or every class's probability.
  const perRow = classCount > 2 ? classCount : 1;
  const expected =
    'classCount' in model
      ? predictClassProbabilities(model, rounded)
      : predictProbabilities(model, rounded);

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
    if (scorer.classCount !== classCount) {
      throw new ModelError(
        'DW_MODEL_EXPORT_MISMATCH',
        `ONNX export scores ${scorer.classCount} classes, the model ${classCount}`,
      );
    }
    const actual =
      perRow > 1
        ? await scorer.scoreProbabilities(matrix, rows.length)
        : await scorer.score(matrix, rows.length);
    let worstIndex = 0;
    let worst = -1;
    for (let index = 0; index < rows.length * perRow; index++) {
      const difference = Math.abs((actual[index] ?? NaN) - (expected[index] ?? NaN));
      // NaN compares false with everything: count it as the worst possible difference.
      const measured = Number.isNaN(difference) ? Infinity : difference;
      if (measured > worst) {
        worst = measured;
        worstIndex = index;
      }
    }
    if (worst > tolerance) {
      const worstRow = Math.floor(worstIndex / perRow);
      const onnxProbability = actual[worstIndex] ?? NaN;
      const expectedProbability = expected[worstIndex] ?? NaN;
      const where =
        perRow > 1 ? `row ${worstRow}, class ${worstIndex % perRow}` : `row ${worstRow}`;
      throw new ModelError(
        'DW_MODEL_EXPORT_MISMATCH',
        `ONNX export disagrees with the model on ${where}: ONNX ${onnxProbability} vs TypeScript ${expectedProbability} (|Δ| ${worst} > ${tolerance})`,
        {
          details: {
            row: worstRow,
            ...(perRow > 1 ? { class: worstIndex % perRow } : {}),
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
