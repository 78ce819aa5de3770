import { calibrateVersionAlarms } from '@driftwatch/alarms';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

import { DatasetError, readLabeledCsv, type LabeledCsv } from '@driftwatch/datasets';
import { evaluateBinaryClassifier, evaluateClassifier } from '@driftwatch/learn';
import {
  ModelError,
  buildFeatureMatrix,
  buildReferenceProfile,
  inspectClassifier,
  loadVersionScorer,
  calibrationMetrics,
  metricsRecord,
  resolveFeatureNames,
  sha256Hex,
  type CalibrationMethod,
  type ClassifierInterpretation,
} from '@driftwatch/model';
import {
  embeddingColumns,
  embeddingColumnsProblem,
  type AlarmSettings,
  type ModelVersion,
} from '@driftwatch/topics';

import { CliError } from './errors.js';

export interface RegistrationOptions {
  model: string;
  /** Path of the ONNX file. */
  onnx: string;
  /** Path of the reference CSV: the data the model was trained or validated on. */
  reference: string;
  /** The reference file's label column; a file without it is registered without metrics. */
  labelColumn: string;
  /**
   * Path of a golden test set: a labeled CSV with the same columns (and label column), kept in the
   * version so every challenger and its champion are scored on it.
   */
  golden?: string;
  /** Feature names in the model's input order, when the model does not say them. */
  features?: readonly string[];
  /** Class names in the order of the model's probabilities, when the model does not say them. */
  classes?: readonly string[];
  /**
   * A vector the model does not take but whose drift and edge cases are to be watched: the
   * reference file's `embedding[0]` … `embedding[n − 1]` columns, events' `embedding`. (A model
   * that takes the vector has those columns among its inputs and needs no option.)
   */
  embeddingLength?: number;
  /** Binary models: predict `classes[1]` at this probability or above. Default 0.5. */
  threshold?: number;
  /** Binary models: how the labeled rows calibrate the scores (default isotonic). */
  calibration?: CalibrationMethod;
  note?: string;
  createdAt: number;
  /**
   * The detectors' false-alarm budget and rule settings: the version's rules are calibrated under
   * them now, as the trainer calibrates its versions. Null or absent: the detector calibrates it.
   */
  alarmSettings?: AlarmSettings | null;
}

/** A version of a model trained elsewhere, ready to number and publish, and how it was read. */
export interface Registration {
  version: Omit<ModelVersion, 'version' | 'parentVersion'>;
  /** How the ONNX graph is read: where the feature names and classes came from, which output. */
  interpretation: ClassifierInterpretation;
  referenceRows: number;
  /** Reference rows with a label: the rows the metrics are measured on. */
  labeledRows: number;
  /** Null when the reference file has no label column (and so the version no metrics). */
  labelColumn: string | null;
}

/** PSI bins per distribution, as the trainer and `bootstrap` profile theirs. */
const REFERENCE_BINS = 10;

/**
 * A model-version message for a classifier trained elsewhere, from its ONNX file and a reference
 * file, as `driftwatch models register` publishes it: promoted, with the reference profile the
 * trainer would build from those rows (`buildReferenceProfile`) and the model's metrics on the
 * rows that have a label.
 *
 * Feature names are, first found: `features`; the model's own (its input names, or its
 * `driftwatch.feature_names` metadata); the reference file's header without its label and id
 * columns. The model is read by `inspectClassifier` on the reference rows, and its reading
 * pinned on the version (feature order, classes, how a single [N, 1] output reads), so serving
 * reads it the same way; the reference rows are then scored through `loadVersionScorer` with
 * those pins, exactly as a service will.
 *
 * Refuses, with a one-line `CliError` `DW_CLI_MODEL_REFUSED` naming the file and, for the
 * reference file, its line and column: a file it cannot read; bytes that are not ONNX; features
 * that do not count the model's inputs; inputs or outputs it cannot interpret; a reference cell
 * that is not a number or a feature column the reference file lacks; a label that names none of
 * the model's classes. `threshold` on a model with more than two classes is refused
 * (`DW_CLI_BAD_OPTION`): it would be ignored.
 */
