import { chooseProbabilityOutput } from './choose-probability-output.js';
import type {
  ClassifierHints,
  ClassifierInterpretation,
  ClassifierOutput,
} from './classifier-interpretation.js';
import { formatOnnxValue } from './describe-onnx-value.js';
import { ModelError } from './errors.js';
import { isUniqueNames } from './is-unique-names.js';
import { OutputRunner } from './output-runner.js';
import { readClassifierGraph } from './read-classifier-graph.js';
import { removeZipMap } from './remove-zip-map.js';
import { resolveClassLabels } from './resolve-class-labels.js';
import { resolveClassifierInputs } from './resolve-classifier-inputs.js';
import { settleClassifierOutput } from './settle-classifier-output.js';
import { sha256Hex } from './sha256-hex.js';
import { requireFeatureMatrix } from './require-feature-matrix.js';

export interface ClassifierLoadOptions extends ClassifierHints {
  /** Hex SHA-256 the bytes must have; checked before anything else reads them. */
  readonly expectedSha256?: string;
  /** Threads onnxruntime may use within one run (its default: one per core). */
  readonly intraOpNumThreads?: number;
  /**
   * Feature names to use when neither the hints nor the model name the features, e.g. the
   * reference file's header without its label column.
   */
  readonly fallbackFeatureNames?: readonly string[];
  /**
   * Rows to check the output's values on, features by name (e.g. the reference file's): an
   * [N, K] output must give probabilities on them, and an [N, 1] output that neither a hint nor
   * its name calls a logit is one if any value falls outside [0, 1].
   */
  readonly referenceRows?: readonly Readonly<Record<string, number>>[];
}

/**
 * A classifier trained elsewhere (scikit-learn through skl2onnx, torch.onnx.export, tf2onnx, …)
 * loaded with onnxruntime: its features by name in input order, its classes, and one batched
 * call that returns every class's probability. How the graph is read is `interpretation`; see
 * `inspectClassifier` for the rules, which `load` applies.
 *
 * `load` checks, in order: the SHA-256 (`DW_MODEL_CHECKSUM_MISMATCH`); that the bytes are an ONNX
 * model (`DW_MODEL_NOT_ONNX`); that its inputs and outputs can be read as features in and class
 * probabilities out (`DW_MODEL_UNINTERPRETABLE`), with as many feature names and classes as the
 * graph has (`DW_MODEL_FEATURE_MISMATCH`, `DW_MODEL_CLASS_MISMATCH`); that onnxruntime accepts
 * it (`DW_MODEL_INVALID`); and, given reference rows, that the output's values on them are
 * probabilities (`DW_MODEL_UNINTERPRETABLE`). Every message is one line.
 *
 * `score` runs the session once per call; `release` frees it once the runs in flight finish.
 *
 * @example
 * ```ts
 * // Any ONNX classifier will do; exportOnnx makes a small one: features [N, 2] → probability [N, 1].
 * const bytes = exportOnnx({
 *   family: 'logistic',
 *   featureNames: ['a', 'b'],
 *   standardization: { mean: [0, 0], scale: [1, 1] },
 *   weights: [1, -1],
 *   bias: 0,
 * });
 * const scorer = await ClassifierScorer.load(bytes, { classes: ['stay', 'churn'], outputKind: 'probability' });
 * scorer.featureNames; // => ["a", "b"]
 * scorer.classes; // => ["stay", "churn"]
 * const { matrix, accepted } = buildFeatureMatrix(
 *   [{ features: { b: 0, a: 0 } }, { features: { a: 2, b: 0 } }],
 *   scorer.featureNames,
 * );
 * Array.from(await scorer.score(matrix, accepted.length)); // => [0.5, 0.5, 0.1192029118537903, 0.8807970881462097]
 * await scorer.release();
 * ```
 */
export class ClassifierScorer {
  readonly interpretation: ClassifierInterpretation;
  /** Input order: row-major matrices passed to `score` follow it. */
  readonly featureNames: readonly string[];
  /** Order of each row's probabilities in what `score` returns. */
  readonly classes: readonly string[];
  readonly #runner: OutputRunner;
  readonly #inFlight = new Set<Promise<unknown>>();
  #released: Promise<void> | undefined;

  private constructor(runner: OutputRunner, interpretation: ClassifierInterpretation) {
    this.#runner = runner;
    this.interpretation = interpretation;
    this.featureNames = interpretation.featureNames;
    this.classes = interpretation.classes;
  }

