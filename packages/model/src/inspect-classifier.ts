import type { ClassifierInterpretation } from './classifier-interpretation.js';
import { ClassifierScorer, type ClassifierLoadOptions } from './classifier-scorer.js';

/**
 * Reads a classifier trained elsewhere and says how driftwatch will use it, or refuses it with a
 * one-line `ModelError`. It loads the model exactly as `ClassifierScorer.load` does (so what is
 * inspected is what will be served), checks it on `referenceRows` and releases it.
 *
 * - Not ONNX at all: `DW_MODEL_NOT_ONNX`, "not an ONNX file: …".
 * - Inputs: one float tensor [N, F], or one float [N, 1] tensor per feature; anything else is
 *   `DW_MODEL_UNINTERPRETABLE`, naming the inputs found.
 * - Output, by preference: a float [N, K] probabilities tensor (K ≥ 2); skl2onnx's ZipMap
 *   sequence of maps (read through the tensor the ZipMap is made from); a single float [N, 1]
 *   probability or logit — a logit when `outputKind` says so, else when its name contains
 *   "logit", else when a value on the reference rows leaves [0, 1] (a logit model whose reference
 *   values all happen to fall in [0, 1] needs the hint). A predicted-label output beside it is
 *   ignored; anything else is refused naming every output found (name, type, shape) and what was
 *   expected. An [N, K] output whose reference values are not probabilities (rows non-negative,
 *   summing to 1 ± 1e-3) is refused: its shape alone cannot tell a regressor from a classifier.
 * - Feature names, first found: `featureNames`; the inputs' names (one input per feature); the
 *   `driftwatch.feature_names` metadata; `fallbackFeatureNames`. Their count must match the
 *   model's features (`DW_MODEL_FEATURE_MISMATCH`). `featureNamesSource` says which was used.
 * - Classes, first found: `classes`; the `driftwatch.classes` metadata; the labels on the ZipMap
 *   or classifier nodes (`classlabels_strings`, `classlabels_int64s`, `classlabels_ints`);
 *   `0 … K-1`. An [N, 1] output has 2. The count must match (`DW_MODEL_CLASS_MISMATCH`).
 *
 * Store `pinnedHints` with the model version: passed back to `ClassifierScorer.load`, they read
 * the model the same way without reference rows.
 *
 * @example
 * ```ts
 * // exportOnnx writes what a foreign training program might: features [N, 2] → probability [N, 1],
 * // the feature names in metadata, no class labels.
 * const bytes = exportOnnx({
 *   family: 'logistic',
 *   featureNames: ['a', 'b'],
 *   standardization: { mean: [0, 0], scale: [1, 1] },
 *   weights: [1, -1],
 *   bias: 0,
 * });
 * const seen = await inspectClassifier(bytes, { referenceRows: [{ a: 0, b: 0 }, { a: 3, b: 1 }] });
 * seen.inputs; // => [{"name":"features","type":"tensor(float)","shape":["N",2]}]
 * seen.featureNames; // => ["a", "b"]
 * seen.featureNamesSource; // => "metadata"
 * seen.classes; // => ["0", "1"]
 * seen.classesSource; // => "default"
 * seen.output; // => {"name":"probability","kind":"probability","kindSource":"values","tensor":"probability"}
 * seen.pinnedHints; // => {"featureNames":["a","b"],"classes":["0","1"],"outputKind":"probability"}
 * ```
 */
export async function inspectClassifier(
  onnxBytes: Uint8Array,
  options: ClassifierLoadOptions = {},
): Promise<ClassifierInterpretation> {
  const scorer = await ClassifierScorer.load(onnxBytes, options);
  await scorer.release();
  return scorer.interpretation;
}