export async function buildRegistration(options: RegistrationOptions): Promise<Registration> {
  const refused = (message: string, cause?: unknown): CliError =>
    new CliError('DW_CLI_MODEL_REFUSED', `${options.model} not registered: ${message}`, {
      cause,
    });
  const modelRefusal = (error: unknown): unknown =>
    error instanceof ModelError ? refused(`${options.onnx}: ${error.message}`, error) : error;

  let onnx: Uint8Array;
  try {
    onnx = new Uint8Array(await readFile(options.onnx));
  } catch (error) {
    throw refused(`cannot read ${options.onnx}: ${(error as Error).message}`, error);
  }
  // The model's inputs are checked against --features, or name the features themselves, before
  // the reference file is read: then exactly those columns must be there and numeric.
  let named: readonly string[] | undefined;
  try {
    named = resolveFeatureNames(onnx, options.features)?.featureNames;
  } catch (error) {
    throw modelRefusal(error);
  }

  const watched = embeddingColumns(options.embeddingLength ?? 0);
  if (named && watched.some((name) => named.includes(name))) {
    throw new CliError(
      'DW_CLI_BAD_OPTION',
      `${options.model} not registered: ${basename(options.onnx)} takes the embedding among its inputs; --embedding-length is for a vector the model does not take`,
    );
  }
  let table: LabeledCsv;
  try {
    table = await readLabeledCsv(options.reference, {
      labelColumn: options.labelColumn,
      labels: 'optional',
      ...(named ? { features: [...named, ...watched] } : {}),
    });
  } catch (error) {
    throw error instanceof DatasetError ? refused(error.message, error) : error;
  }
  const featureRows = table.rows.map((row) => row.features);

  let interpretation: ClassifierInterpretation;
  try {
    interpretation = await inspectClassifier(onnx, {
      ...(options.features ? { featureNames: options.features } : {}),
      ...(options.classes ? { classes: options.classes } : {}),
      // The watched vector's columns are no input of the model's.
      fallbackFeatureNames: table.featureNames.filter((name) => !watched.includes(name)),
      referenceRows: featureRows,
      intraOpNumThreads: 1,
    });
  } catch (error) {
    if (!named && error instanceof ModelError && error.code === 'DW_MODEL_FEATURE_MISMATCH') {
      throw refused(
        `${options.onnx}: ${error.message} (the fallback names are the reference file's columns other than its label and id; --features names the model's inputs in order)`,
        error,
      );
    }
    throw modelRefusal(error);
  }
  const { featureNames, classes, pinnedHints } = interpretation;
  const gap = embeddingColumnsProblem(featureNames);
  if (gap) throw refused(`the model's inputs: ${gap}`);
  const absent = watched.find((name) => !table.featureNames.includes(name));
  if (absent) {
    throw refused(
      `--embedding-length ${watched.length}: ${options.reference} has no ${absent} column (the vector's values are columns embedding[0] … embedding[${watched.length - 1}])`,
    );
  }
  if (classes.length > 2 && options.threshold !== undefined) {
    throw new CliError(
      'DW_CLI_BAD_OPTION',
      `${options.model} not registered: --threshold is for binary models, and ${basename(options.onnx)} has ${classes.length} classes (${classes.join(', ')}); it predicts the most probable`,
    );
  }
  const threshold = options.threshold ?? 0.5;
  const labels = classIndices(
    table,
    options.reference,
    classes,
    interpretation.classesSource,
    refused,
  );

  const sha256 = sha256Hex(onnx);
  const outputKind = pinnedHints.outputKind ?? null;
  const probabilities = await scoreAsServed(
    { onnx, sha256, featureNames: [...featureNames], classes: [...classes], outputKind },
    featureRows,
  ).catch((error: unknown) => {
    throw modelRefusal(error);
  });
  const reference = buildReferenceProfile({
    featureNames,
    rows: featureRows.map((features) => featureNames.map((name) => features[name] ?? NaN)),
    ...(watched.length > 0
      ? {
          embeddingRows: featureRows.map((features) =>
            watched.map((name) => features[name] ?? NaN),
          ),
        }
      : {}),
    classes,
    probabilities,
    bins: REFERENCE_BINS,
    ...(classes.length === 2
      ? {
          holdout: {
            ...labeledScores(labels, probabilities, threshold),
            method: options.calibration ?? 'isotonic',
          },
        }
      : { classHoldout: labeledRows(labels, probabilities, classes.length) }),
  });

  const version: Registration['version'] = {
    model: options.model,
    createdAt: options.createdAt,
    status: 'promoted',
    reason: `registered: ${options.note ?? basename(options.onnx)}`,
    decidedBy: null,
    traffic: null,
    shadowTrial: null,
    trainedWith: { registered: basename(options.onnx) },
    requestId: null,
    sha256,
    onnx,
    featureNames: [...featureNames],
    classes: [...classes],
    threshold,
    outputKind,
    reference,
    metrics: {
      challenger: {
        ...labeledMetrics(labels, probabilities, classes.length, threshold),
        ...calibrationMetrics(reference.cbpe),
      },
      champion: null,
    },
    trainingWindow: {
      fromTs: options.createdAt,
      toTs: options.createdAt,
      trainRows: 0,
      holdoutRows: table.rows.length,
    },
  };
  if (options.alarmSettings) {
    version.alarmCalibration = calibrateVersionAlarms(version, options.alarmSettings);
  }
  if (options.golden !== undefined) {
    version.goldenSet = await readGoldenSet(options.golden, options.labelColumn, interpretation);
  }
  return {
    version,
    interpretation,
    referenceRows: table.rows.length,
    labeledRows: labels.filter((label) => label !== undefined).length,
    labelColumn: table.labelColumn,
  };
}

