import { buildQuantileProfile, type FeatureRows } from '@driftwatch/learn';
import {
  embeddingColumns,
  isEmbeddingColumn,
  type BinnedDistribution,
  type ReferenceProfile,
} from '@driftwatch/topics';

import { evenRows } from './even-rows.js';
import { ModelError } from './errors.js';
import { fitClassCalibration } from './fit-class-calibration.js';
import {
  fitMultivariateReference,
  type MultivariateReferenceOptions,
} from './fit-multivariate-reference.js';
import { fitScoreCalibration, type ScoreCalibrationInput } from './fit-score-calibration.js';

export interface ReferenceProfileInput {
  /** Names of the columns of `rows`, in order. */
  readonly featureNames: readonly string[];
  /** The reference rows' raw feature values; at least one row. */
  readonly rows: FeatureRows;
  /** The model's classes, in the order of each row's probabilities. */
  readonly classes: readonly string[];
  /** Every class's probability on each row, row-major: `rows.length × classes.length` values. */
  readonly probabilities: ArrayLike<number>;
  /** Quantile bins per distribution (fewer where ties merge edges). */
  readonly bins: number;
  /** Values per feature kept as the sample, spread evenly over the rows. Default 500. */
  readonly sampleSize?: number;
  /**
   * Binary: the holdout's scores and labels, to fit what performance estimation needs
   * (`fitScoreCalibration`); without it, or for a multiclass model, `cbpe` is null.
   */
  readonly holdout?: ScoreCalibrationInput;
  /**
   * Multiclass: the holdout's probabilities (row-major, in `classes` order) and class indices, to
   * fit what performance estimation needs (`fitClassCalibration`); without it `classCbpe` is null.
   */
  readonly classHoldout?: { probabilities: ArrayLike<number>; labels: ArrayLike<number> };
  /**
   * How the rows are clustered and projected for multivariate drift and edge cases
   * (`fitMultivariateReference`); `false`: not at all. Default: its defaults.
   */
  readonly multivariate?: MultivariateReferenceOptions | false;
  /**
   * The reference rows' embeddings, when the model does not take the vector but its drift and edge
   * cases are to be watched on it: one row of the same length per reference row (or any sample of
   * the reference's traffic). Absent when the model takes it (its `embedding[i]` columns are among
   * `featureNames`) or there is none.
   */
  readonly embeddingRows?: FeatureRows;
}

/**
 * A version's reference profile, what the detector measures data drift against: each feature
 * binned by quantiles (`buildQuantileProfile`) with an even sample of its values for KS tests,
 * and the model's output on the same rows — for two classes the probability of `classes[1]`
 * binned as `score`; for more, each class's probability binned under the class's name in
 * `classProbabilities` (and `score` null). A binary model given its holdout also gets `cbpe`, what the
 * detector estimates accuracy without labels from. The trainer profiles its training rows with it, and
 * `driftwatch models register` a user's reference file, so both read the same way downstream.
 *
 * @example
 * ```ts
 * const profile = buildReferenceProfile({
 *   featureNames: ['x'],
 *   rows: [[1], [2], [3], [4]],
 *   classes: ['no', 'yes'],
 *   probabilities: [0.9, 0.1, 0.7, 0.3, 0.4, 0.6, 0.2, 0.8],
 *   bins: 2,
 *   sampleSize: 2,
 * });
 * profile.features; // => [{"name":"x","edges":[1,2.5,4],"proportions":[0.5,0.5],"sample":[1,3]}]
 * profile.score; // => {"name":"score","edges":[0.1,0.45,0.8],"proportions":[0.5,0.5],"sample":[]}
 * profile.classProbabilities; // => []
 * profile.cbpe; // => null
 * profile.multivariate; // => null
 * ```
 */
export function buildReferenceProfile(input: ReferenceProfileInput): ReferenceProfile {
  const { rows, classes, probabilities, bins } = input;
  const classCount = classes.length;
  if (classCount < 2 || probabilities.length !== rows.length * classCount) {
    throw new ModelError(
      'DW_MODEL_INVALID_INPUT',
      `a reference profile needs two or more classes and rows × classes = ${rows.length} × ${classCount} probabilities, got ${probabilities.length}`,
    );
  }
  const classRows = Array.from({ length: rows.length }, (_, i) =>
    Array.from({ length: classCount }, (_, k) => probabilities[i * classCount + k] ?? NaN),
  );
  const binary = classCount === 2;
  // An embedding's positions are no features to bin one by one (hundreds of PSI tracks, each
  // meaningless alone): they are clustered and projected together below.
  const scalar = [...input.featureNames.keys()].filter(
    (column) => !isEmbeddingColumn(input.featureNames[column] ?? ''),
  );
  const scalarRows =
    scalar.length === input.featureNames.length
      ? rows
      : rows.map((row) => scalar.map((column) => row[column] ?? NaN));
  const profile = buildQuantileProfile({
    featureNames: scalar.map((column) => input.featureNames[column] ?? ''),
    rows: scalarRows,
    scores: binary ? classRows.map((row) => row[1] ?? NaN) : null,
    bins,
  });
  const sampleSize = input.sampleSize ?? 500;
  const classProbabilities = binary
    ? []
    : buildQuantileProfile({ featureNames: classes, rows: classRows, bins }).features.map(
        (distribution) => unsampled(distribution),
      );
  return {
    features: profile.features.map((distribution, column) => ({
      ...unsampled(distribution),
      sample: evenSample(scalarRows, column, sampleSize),
    })),
    score: profile.score ? unsampled(profile.score) : null,
    classProbabilities,
    cbpe: binary && input.holdout ? fitScoreCalibration(input.holdout) : null,
    classCbpe:
      !binary && input.classHoldout
        ? fitClassCalibration({ ...input.classHoldout, classCount })
        : null,
    rows: rows.length,
    multivariate: input.multivariate === false ? null : multivariateReference(input, scalar.length),
  };
}

/**
 * Clusters and projects the embedding when there is one (the model's `embedding[i]` inputs, or
 * `embeddingRows`), which is what "the inputs moved" means for a model fed a vector; else the
 * features.
 */
function multivariateReference(
  input: ReferenceProfileInput,
  scalarColumns: number,
): ReferenceProfile['multivariate'] {
  const { featureNames, rows, multivariate } = input;
  const options = multivariate === false ? undefined : multivariate;
  const taken = featureNames.length - scalarColumns;
  if (taken > 0) {
    const names = embeddingColumns(taken);
    const columns = names.map((name) => featureNames.indexOf(name));
    const vectors = rows.map((row) => columns.map((column) => row[column] ?? NaN));
    return fitMultivariateReference(names, vectors, options);
  }
  const vectors = input.embeddingRows;
  if (vectors && vectors.length > 0) {
    return fitMultivariateReference(embeddingColumns(vectors[0]?.length ?? 0), vectors, options);
  }
  return fitMultivariateReference(featureNames, rows, options);
}

function unsampled(distribution: {
  readonly name: string;
  readonly edges: readonly number[];
  readonly proportions: readonly number[];
}): BinnedDistribution {
  return {
    name: distribution.name,
    edges: [...distribution.edges],
    proportions: [...distribution.proportions],
    sample: [],
  };
}

/** `count` values spread evenly over the column: deterministic, and covers its whole range. */
function evenSample(rows: FeatureRows, column: number, count: number): number[] {
  return evenRows(rows, count).map((row) => row[column] ?? 0);
}
