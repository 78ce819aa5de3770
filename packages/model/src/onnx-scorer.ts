import type { ModelFamily } from '@driftwatch/learn';
import onnxProto from 'onnx-proto';
import { InferenceSession, Tensor } from 'onnxruntime-node';

import { ModelError } from './errors.js';
import { longToNumber } from './long-to-number.js';
import {
  CLASS_PROBABILITIES_NAME,
  INPUT_NAME,
  METADATA_CLASS_COUNT,
  METADATA_FEATURE_NAMES,
  METADATA_MODEL_FAMILY,
  OUTPUT_NAME,
} from './onnx-layout.js';
import { sha256Hex } from './sha256-hex.js';
import { requireFeatureMatrix } from './require-feature-matrix.js';

const { onnx } = onnxProto;

export interface OnnxScorerLoadOptions {
  /** Hex SHA-256 the bytes must have; checked before anything else reads them. */
  readonly expectedSha256?: string;
  /** Threads onnxruntime may use within one run (its default: one per core). */
  readonly intraOpNumThreads?: number;
}

/**
 * A loaded ONNX model exported by `exportOnnx`: its input column order and class count, read from
 * the model's own metadata, and batched scoring calls.
 *
 * `load` checks, in order: the SHA-256 (`DW_MODEL_CHECKSUM_MISMATCH`), that the bytes decode as a
 * `ModelProto` whose metadata names the features and family, and whose input is float32
 * `[N, featureNames.length]` (`DW_MODEL_INVALID`), for a multiclass export that its
 * `driftwatch.class_count` K ≥ 3 matches a float32 `[N, K]` output `probabilities`
 * (`DW_MODEL_INVALID`), and that onnxruntime accepts it (`DW_MODEL_INVALID`, with onnxruntime's
 * error as `cause`).
 *
 * `score` gives a binary model's P(class 1) per row, as it always has; `scoreProbabilities` gives
 * every class's probability per row for any of our exports (`[1 − p, p]` for a binary one). Each
 * runs the session once per call. `release` frees the native session once every call in flight
 * has finished; it is idempotent, and scoring after it fails with `DW_MODEL_RELEASED`.
 *
 * @example
 * ```ts
 * const bytes = exportOnnx({
 *   family: 'logistic',
 *   featureNames: ['a', 'b'],
 *   standardization: { mean: [0, 0], scale: [1, 1] },
 *   weights: [1, -1],
 *   bias: 0,
 * });
 * const scorer = await OnnxScorer.load(bytes);
 * scorer.featureNames; // => ["a", "b"]
 * scorer.family; // => "logistic"
 * scorer.classCount; // => 2
 * const { matrix, accepted } = buildFeatureMatrix([{ features: { b: 0, a: 0 } }], scorer.featureNames);
 * Array.from(await scorer.score(matrix, accepted.length)); // => [0.5]
 * await scorer.release();
 *
 * const multiclass = await OnnxScorer.load(exportOnnx({
 *   family: 'logistic',
 *   classCount: 3,
 *   featureNames: ['x'],
 *   standardization: { mean: [0], scale: [1] },
 *   weights: [[-1], [0], [1]],
 *   bias: [0, 0, 0],
 * }));
 * multiclass.classCount; // => 3
 * const p = await multiclass.scoreProbabilities(Float32Array.from([0, 2]), 2);
 * Array.from(p, (x) => Number(x.toFixed(4))); // => [0.3333, 0.3333, 0.3333, 0.0159, 0.1173, 0.8668]
 * await multiclass.release();
 * ```
 */
