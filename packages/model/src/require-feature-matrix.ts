import { ModelError } from './errors.js';

/**
 * Checks what a scorer is handed before onnxruntime sees it: `rowCount` a non-negative integer and
 * `matrix` a Float32Array of exactly `rowCount × width` values (see `buildFeatureMatrix`). A wrong
 * shape would otherwise reach the session as a tensor of the wrong size.
 */
export function requireFeatureMatrix(matrix: Float32Array, rowCount: number, width: number): void {
  if (!Number.isSafeInteger(rowCount) || rowCount < 0) {
    throw new ModelError(
      'DW_MODEL_INVALID_INPUT',
      `rowCount must be a non-negative integer, got ${String(rowCount)}`,
    );
  }
  if (!(matrix instanceof Float32Array) || matrix.length !== rowCount * width) {
    throw new ModelError(
      'DW_MODEL_INVALID_INPUT',
      `matrix must be a Float32Array of ${rowCount} × ${width} = ${rowCount * width} values, got ${matrix instanceof Float32Array ? matrix.length : typeof matrix}`,
    );
  }
}
