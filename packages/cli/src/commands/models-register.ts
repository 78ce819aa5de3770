import {
  calibrationMethods,
  type CalibrationMethod,
  type ClassifierInterpretation,
} from '@driftwatch/model';
import { MlflowClient, MlflowTracker } from '@driftwatch/mlflow';
import type { ModelVersion } from '@driftwatch/topics';
import { Command, Option } from 'commander';

import { buildRegistration, type Registration } from '../build-registration.js';
import { readAlarmSettings, readCliConfig } from '../cli-config.js';
import { cliKafka } from '../kafka-client.js';
import { parseModelName } from '../model-name.js';
import { parseNameList } from '../name-list.js';
import { parsePositiveInteger, parseThreshold } from '../number-options.js';
import { optionParser } from '../option-parser.js';
import { openModelVersions } from '../open-model-versions.js';
import { publishVersionRecord } from '../publish-version-record.js';

interface RegisterOptions {
  onnx: string;
  reference: string;
  labelColumn: string;
  golden?: string;
  features?: string[];
  classes?: string[];
  embeddingLength?: number;
  threshold?: number;
  calibration: CalibrationMethod;
  note?: string;
  json: boolean;
}

/** Where the feature names came from, as `--json` says it. */
export type FeatureNamesFrom = 'features-option' | 'input-names' | 'metadata' | 'reference-header';
/** Where the class names came from, as `--json` says it. */
export type ClassesFrom = 'classes-option' | 'metadata' | 'model' | 'default';

/** What `models register --json` prints. */
export interface RegisterReport {
  model: string;
  version: number;
  parentVersion: number | null;
  status: ModelVersion['status'];
  reason: string;
  topic: string;
  onnx: { file: string; bytes: number; sha256: string };
  featureNames: string[];
  featureNamesFrom: FeatureNamesFrom;
  classes: string[];
  classesFrom: ClassesFrom;
  /** Binary models' decision threshold; null for more than two classes (the most probable wins). */
  threshold: number | null;
  /** How a single [N, 1] output reads, pinned on the version; null for [N, K] outputs. */
  outputKind: ModelVersion['outputKind'];
  /** The graph output read and why it was read that way (`kindSource`). */
  output: ClassifierInterpretation['output'];
  reference: {
    file: string;
    rows: number;
    /** Null when the file has no label column: the version then carries no metrics. */
    labelColumn: string | null;
    labeledRows: number;
    /** What the profile holds: binned features, and the binned score or class probabilities. */
    profile: { features: number; score: boolean; classProbabilities: string[] };
  };
  /** On the reference rows that have a label; empty without labels. */
  metrics: Record<string, number>;
  /** The budget its alerting rules were calibrated to (DETECTOR_FALSE_ALARM_EVERY); null: none. */
  falseAlarmEvery: number | null;
}

const featureNamesFrom: Record<
  ClassifierInterpretation['featureNamesSource'],
  [FeatureNamesFrom, string]
> = {
  hint: ['features-option', 'from --features'],
  'input-names': ['input-names', "from the model's input names"],
  metadata: ['metadata', "from the model's driftwatch.feature_names metadata"],
  fallback: ['reference-header', "from the reference file's header"],
};

const classesFrom: Record<ClassifierInterpretation['classesSource'], [ClassesFrom, string]> = {
  hint: ['classes-option', 'from --classes'],
  metadata: ['metadata', "from the model's driftwatch.classes metadata"],
  model: ['model', "from the model's class labels"],
  default: ['default', 'the model names none, so their indices (--classes names them)'],
};

export function registerReport(
  registration: Registration,
  published: Pick<ModelVersion, 'version' | 'parentVersion'>,
  context: { topic: string; onnx: string; reference: string },
): RegisterReport {
  const { version, interpretation } = registration;
  return {
    model: version.model,
    version: published.version,
    parentVersion: published.parentVersion,
    status: version.status,
    reason: version.reason,
    topic: context.topic,
    onnx: { file: context.onnx, bytes: version.onnx.byteLength, sha256: version.sha256 },
    featureNames: version.featureNames,
    featureNamesFrom: featureNamesFrom[interpretation.featureNamesSource][0],
    classes: version.classes,
    classesFrom: classesFrom[interpretation.classesSource][0],
    threshold: version.classes.length === 2 ? version.threshold : null,
    outputKind: version.outputKind,
    output: interpretation.output,
    reference: {
      file: context.reference,
      rows: registration.referenceRows,
      labelColumn: registration.labelColumn,
      labeledRows: registration.labeledRows,
      profile: {
        features: version.reference.features.length,
        score: version.reference.score !== null,
        classProbabilities: version.reference.classProbabilities.map((c) => c.name),
      },
    },
    metrics: version.metrics.challenger,
    falseAlarmEvery: version.alarmCalibration?.settings.falseAlarmEvery ?? null,
  };
}