  static async load(
    onnxBytes: Uint8Array,
    options: ClassifierLoadOptions = {},
  ): Promise<ClassifierScorer> {
    if (!(onnxBytes instanceof Uint8Array)) {
      throw new ModelError('DW_MODEL_INVALID_INPUT', 'ONNX model bytes must be a Uint8Array');
    }
    if (options.expectedSha256 !== undefined) {
      const actual = sha256Hex(onnxBytes);
      if (actual !== options.expectedSha256.toLowerCase()) {
        throw new ModelError(
          'DW_MODEL_CHECKSUM_MISMATCH',
          `ONNX bytes have SHA-256 ${actual}, expected ${options.expectedSha256}`,
          { details: { expectedSha256: options.expectedSha256, actualSha256: actual } },
        );
      }
    }
    checkOptions(options);
    const graph = readClassifierGraph(onnxBytes);
    const inputs = resolveClassifierInputs(
      graph.inputs,
      graph.metadata,
      options.featureNames,
      options.fallbackFeatureNames,
    );
    const chosen = chooseProbabilityOutput(graph);
    if (options.outputKind !== undefined && chosen.kind !== 'single') {
      throw new ModelError(
        'DW_MODEL_INVALID_INPUT',
        `outputKind "${options.outputKind}" is for a single [N, 1] output, but the model's probabilities are ${formatOnnxValue(chosen.output)}`,
      );
    }
    const { classes, classesSource } = resolveClassLabels(graph, chosen, options.classes);
    const runner = await OutputRunner.create(
      chosen.kind === 'zipmap' ? removeZipMap(onnxBytes, chosen.output.name) : onnxBytes,
      inputs,
      chosen,
      options.intraOpNumThreads,
    );
    try {
      const { output, referenceRowsChecked } = await settleClassifierOutput(
        runner,
        chosen,
        inputs.featureNames,
        options,
      );
      const singleKind = output.kind === 'probability' || output.kind === 'logit';
      const featureNames = Object.freeze([...inputs.featureNames]);
      const frozenClasses = Object.freeze([...classes]);
      return new ClassifierScorer(runner, {
        inputs: graph.inputs,
        outputs: graph.outputs,
        inputLayout: inputs.inputLayout,
        featureNames,
        featureNamesSource: inputs.featureNamesSource,
        classes: frozenClasses,
        classesSource,
        output,
        ignoredOutputs: chosen.ignored,
        referenceRowsChecked,
        metadata: Object.freeze({ ...graph.metadata }),
        pinnedHints: Object.freeze({
          featureNames,
          classes: frozenClasses,
          ...(singleKind ? { outputKind: output.kind } : {}),
        }),
      });
    } catch (error) {
      await runner.release();
      throw error;
    }
  }

  /**
   * The probability of every class for each row of `matrix` (row-major, `rowCount ×
   * featureNames.length` raw feature values, see `buildFeatureMatrix`): `rowCount × K` values,
   * row i's in `classes` order. Float64: an [N, 1] output's `1 - p` and sigmoid are computed in
   * double, as Python computes them. One `session.run` per call (none for zero rows).
   */
  async score(matrix: Float32Array, rowCount: number): Promise<Float64Array> {
    if (this.#released) throw new ModelError('DW_MODEL_RELEASED', 'the model was released');
    const width = this.featureNames.length;
    requireFeatureMatrix(matrix, rowCount, width);
    if (rowCount === 0) return new Float64Array(0);
    const run = this.#runner.run(matrix, rowCount);
    this.#inFlight.add(run);
    try {
      return toProbabilities(await run, this.interpretation.output.kind);
    } finally {
      this.#inFlight.delete(run);
    }
  }

  /** Frees the native session after the runs in flight; safe to call more than once. */
  release(): Promise<void> {
    this.#released ??= (async () => {
      await Promise.allSettled([...this.#inFlight]);
      await this.#runner.release();
    })();
    return this.#released;
  }
}

function checkOptions(options: ClassifierLoadOptions): void {
  const threads = options.intraOpNumThreads;
  if (threads !== undefined && (!Number.isSafeInteger(threads) || threads <= 0)) {
    throw new ModelError(
      'DW_MODEL_INVALID_INPUT',
      `option intraOpNumThreads must be a positive integer, got ${String(threads)}`,
    );
  }
  for (const key of ['featureNames', 'classes', 'fallbackFeatureNames'] as const) {
    const names = options[key];
    if (names !== undefined && !isUniqueNames(names)) {
      throw new ModelError(
        'DW_MODEL_INVALID_INPUT',
        `option ${key} must list unique non-empty names, got ${JSON.stringify(names)}`,
      );
    }
  }
  // Typed, but callers in JavaScript (or JSON from a stored version) can pass anything.
  const kind: unknown = options.outputKind;
  if (kind !== undefined && kind !== 'probability' && kind !== 'logit') {
    throw new ModelError(
      'DW_MODEL_INVALID_INPUT',
      `option outputKind must be "probability" or "logit", got ${JSON.stringify(kind)}`,
    );
  }
}

/** Raw output to `rowCount × K` probabilities in class order. */
function toProbabilities(
  raw: Float32Array | Float64Array,
  kind: ClassifierOutput['kind'],
): Float64Array {
  if (kind === 'probabilities' || kind === 'zipmap') return Float64Array.from(raw);
  const out = new Float64Array(raw.length * 2);
  const isLogit = kind === 'logit';
  for (let row = 0; row < raw.length; row++) {
    const value = raw[row] ?? NaN;
    // make_models.py's formula, numpy's 1 / (1 + exp(-z)): the goldens match to the last bit.
    const p = isLogit ? 1 / (1 + Math.exp(-value)) : value;
    out[2 * row] = 1 - p;
    out[2 * row + 1] = p;
  }
  return out;
}
