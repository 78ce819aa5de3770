import type { OnnxValueDescription } from './describe-onnx-value.js';

/** How one [N, 1] output reads: P(second class), or the logit of it (sigmoid applied). */
export type SingleOutputKind = 'probability' | 'logit';

/**
 * What the user (or a stored model version) says about a classifier trained elsewhere. Each hint
 * wins over what the model itself says; each is checked against the graph.
 */
export interface ClassifierHints {
  /** Feature names in the model's input order (`--features`). */
  readonly featureNames?: readonly string[];
  /** Class labels in the order of the probability output (`--classes`); integers as text. */
  readonly classes?: readonly string[];
  /** For a single [N, 1] output only: whether it is a probability or a logit. */
  readonly outputKind?: SingleOutputKind;
}

/** Where the feature names came from, for the CLI to say. */
export type FeatureNamesSource =
  /** `ClassifierHints.featureNames`. */
  | 'hint'
  /** The model's own input names, one [N, 1] input per feature (skl2onnx with named columns). */
  | 'input-names'
  /** The model's `driftwatch.feature_names` metadata (JSON array). */
  | 'metadata'
  /** The caller's `fallbackFeatureNames`, e.g. the reference file's header. */
  | 'fallback';

/** Where the class labels came from. */
export type ClassesSource =
  /** `ClassifierHints.classes`. */
  | 'hint'
  /** The model's `driftwatch.classes` metadata (JSON array). */
  | 'metadata'
  /** The labels the exporter wrote on a ZipMap or classifier node (`classlabels_…`). */
  | 'model'
  /** None said: `0 … K-1`. */
  | 'default';

/**
 * How the probabilities are read:
 * - `probabilities`: one float tensor [N, K], K ≥ 2, a column per class;
 * - `zipmap`: skl2onnx's sequence of maps, read through the [N, K] tensor the ZipMap node turns
 *   into maps (the node is cut from the graph: onnxruntime-node cannot return non-tensors);
 * - `probability` / `logit`: one [N, 1] value for the second class, the first gets 1 - p.
 */
export type ClassifierOutputKind = 'probabilities' | 'zipmap' | SingleOutputKind;

/** Why the output was read as it was: its shape, a hint, its name, or its values on reference rows. */
export type OutputKindSource = 'shape' | 'hint' | 'name' | 'values';

export interface ClassifierOutput {
  /** The graph output read, as the exporter named it. */
  readonly name: string;
  readonly kind: ClassifierOutputKind;
  readonly kindSource: OutputKindSource;
  /** The tensor actually fetched: `name`, or the ZipMap's input for `zipmap`. */
  readonly tensor: string;
}

/**
 * How driftwatch reads a classifier trained elsewhere: which inputs take which features, which
 * output holds which class's probability. Everything the CLI prints when registering, and in
 * `pinnedHints` what to store with the version so that loading it again reads it the same way.
 */
export interface ClassifierInterpretation {
  /** Inputs and outputs as Python's onnxruntime reports them. */
  readonly inputs: readonly OnnxValueDescription[];
  readonly outputs: readonly OnnxValueDescription[];
  /** One float [N, F] tensor, or one float [N, 1] tensor per feature (fed by input name). */
  readonly inputLayout: 'matrix' | 'per-feature';
  /** In the model's input order: matrix column j, or input j. */
  readonly featureNames: readonly string[];
  readonly featureNamesSource: FeatureNamesSource;
  /** In the order of the probabilities `score` returns; integer classes as decimal text. */
  readonly classes: readonly string[];
  readonly classesSource: ClassesSource;
  readonly output: ClassifierOutput;
  /** Outputs left unread: a predicted-label tensor beside the probabilities. */
  readonly ignoredOutputs: readonly string[];
  /** How many reference rows the output's values were checked on (0 when none were given). */
  readonly referenceRowsChecked: number;
  /** Every `metadata_props` entry of the model. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Hints that pin this reading: feature names, classes, and the kind of an [N, 1] output. */
  readonly pinnedHints: ClassifierHints;
}