export class OnnxScorer {
  /** Input column order: row-major matrices passed to `score` follow it. */
  readonly featureNames: readonly string[];
  readonly family: ModelFamily;
  /** Classes the model tells apart: 2 for a binary export, K from its metadata otherwise. */
  readonly classCount: number;
  /** Every `metadata_props` entry of the model, e.g. `driftwatch.activation`. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly #session: InferenceSession;
  readonly #inFlight = new Set<Promise<unknown>>();
  #released: Promise<void> | undefined;

  private constructor(session: InferenceSession, contract: ModelContract) {
    this.#session = session;
    this.featureNames = Object.freeze([...contract.featureNames]);
    this.family = contract.family;
    this.classCount = contract.classCount;
    this.metadata = Object.freeze({ ...contract.metadata });
  }

  static async load(
    onnxBytes: Uint8Array,
    options: OnnxScorerLoadOptions = {},
  ): Promise<OnnxScorer> {
    if (!(onnxBytes instanceof Uint8Array) || onnxBytes.length === 0) {
      throw new ModelError('DW_MODEL_INVALID', 'ONNX model bytes must be a non-empty Uint8Array');
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
    const threads = options.intraOpNumThreads;
    if (threads !== undefined && (!Number.isSafeInteger(threads) || threads <= 0)) {
      throw new ModelError(
        'DW_MODEL_INVALID_INPUT',
        `option intraOpNumThreads must be a positive integer, got ${String(threads)}`,
      );
    }
    const contract = readContract(onnxBytes);
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(onnxBytes, {
        ...(threads === undefined ? {} : { intraOpNumThreads: threads }),
      });
    } catch (error) {
      throw new ModelError(
        'DW_MODEL_INVALID',
        `onnxruntime cannot load the model: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const outputName = contract.classCount > 2 ? CLASS_PROBABILITIES_NAME : OUTPUT_NAME;
    if (!session.inputNames.includes(INPUT_NAME) || !session.outputNames.includes(outputName)) {
      await session.release();
      throw new ModelError(
        'DW_MODEL_INVALID',
        `model must have input "${INPUT_NAME}" and output "${outputName}", got inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]`,
      );
    }
    return new OnnxScorer(session, contract);
  }

  /**
   * P(class 1) for each row of `matrix`: row-major, `rowCount × featureNames.length` raw feature
   * values (see `buildFeatureMatrix`). One `session.run` per call (none for zero rows). A binary
   * model's only: a multiclass one has no single probability (`DW_MODEL_INVALID_INPUT`; see
   * `scoreProbabilities`).
   */
  async score(matrix: Float32Array, rowCount: number): Promise<Float32Array> {
    if (this.classCount > 2) {
      this.#checkOpen();
      throw new ModelError(
        'DW_MODEL_INVALID_INPUT',
        `a ${this.classCount}-class model has no single probability per row: use scoreProbabilities`,
      );
    }
    return this.#run(matrix, rowCount, OUTPUT_NAME, 1);
  }

  /**
   * Every class's probability for each row of `matrix` (as for `score`), row-major:
   * `rowCount × classCount` values, row i's class k at `i·classCount + k`. A multiclass export's
   * `probabilities` output as it is; for a binary export `[1 − p, p]` per row (1 − p rounded to
   * float32), so callers can treat every model alike. One `session.run` per call.
   */
  async scoreProbabilities(matrix: Float32Array, rowCount: number): Promise<Float32Array> {
    if (this.classCount > 2) {
      return this.#run(matrix, rowCount, CLASS_PROBABILITIES_NAME, this.classCount);
    }
    const positive = await this.#run(matrix, rowCount, OUTPUT_NAME, 1);
    const both = new Float32Array(positive.length * 2);
    positive.forEach((p, i) => {
      both[2 * i] = 1 - p;
      both[2 * i + 1] = p;
    });
    return both;
  }

  #checkOpen(): void {
    if (this.#released) throw new ModelError('DW_MODEL_RELEASED', 'the model was released');
  }

  async #run(
    matrix: Float32Array,
    rowCount: number,
    outputName: string,
    valuesPerRow: number,
  ): Promise<Float32Array> {
    this.#checkOpen();
    const width = this.featureNames.length;
    requireFeatureMatrix(matrix, rowCount, width);
    if (rowCount === 0) return new Float32Array(0);
    const run = this.#session.run({
      [INPUT_NAME]: new Tensor('float32', matrix, [rowCount, width]),
    });
    this.#inFlight.add(run);
    let output: InferenceSession.OnnxValueMapType;
    try {
      output = await run;
    } catch (error) {
      throw new ModelError(
        'DW_MODEL_SCORING_FAILED',
        `onnxruntime failed to score ${rowCount} rows: ${(error as Error).message}`,
        { cause: error },
      );
    } finally {
      this.#inFlight.delete(run);
    }
    const data: unknown = output[outputName]?.data;
    if (!(data instanceof Float32Array) || data.length !== rowCount * valuesPerRow) {
      throw new ModelError(
        'DW_MODEL_SCORING_FAILED',
        `model output "${outputName}" must be ${rowCount * valuesPerRow} float32 values`,
      );
    }
    return data;
  }

  /** Frees the native session after the runs in flight; safe to call more than once. */
  release(): Promise<void> {
    this.#released ??= (async () => {
      await Promise.allSettled([...this.#inFlight]);
      await this.#session.release();
    })();
    return this.#released;
  }
}

