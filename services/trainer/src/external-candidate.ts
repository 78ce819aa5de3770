import { evaluateBinaryClassifier, evaluateClassifier } from '@driftwatch/learn';
import {
  ClassifierScorer,
  ModelError,
  buildReferenceProfile,
  checkProbabilities,
  inspectClassifier,
  predictClasses,
  sha256Hex,
  type CalibrationMethod,
  type ClassifierInterpretation,
  type LabeledRows,
} from '@driftwatch/model';

import type { Challenger } from './challenger.js';

/**
 * The largest ONNX file taken from a training program. `model-versions` holds records of up to
 * 16 MiB and JSON carries bytes as base64 (4/3 larger) beside the reference profile: a bigger
 * model could not be published, and the request would fail the same way on every retry.
 */
export const MAX_ONNX_BYTES = 8 * 1024 * 1024;

export interface ExternalCandidateOptions {
  /** The columns of `train` and `holdout` rows: the champion's features, in its order. */
  featureNames: readonly string[];
  /** The champion's classes: the labels index them, the model's probabilities must follow them. */
  classes: readonly string[];
  /** Binary: the threshold the version will serve at (its champion's), for its holdout metrics. */
  threshold: number;
  train: LabeledRows;
  holdout: LabeledRows;
  referenceBins: number;
  referenceSampleSize?: number;
  /** How the holdout's scores are calibrated for performance estimation (default isotonic). */
  calibration?: CalibrationMethod;
}

export type ExternalCandidate =
  { ok: true; challenger: Challenger } | { ok: false; problem: string };

/**
 * Takes the ONNX a training program wrote as a challenger, the way driftwatch takes any model
 * trained elsewhere: `ClassifierScorer.load` with the features and the champion's classes as
 * hints and the holdout rows (the training rows when there is no holdout) as reference rows, so a
 * single [N, 1] output is settled as a probability or a logit and an [N, K] one must give
 * probabilities. It then scores the holdout (metrics as a built-in family's: binary at the threshold,
 * multiclass by the most probable class) and the training rows, whose outputs, with their
 * features, make the reference profile (`buildReferenceProfile`, as `buildCandidate` does).
 *
 * A model that names its own features or classes (`driftwatch.feature_names` or
 * `driftwatch.classes` metadata, per-feature input names, class labels on its nodes) must name
 * the ones it was asked for, in the same order — or its class indices `0 … K-1`, which is what a
 * program that trains on label indices leaves: hints would otherwise silently override a model
 * whose columns are in another order (scikit-learn sorts string labels, say).
 *
 * Anything unusable is `{ ok: false, problem }` in one line: not ONNX, too large, features or
 * classes that do not match, outputs that are not probabilities on these rows.
 */