/** How the output is read, in words. */
function describeOutput(report: RegisterReport, interpretation: ClassifierInterpretation): string {
  const { name, kind, kindSource, tensor } = interpretation.output;
  const positive = report.classes[1] ?? '1';
  const why =
    kindSource === 'name'
      ? ' (by its name)'
      : kindSource === 'values'
        ? ` (its values on the reference rows ${kind === 'logit' ? 'leave' : 'lie in'} [0, 1])`
        : '';
  switch (kind) {
    case 'probabilities':
      return `${name}: one probability per class`;
    case 'zipmap':
      return `${name}: a ZipMap of the class probabilities, read through its input ${tensor}`;
    case 'probability':
      return `${name}: P(${positive}), one value per row${why}; pinned as outputKind probability`;
    case 'logit':
      return `${name}: the logit of P(${positive}), one value per row${why}; pinned as outputKind logit`;
  }
}

/** The lines a person reads after registering. */
export function describeRegistration(
  report: RegisterReport,
  interpretation: ClassifierInterpretation,
): string {
  const fixed = (value: number | undefined): string =>
    value === undefined ? '—' : value.toFixed(3);
  const { reference, metrics } = report;
  const profile = [
    `${reference.profile.features} features`,
    reference.profile.score
      ? `P(${report.classes[1] ?? '1'}) as the score`
      : `${reference.profile.classProbabilities.length} class probabilities`,
  ].join(', ');
  const metricsLine =
    reference.labelColumn === null
      ? `none: the reference file has no label column (--label-column names it)`
      : reference.labeledRows === 0
        ? `none: no reference row has a label in column ${reference.labelColumn}`
        : `on ${reference.labeledRows} labeled rows (column ${reference.labelColumn}): accuracy ${fixed(metrics['accuracy'])}, f1 ${fixed(metrics['f1'])}, rocAuc ${fixed(metrics['rocAuc'])}`;
  const rows: [string, string][] = [
    ['onnx', `${report.onnx.file}, ${report.onnx.bytes} bytes, sha256 ${report.onnx.sha256}`],
    [
      'features',
      `${report.featureNames.join(', ')} — ${featureNamesFrom[interpretation.featureNamesSource][1]}`,
    ],
    ['classes', `${report.classes.join(', ')} — ${classesFrom[interpretation.classesSource][1]}`],
    ['output', describeOutput(report, interpretation)],
    [
      'predicts',
      report.threshold === null
        ? 'the most probable class'
        : `${report.classes[1] ?? '1'} when its probability is ≥ ${report.threshold}, else ${report.classes[0] ?? '0'}`,
    ],
    ['reference', `${reference.rows} rows of ${reference.file}; profile: ${profile}`],
    ['metrics', metricsLine],
    [
      'alerts',
      report.falseAlarmEvery === null
        ? 'raw thresholds (DETECTOR_FALSE_ALARM_EVERY=0)'
        : `every rule calibrated to one false alarm per ${report.falseAlarmEvery.toLocaleString('en-US')} events of an unchanged stream (DETECTOR_FALSE_ALARM_EVERY)`,
    ],
  ];
  return [
    `registered ${report.model} v${report.version} (${report.status}, serving; parent ${report.parentVersion === null ? 'none' : `v${report.parentVersion}`}) to ${report.topic} — ${report.reason}`,
    ...rows.map(([key, value]) => `  ${key.padEnd(10)} ${value}`),
  ].join('\n');
}

/**
 * Publishes a model trained elsewhere as the serving version of `model`: checked and profiled by
 * `buildRegistration` before anything touches Kafka, so a refusal publishes nothing; numbered
 * after the highest version the registry holds for the model, its parent the serving one.
 */