interface ModelContract {
  featureNames: string[];
  family: ModelFamily;
  classCount: number;
  metadata: Record<string, string>;
}

/** Reads what the scorer relies on from the ModelProto itself, before onnxruntime sees it. */
function readContract(bytes: Uint8Array): ModelContract {
  const invalid = (reason: string, cause?: unknown): ModelError =>
    new ModelError('DW_MODEL_INVALID', `not a driftwatch ONNX model: ${reason}`, { cause });
  let proto: onnxProto.onnx.ModelProto;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw invalid(`cannot decode a ModelProto (${(error as Error).message})`, error);
  }
  const metadata: Record<string, string> = {};
  for (const { key, value } of proto.metadataProps) {
    if (typeof key === 'string' && typeof value === 'string') metadata[key] = value;
  }
  const namesJson = metadata[METADATA_FEATURE_NAMES];
  if (namesJson === undefined) throw invalid(`metadata ${METADATA_FEATURE_NAMES} is missing`);
  let featureNames: unknown;
  try {
    featureNames = JSON.parse(namesJson);
  } catch (error) {
    throw invalid(`metadata ${METADATA_FEATURE_NAMES} is not JSON`, error);
  }
  if (
    !Array.isArray(featureNames) ||
    featureNames.length === 0 ||
    !featureNames.every((name) => typeof name === 'string' && name.length > 0) ||
    new Set(featureNames).size !== featureNames.length
  ) {
    throw invalid(`metadata ${METADATA_FEATURE_NAMES} must be a JSON array of unique names`);
  }
  const family = metadata[METADATA_MODEL_FAMILY];
  if (family !== 'logistic' && family !== 'mlp') {
    throw invalid(
      `metadata ${METADATA_MODEL_FAMILY} must be "logistic" or "mlp", got ${String(family)}`,
    );
  }
  const input = proto.graph?.input?.find((value) => value.name === INPUT_NAME);
  const tensorType = input?.type?.tensorType;
  const dims = tensorType?.shape?.dim ?? [];
  const width = dims.length === 2 ? longToNumber(dims[1]?.dimValue as unknown) : undefined;
  if (tensorType?.elemType !== onnx.TensorProto.DataType.FLOAT || width !== featureNames.length) {
    throw invalid(
      `input "${INPUT_NAME}" must be float32 [N, ${featureNames.length}] to match ${featureNames.length} feature names`,
    );
  }
  const classCount = readClassCount(proto, metadata, invalid);
  return { featureNames: featureNames as string[], family, classCount, metadata };
}

/** 2 without class-count metadata; else K ≥ 3, with a float32 [N, K] `probabilities` output. */
function readClassCount(
  proto: onnxProto.onnx.ModelProto,
  metadata: Record<string, string>,
  invalid: (reason: string) => ModelError,
): number {
  const text = metadata[METADATA_CLASS_COUNT];
  if (text === undefined) return 2;
  const classCount = /^[1-9][0-9]*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(classCount) || classCount < 3) {
    throw invalid(`metadata ${METADATA_CLASS_COUNT} must be an integer ≥ 3, got "${text}"`);
  }
  const output = proto.graph?.output?.find((value) => value.name === CLASS_PROBABILITIES_NAME);
  const tensorType = output?.type?.tensorType;
  const dims = tensorType?.shape?.dim ?? [];
  const columns = dims.length === 2 ? longToNumber(dims[1]?.dimValue as unknown) : undefined;
  if (tensorType?.elemType !== onnx.TensorProto.DataType.FLOAT || columns !== classCount) {
    throw invalid(
      `output "${CLASS_PROBABILITIES_NAME}" must be float32 [N, ${classCount}] to match ${METADATA_CLASS_COUNT} ${classCount}`,
    );
  }
  return classCount;
}