/** Each row's label as an index into `classes`; undefined for a row without one. */
/** A golden set's rows in the model's input order and its labels as class indices; every row labeled. */
async function readGoldenSet(
  path: string,
  labelColumn: string,
  { featureNames, classes, classesSource }: ClassifierInterpretation,
): Promise<NonNullable<ModelVersion['goldenSet']>> {
  let table: LabeledCsv;
  try {
    table = await readLabeledCsv(path, { labelColumn, labels: 'required', features: featureNames });
  } catch (error) {
    throw error instanceof DatasetError
      ? new CliError('DW_CLI_BAD_OPTION', `--golden: ${error.message}`, { cause: error })
      : error;
  }
  const labels = classIndices(
    table,
    path,
    classes,
    classesSource,
    (message) => new CliError('DW_CLI_BAD_OPTION', `--golden: ${message}`),
  );
  return {
    rows: table.rows.map((row) => featureNames.map((name) => row.features[name] ?? NaN)),
    labels: labels.map((label) => label ?? 0),
  };
}

function classIndices(
  table: LabeledCsv,
  path: string,
  classes: readonly string[],
  classesSource: ClassifierInterpretation['classesSource'],
  refused: (message: string) => CliError,
): (number | undefined)[] {
  const indexOf = new Map(classes.map((name, index) => [name, index]));
  return table.rows.map((row) => {
    if (row.label === undefined) return undefined;
    // The joiner's rule (labelClassName): an integer label names the class of its digits.
    const index = indexOf.get(String(row.label));
    if (index === undefined) {
      const hint =
        classesSource === 'default' ? '; the model does not name its classes: --classes does' : '';
      throw refused(
        `${path} line ${row.line} (data row ${row.index + 1}), column ${table.labelColumn ?? ''}: class ${JSON.stringify(String(row.label))} is not one of the model's classes (${classes.join(', ')})${hint}`,
      );
    }
    return index;
  });
}

/** Every class's probability on each row, read through the pins a service will use. */
async function scoreAsServed(
  version: Pick<ModelVersion, 'onnx' | 'sha256' | 'featureNames' | 'classes' | 'outputKind'>,
  rows: readonly Readonly<Record<string, number>>[],
): Promise<Float64Array> {
  const scorer = await loadVersionScorer(version, { intraOpNumThreads: 1 });
  try {
    const { matrix, accepted } = buildFeatureMatrix(
      rows.map((features) => ({ features })),
      scorer.featureNames,
    );
    return await scorer.score(matrix, accepted.length);
  } finally {
    await scorer.release();
  }
}

/** The labeled rows' positive-class scores and labels: the reference file is the holdout. */
function labeledScores(
  labels: readonly (number | undefined)[],
  probabilities: Float64Array,
  threshold: number,
): { scores: number[]; labels: number[]; threshold: number } {
  const rows = labels.flatMap((label, i) => (label === undefined ? [] : [i]));
  return {
    scores: rows.map((i) => probabilities[i * 2 + 1] ?? NaN),
    labels: rows.map((i) => labels[i] ?? NaN),
    threshold,
  };
}

/** The labeled rows' probabilities (row-major) and class indices: the multiclass holdout. */
function labeledRows(
  labels: readonly (number | undefined)[],
  probabilities: Float64Array,
  classCount: number,
): { probabilities: number[]; labels: number[] } {
  const rows = labels.flatMap((label, i) => (label === undefined ? [] : [i]));
  return {
    probabilities: rows.flatMap((i) =>
      Array.from(probabilities.subarray(i * classCount, (i + 1) * classCount)),
    ),
    labels: rows.map((i) => labels[i] ?? 0),
  };
}

/** Metrics on the labeled rows, as the trainer records a holdout's; none without labels. */
function labeledMetrics(
  labels: readonly (number | undefined)[],
  probabilities: Float64Array,
  classCount: number,
  threshold: number,
): Record<string, number> {
  if (classCount === 2) {
    const holdout = labeledScores(labels, probabilities, threshold);
    if (holdout.labels.length === 0) return {};
    return metricsRecord(evaluateBinaryClassifier(holdout.labels, holdout.scores, threshold));
  }
  const holdout = labeledRows(labels, probabilities, classCount);
  if (holdout.labels.length === 0) return {};
  return metricsRecord(evaluateClassifier(holdout.labels, holdout.probabilities, classCount));
}
