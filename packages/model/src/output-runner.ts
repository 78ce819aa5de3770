import { InferenceSession, Tensor } from 'onnxruntime-node';

import type { ProbabilityOutput } from './choose-probability-output.js';
import { ModelError } from './errors.js';
import type { ClassifierInputs } from './resolve-classifier-inputs.js';

/** Runs the session on a feature matrix and returns the chosen output tensor's raw values. */
export class OutputRunner {
  readonly #session: InferenceSession;
  readonly #inputs: ClassifierInputs;
  readonly #tensor: string;
  /** Values per row of the raw output: K, or 1 for a single output. */
  readonly #width: number;

  private constructor(
    session: InferenceSession,
    inputs: ClassifierInputs,
    chosen: ProbabilityOutput,
  ) {
    this.#session = session;
    this.#inputs = inputs;
    this.#tensor = chosen.tensor;
    this.#width = chosen.kind === 'single' ? 1 : chosen.classCount;
  }

  static async create(
    bytes: Uint8Array,
    inputs: ClassifierInputs,
    chosen: ProbabilityOutput,
    threads: number | undefined,
  ): Promise<OutputRunner> {
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(bytes, {
        ...(threads === undefined ? {} : { intraOpNumThreads: threads }),
      });
    } catch (error) {
      throw new ModelError(
        'DW_MODEL_INVALID',
        `onnxruntime cannot load the model: ${oneLine((error as Error).message)}`,
        { cause: error },
      );
    }
    return new OutputRunner(session, inputs, chosen);
  }

  async run(matrix: Float32Array, rowCount: number): Promise<Float32Array | Float64Array> {
    const { inputLayout, inputNames } = this.#inputs;
    const width = this.#inputs.featureNames.length;
    const feeds: Record<string, Tensor> = {};
    const [matrixInput] = inputNames;
    if (inputLayout === 'matrix' && matrixInput !== undefined) {
      feeds[matrixInput] = new Tensor('float32', matrix, [rowCount, width]);
    } else {
      // skl2onnx with named columns takes each feature as its own [N, 1] input.
      inputNames.forEach((name, column) => {
        const values = new Float32Array(rowCount);
        for (let row = 0; row < rowCount; row++) values[row] = matrix[row * width + column] ?? NaN;
        feeds[name] = new Tensor('float32', values, [rowCount, 1]);
      });
    }
    let output: InferenceSession.OnnxValueMapType;
    try {
      // Fetching only the probabilities spares copying out a label tensor nobody reads.
      output = await this.#session.run(feeds, [this.#tensor]);
    } catch (error) {
      throw new ModelError(
        'DW_MODEL_SCORING_FAILED',
        `onnxruntime failed to score ${rowCount} rows: ${oneLine((error as Error).message)}`,
        { cause: error },
      );
    }
    const data: unknown = output[this.#tensor]?.data;
    if (
      !(data instanceof Float32Array || data instanceof Float64Array) ||
      data.length !== rowCount * this.#width
    ) {
      throw new ModelError(
        'DW_MODEL_SCORING_FAILED',
        `model output "${this.#tensor}" must be ${rowCount} × ${this.#width} float values`,
      );
    }
    return data;
  }

  release(): Promise<void> {
    return this.#session.release();
  }
}

/** onnxruntime's messages can span lines; a refusal is one. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
