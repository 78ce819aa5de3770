export type FeatureRejectionCode = 'DW_MISSING_FEATURE' | 'DW_NON_FINITE_FEATURE';

export interface FeatureRejection {
  /** Index of the event in the input. */
  readonly index: number;
  readonly code: FeatureRejectionCode;
  /** Names the first offending feature, in model column order, e.g. `feature "x2" is missing`. */
  readonly reason: string;
}

export interface FeatureMatrix {
  /** Row-major `accepted.length × featureNames.length` float32 values. */
  readonly matrix: Float32Array;
  /** `accepted[k]` is the index in the input of matrix row k; rows keep the input order. */
  readonly accepted: number[];
  readonly rejected: FeatureRejection[];
}

/**
 * Lays out events' named features as the model's input matrix, in the model's column order
 * (`featureNames`, from the ONNX metadata), so the order of keys in an event never matters and
 * features the model does not use are ignored.
 *
 * An event is rejected, not scored, when a feature is missing (`DW_MISSING_FEATURE`) or is not a
 * finite number — NaN, ±Infinity, or beyond float32's range, where it would become Infinity in the
 * matrix (`DW_NON_FINITE_FEATURE`). The reason names the feature.
 *
 * @example
 * ```ts
 * const { matrix, accepted, rejected } = buildFeatureMatrix(
 *   [
 *     { features: { x2: 2, x1: 1, unused: 9 } },
 *     { features: { x1: 3 } },
 *     { features: { x1: Number.NaN, x2: 0 } },
 *     { features: { x1: 5, x2: 6 } },
 *   ],
 *   ['x1', 'x2'],
 * );
 * Array.from(matrix); // => [1, 2, 5, 6]
 * accepted; // => [0, 3]
 * rejected; // => [{"index":1,"code":"DW_MISSING_FEATURE","reason":"feature \"x2\" is missing"},{"index":2,"code":"DW_NON_FINITE_FEATURE","reason":"feature \"x1\" is NaN"}]
 * ```
 */
export function buildFeatureMatrix(
  events: readonly { readonly features: Readonly<Record<string, number>> }[],
  featureNames: readonly string[],
): FeatureMatrix {
  const width = featureNames.length;
  const matrix = new Float32Array(events.length * width);
  const accepted: number[] = [];
  const rejected: FeatureRejection[] = [];
  events.forEach((event, index) => {
    const problem = writeRow(event.features, featureNames, matrix, accepted.length * width);
    if (problem) rejected.push({ index, ...problem });
    else accepted.push(index);
  });
  return {
    matrix: rejected.length === 0 ? matrix : matrix.slice(0, accepted.length * width),
    accepted,
    rejected,
  };
}

/** Writes one row at `offset`, or returns why it cannot (the row is then overwritten). */
function writeRow(
  features: unknown,
  featureNames: readonly string[],
  matrix: Float32Array,
  offset: number,
): { code: FeatureRejectionCode; reason: string } | undefined {
  if (typeof features !== 'object' || features === null) {
    return { code: 'DW_MISSING_FEATURE', reason: 'features is not an object' };
  }
  for (const [j, name] of featureNames.entries()) {
    // Own properties only: a feature named "constructor" must not read Object.prototype's.
    const value: unknown = Object.hasOwn(features, name)
      ? (features as Record<string, unknown>)[name]
      : undefined;
    if (value === undefined || value === null) {
      return { code: 'DW_MISSING_FEATURE', reason: `feature "${name}" is missing` };
    }
    if (typeof value !== 'number') {
      return {
        code: 'DW_NON_FINITE_FEATURE',
        reason: `feature "${name}" is not a number (${typeof value})`,
      };
    }
    if (!Number.isFinite(value)) {
      return { code: 'DW_NON_FINITE_FEATURE', reason: `feature "${name}" is ${String(value)}` };
    }
    if (!Number.isFinite(Math.fround(value))) {
      return {
        code: 'DW_NON_FINITE_FEATURE',
        reason: `feature "${name}" is ${value}, beyond float32 range`,
      };
    }
    matrix[offset + j] = value;
  }
  return undefined;
}