async function register(model: string, options: RegisterOptions): Promise<void> {
  const config = readCliConfig();
  const registration = await buildRegistration({
    model,
    onnx: options.onnx,
    reference: options.reference,
    labelColumn: options.labelColumn,
    ...(options.golden === undefined ? {} : { golden: options.golden }),
    ...(options.features ? { features: options.features } : {}),
    ...(options.classes ? { classes: options.classes } : {}),
    ...(options.embeddingLength === undefined ? {} : { embeddingLength: options.embeddingLength }),
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    calibration: options.calibration,
    ...(options.note === undefined ? {} : { note: options.note }),
    createdAt: Date.now(),
    alarmSettings: readAlarmSettings(),
  });

  const kafka = cliKafka(config);
  const { codec, registry } = await openModelVersions(config, kafka, 'register');
  const version: ModelVersion = {
    ...registration.version,
    version: registry.highestVersionNumber(model) + 1,
    parentVersion: registry.latestPromoted(model)?.version ?? null,
  };
  await publishVersionRecord(config, kafka, codec, version);
  if (config.mlflowTrackingUri !== '') {
    // The trainer's sync logs it too; here it is at once, and an outage only warns.
    const tracker = new MlflowTracker(new MlflowClient({ trackingUri: config.mlflowTrackingUri }));
    try {
      await tracker.track([...registry.versions(model), version]);
    } catch (error) {
      console.error(
        `driftwatch: MLflow at ${config.mlflowTrackingUri} did not take ${model} v${version.version} (${error instanceof Error ? error.message : String(error)}); a trainer with MLFLOW_TRACKING_URI logs it once MLflow is back`,
      );
    }
  }
  const report = registerReport(registration, version, {
    topic: config.names.modelVersions,
    onnx: options.onnx,
    reference: options.reference,
  });
  console.log(
    options.json
      ? JSON.stringify(report)
      : describeRegistration(report, registration.interpretation),
  );
}

export function modelsRegisterCommand(): Command {
  return new Command('register')
    .description(
      'publish a classifier trained elsewhere (ONNX) as the serving version of <model>, profiled on a reference file',
    )
    .argument('<model>', 'the model the version is for', optionParser(parseModelName))
    .requiredOption('--onnx <file>', 'the model, exported to ONNX')
    .requiredOption(
      '--reference <csv>',
      'data the model was trained or validated on, with a header: features (and labels)',
    )
    .option('--label-column <name>', "the reference file's label column", 'label')
    .option(
      '--golden <csv>',
      'a labeled test set with the same columns: every challenger and its champion are scored on it, both accuracies kept in the version',
    )
    .addOption(
      new Option(
        '--features <a,b,…>',
        "feature names in the model's input order (default: the model's own, else the reference file's header)",
      ).argParser(optionParser(parseNameList)),
    )
    .addOption(
      new Option(
        '--classes <c0,c1,…>',
        "class names in the order of the model's probabilities (default: the model's own, else 0, 1, …)",
      ).argParser(optionParser(parseNameList)),
    )
    .addOption(
      new Option(
        '--embedding-length <n>',
        "watch drift and edge cases on a vector the model does not take: the reference file's embedding[0] … embedding[n−1] columns, events' `embedding` (a model that takes it lists those columns among its inputs)",
      ).argParser(optionParser(parsePositiveInteger)),
    )
    .addOption(
      new Option(
        '--threshold <t>',
        'binary models: predict the second class at this probability or above (default 0.5)',
      ).argParser(optionParser(parseThreshold)),
    )
    .addOption(
      new Option(
        '--calibration <method>',
        'binary models: how the labeled rows calibrate the scores for estimating accuracy without labels',
      )
        .choices(calibrationMethods)
        .default('isotonic'),
    )
    .option('--note <text>', 'why it is registered (the version reason: "registered: <note>")')
    .option('--json', 'print what was published as one JSON object', false)
    .addHelpText(
      'after',
      `
The model is read as the services will serve it: its inputs take the features (one [N, F]
tensor, or one [N, 1] tensor per feature), its output gives the class probabilities ([N, K]
probabilities, a scikit-learn ZipMap, or one [N, 1] probability or logit). It is checked on the
reference rows, which are also profiled for data drift as the trainer profiles its training
rows; rows with a label give the version's metrics and, for a binary model, the calibration of
its scores (isotonic when it helps, or --calibration platt) that lets the detector estimate its
accuracy before labels arrive. Anything it cannot read is refused in one line, and nothing is
published.

The version is promoted, numbered after the highest version of <model> on model-versions, with
the serving version (if any) as its parent: inference serves it from its next batch.

Examples:
  $ driftwatch models register iris --onnx iris.onnx --reference iris.reference.csv
  $ driftwatch models register churn --onnx churn.onnx --reference train.csv \\
      --label-column churned --classes stay,churn --threshold 0.3 --note "retrained in Python"`,
    )
    .action(async (model: string, options: RegisterOptions) => {
      await register(model, options);
    });
}
