import type { ModelVersion } from '@driftwatch/topics';

/** What an MLflow run records of a model version. */
export interface VersionRun {
  runName: string;
  /** Searchable: `driftwatch_model`, `driftwatch_version`, `driftwatch_status`, and the reason as the run's note. */
  tags: Record<string, string>;
  params: Record<string, string>;
  /** The challenger's holdout metrics as they are, the champion's on the same holdout as `champion.<name>`. */
  metrics: Record<string, number>;
}

/** MLflow keeps a param value up to this many characters (6,000 since 2.x; 500 before). */
const PARAM_LIMIT = 500;

/**
 * A model version as an MLflow run: named `<model> v<version>`, tagged so it can be found again
 * (and by status), its reason as the run's note, how it was trained and on what window as params,
 * and both models' holdout metrics. Pure: `MlflowTracker` does the talking.
 *
 * @example
 * ```ts
 * const run = versionRun({
 *   model: 'churn', version: 2, parentVersion: 1, createdAt: 0, status: 'promoted',
 *   reason: 'drift request: accuracy 0.87 vs champion 0.73', decidedBy: null, requestId: 'r1',
 *   sha256: 'ab', onnx: new Uint8Array(), featureNames: ['x'], classes: ['0', '1'], threshold: 0.5,
 *   outputKind: 'probability', reference: null, trainedWith: { family: 'logistic' },
 *   metrics: { challenger: { accuracy: 0.87 }, champion: { accuracy: 0.73 } },
 *   trainingWindow: { fromTs: 0, toTs: 0, trainRows: 800, holdoutRows: 200 },
 * });
 * run.runName; // => "churn v2"
 * run.params.family; // => "logistic"
 * run.metrics; // => {"accuracy":0.87,"champion.accuracy":0.73}
 * ```
 */
export function versionRun(version: ModelVersion): VersionRun {
  const params: Record<string, string> = {
    parentVersion: version.parentVersion === null ? 'none' : String(version.parentVersion),
    requestId: version.requestId ?? 'none',
    features: version.featureNames.join(','),
    classes: version.classes.join(','),
    threshold: String(version.threshold),
    windowFromTs: new Date(version.trainingWindow.fromTs).toISOString(),
    windowToTs: new Date(version.trainingWindow.toTs).toISOString(),
    trainRows: String(version.trainingWindow.trainRows),
    holdoutRows: String(version.trainingWindow.holdoutRows),
    ...(version.trainingWindow.chosen ? { windowChosen: version.trainingWindow.chosen } : {}),
    ...version.trainedWith,
  };
  for (const [key, value] of Object.entries(params)) {
    if (value.length > PARAM_LIMIT) params[key] = `${value.slice(0, PARAM_LIMIT - 1)}…`;
  }
  const metrics: Record<string, number> = { ...version.metrics.challenger };
  for (const [name, value] of Object.entries(version.metrics.champion ?? {})) {
    metrics[`champion.${name}`] = value;
  }
  return {
    runName: `${version.model} v${version.version}`,
    tags: {
      driftwatch_model: version.model,
      driftwatch_version: String(version.version),
      driftwatch_status: version.status,
      driftwatch_sha256: version.sha256,
      ...(version.decidedBy === null ? {} : { driftwatch_decided_by: version.decidedBy }),
      'mlflow.note.content': version.reason,
    },
    params,
    metrics,
  };
}