export async function externalCandidate(
  onnx: Uint8Array,
  options: ExternalCandidateOptions,
): Promise<ExternalCandidate> {
  if (onnx.length > MAX_ONNX_BYTES) {
    return {
      ok: false,
      problem: `the model is ${onnx.length} bytes, more than the ${MAX_ONNX_BYTES} a model version can carry`,
    };
  }
  const { featureNames, classes, train, holdout } = options;
  const referenceSource = holdout.rows.length > 0 ? holdout : train;
  const referenceRows = referenceSource.rows.map((row) =>
    Object.fromEntries(featureNames.map((name, j) => [name, row[j] ?? NaN])),
  );
  let scorer: ClassifierScorer | undefined;
  try {
    scorer = await ClassifierScorer.load(onnx, { featureNames, classes, referenceRows });
    // Read again without the hints, to see what the model says of itself.
    const declared = await inspectClassifier(onnx, {
      fallbackFeatureNames: featureNames,
      referenceRows,
    });
    const contradiction = declaredNamesProblem(declared, featureNames, classes);
    if (contradiction) return { ok: false, problem: contradiction };
    const inputOrder = scorer.featureNames;
    const columns = inputOrder.map((name) => featureNames.indexOf(name));
    const holdoutProbabilities = await scoreRows(scorer, holdout, columns);
    const trainProbabilities = await scoreRows(scorer, train, columns);
    for (const [rows, probabilities] of [
      ['holdout', holdoutProbabilities],
      ['training', trainProbabilities],
    ] as const) {
      const check = checkProbabilities(probabilities, classes.length);
      if (!check.ok) {
        return {
          ok: false,
          problem: `its outputs are not probabilities on the ${rows} rows (from ${check.min} to ${check.max}, row sums off by up to ${check.maxRowSumError}, first at row ${check.firstBadRow + 1})`,
        };
      }
    }
    const classCount = classes.length;
    const holdoutMetrics =
      classCount === 2
        ? evaluateBinaryClassifier(
            holdout.labels,
            Float64Array.from(
              { length: holdout.rows.length },
              (_, i) => holdoutProbabilities[2 * i + 1] ?? NaN,
            ),
            options.threshold,
          )
        : evaluateClassifier(holdout.labels, holdoutProbabilities, classCount);
    const predicted = predictClasses(holdoutProbabilities, classCount, options.threshold);
    const reference = buildReferenceProfile({
      featureNames: inputOrder,
      rows: reorder(train.rows, columns),
      classes,
      probabilities: trainProbabilities,
      bins: options.referenceBins,
      ...(options.referenceSampleSize === undefined
        ? {}
        : { sampleSize: options.referenceSampleSize }),
      holdout: {
        scores: Float64Array.from(
          { length: holdout.rows.length },
          (_, i) => holdoutProbabilities[2 * i + 1] ?? NaN,
        ),
        labels: holdout.labels,
        threshold: options.threshold,
        ...(options.calibration ? { method: options.calibration } : {}),
      },
    });
    return {
      ok: true,
      challenger: {
        onnx,
        sha256: sha256Hex(onnx),
        featureNames: inputOrder,
        outputKind: scorer.interpretation.pinnedHints.outputKind ?? null,
        reference,
        holdoutMetrics,
        holdoutCorrect: predicted.map((k, i) => k === holdout.labels[i]),
      },
    };
  } catch (error) {
    if (error instanceof ModelError) return { ok: false, problem: error.message };
    throw error;
  } finally {
    await scorer?.release();
  }
}

/** Rows with their columns taken in `columns` order (indices into the rows' own columns). */
function reorder(rows: LabeledRows['rows'], columns: readonly number[]): number[][] {
  return rows.map((row) => columns.map((j) => row[j] ?? NaN));
}

async function scoreRows(
  scorer: ClassifierScorer,
  labeled: LabeledRows,
  columns: readonly number[],
): Promise<Float64Array> {
  const width = columns.length;
  const matrix = new Float32Array(labeled.rows.length * width);
  reorder(labeled.rows, columns).forEach((row, i) => {
    matrix.set(row, i * width);
  });
  return scorer.score(matrix, labeled.rows.length);
}

/** Where the model's own names contradict the ones it was asked for, in one line; else null. */
function declaredNamesProblem(
  declared: ClassifierInterpretation,
  featureNames: readonly string[],
  classes: readonly string[],
): string | null {
  const list = (names: readonly string[]): string => names.join(', ');
  const sameOrder = (a: readonly string[], b: readonly string[]): boolean =>
    a.length === b.length && a.every((name, i) => name === b[i]);
  const features = declared.featureNames;
  // Inputs named one per feature are fed by name, so only the set of names must agree.
  const featuresAgree =
    declared.featureNamesSource === 'input-names'
      ? features.length === featureNames.length &&
        features.every((name) => featureNames.includes(name))
      : declared.featureNamesSource !== 'metadata' || sameOrder(features, featureNames);
  if (!featuresAgree) {
    return `the model names its features ${list(features)} (${declared.featureNamesSource}), but was asked for ${list(featureNames)} (DRIFTWATCH_FEATURES)`;
  }
  const own = declared.classes;
  const indices = own.every((name, k) => name === String(k));
  const classesAgree = declared.classesSource === 'default' || indices || sameOrder(own, classes);
  if (!classesAgree) {
    return `the model's probabilities are for classes ${list(own)} (${declared.classesSource}), but must follow ${list(classes)} (DRIFTWATCH_CLASSES)`;
  }
  return null;
}
