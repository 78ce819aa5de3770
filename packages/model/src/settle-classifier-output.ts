import { buildFeatureMatrix } from './build-feature-matrix.js';
import { checkProbabilities, ROW_SUM_TOLERANCE } from './check-probabilities.js';
import type { ProbabilityOutput } from './choose-probability-output.js';
import type { ClassifierOutput, SingleOutputKind } from './classifier-interpretation.js';
import { formatOnnxValue } from './describe-onnx-value.js';
import { ModelError } from './errors.js';
import type { OutputRunner } from './output-runner.js';

/** Rows per onnxruntime run while checking reference rows: bounds memory on a large file. */
const CHECK_BATCH_ROWS = 8192;

/**
 * Settles how the output reads and checks it on the reference rows: [N, K] values must be
 * probabilities; an [N, 1] output is a logit by hint, by name, or when a value leaves [0, 1].
 */
export async function settleClassifierOutput(
  runner: OutputRunner,
  chosen: ProbabilityOutput,
  featureNames: readonly string[],
  options: {
    readonly outputKind?: SingleOutputKind;
    readonly referenceRows?: readonly Readonly<Record<string, number>>[];
  },
): Promise<{ output: ClassifierOutput; referenceRowsChecked: number }> {
  const { name } = chosen.output;
  const described = formatOnnxValue(chosen.output);
  const refuse = (why: string): ModelError =>
    new ModelError('DW_MODEL_UNINTERPRETABLE', `cannot interpret the model's outputs: ${why}`);
  let kind: ClassifierOutput['kind'] = chosen.kind === 'single' ? 'probability' : chosen.kind;
  let kindSource: ClassifierOutput['kindSource'] = 'shape';
  if (chosen.kind === 'single') {
    if (options.outputKind !== undefined) {
      [kind, kindSource] = [options.outputKind, 'hint'];
    } else if (/logit/i.test(name)) {
      [kind, kindSource] = ['logit', 'name'];
    }
  }
  const rows = options.referenceRows ?? [];
  if (rows.length === 0) {
    if (chosen.kind === 'single' && kindSource === 'shape') {
      throw refuse(
        `${described} may be a probability or a logit, and neither outputKind nor reference rows say which`,
      );
    }
    return { output: { name, kind, kindSource, tensor: chosen.tensor }, referenceRowsChecked: 0 };
  }

  const values = await runReference(runner, rows, featureNames);
  const span = `on ${rows.length} reference rows`;
  if (chosen.kind === 'single') {
    let min = Infinity;
    let max = -Infinity;
    for (const value of values) {
      if (Number.isNaN(value)) throw refuse(`${described} gives NaN ${span}`);
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    const inUnitInterval = min >= 0 && max <= 1;
    if (kindSource === 'shape') {
      [kind, kindSource] = [inUnitInterval ? 'probability' : 'logit', 'values'];
    } else if (kind === 'probability' && !inUnitInterval) {
      throw refuse(
        `${described} is read as a probability but ranges from ${short(min)} to ${short(max)} ${span}; expected values in [0, 1] (is it a logit?)`,
      );
    }
  } else {
    const check = checkProbabilities(values, chosen.classCount);
    if (!check.ok) {
      const row = Array.from(
        values.subarray(
          check.firstBadRow * chosen.classCount,
          (check.firstBadRow + 1) * chosen.classCount,
        ),
        short,
      );
      throw refuse(
        `${described} is shaped like [N, K] probabilities but its values are not probabilities: ${span} they range from ${short(check.min)} to ${short(check.max)} and row sums miss 1 by up to ${short(check.maxRowSumError)} (first at reference row ${check.firstBadRow + 1}: [${row.join(', ')}]); expected every row non-negative and summing to 1 ± ${ROW_SUM_TOLERANCE}`,
      );
    }
  }
  return {
    output: { name, kind, kindSource, tensor: chosen.tensor },
    referenceRowsChecked: rows.length,
  };
}

/** The raw output on every reference row, in batches. */
async function runReference(
  runner: OutputRunner,
  rows: readonly Readonly<Record<string, number>>[],
  featureNames: readonly string[],
): Promise<Float32Array | Float64Array> {
  const parts: (Float32Array | Float64Array)[] = [];
  for (let start = 0; start < rows.length; start += CHECK_BATCH_ROWS) {
    const batch = rows.slice(start, start + CHECK_BATCH_ROWS);
    const { matrix, rejected } = buildFeatureMatrix(
      batch.map((features) => ({ features })),
      featureNames,
    );
    const first = rejected[0];
    if (first) {
      throw new ModelError(
        'DW_MODEL_INVALID_INPUT',
        `reference row ${start + first.index + 1}: ${first.reason}`,
        { details: { row: start + first.index + 1 } },
      );
    }
    parts.push(await runner.run(matrix, batch.length));
  }
  const [only] = parts;
  if (parts.length === 1 && only) return only;
  const all = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

function short(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}
