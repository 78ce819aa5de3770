import { deploymentNames, type ModelRegistry } from '@driftwatch/bus';
import { textTable } from '@driftwatch/service-kit';
import { createCodecs, versionClasses, type ModelVersion } from '@driftwatch/topics';
import { Command } from 'commander';

import { readCliConfig } from '../cli-config.js';
import { CliError } from '../errors.js';
import { cliKafka, connectAdmin, missingTopics } from '../kafka-client.js';
import { liveKey, readLiveAccuracy, type LiveAccuracy } from '../live-accuracy.js';
import { lineageLines } from '../model-lineage.js';
import { parseModelName } from '../model-name.js';
import { formatDuration, parseDuration } from '../duration.js';
import { optionParser } from '../option-parser.js';
import { readModelRegistry } from '../read-model-registry.js';
import { modelsRegisterCommand } from './models-register.js';

/** A version as `models --json` prints it: everything but the ONNX bytes and the references. */
export interface ModelVersionSummary {
  model: string;
  version: number;
  parentVersion: number | null;
  status: ModelVersion['status'];
  /** Who promoted or rejected it when it was a candidate (`driftwatch promote`); else null. */
  decidedBy: string | null;
  /** A candidate's A/B share of events (`promote --traffic`); else null. */
  traffic: number | null;
  /** The highest promoted version: the one inference serves. */
  serving: boolean;
  createdAt: number;
  reason: string;
  requestId: string | null;
  sha256: string;
  onnxBytes: number;
  featureNames: string[];
  /** The version's classes, in the order of its probabilities (`["0", "1"]` for older versions). */
  classes: string[];
  threshold: number;
  outputKind: ModelVersion['outputKind'];
  metrics: ModelVersion['metrics'];
  trainingWindow: ModelVersion['trainingWindow'];
  /**
   * Its alerting rules' calibration, made when it was trained or registered: the settings it was
   * made under and every rule's threshold; null when it carries none (raw thresholds, or the
   * detector calibrates it).
   */
  alarmCalibration: ModelVersion['alarmCalibration'] | null;
  /** With `--live`: how the version did on the labeled predictions of that stretch. */
  live?: LiveAccuracy;
}

/** Every version of `model` (or of every model), oldest first within a model. */
export function summarizeVersions(registry: ModelRegistry, model?: string): ModelVersionSummary[] {
  const models = model === undefined ? registry.models() : [model];
  return models.flatMap((name) => {
    const serving = registry.latestPromoted(name)?.version;
    return registry.versions(name).map((v) => ({
      model: v.model,
      version: v.version,
      parentVersion: v.parentVersion,
      status: v.status,
      decidedBy: v.decidedBy,
      traffic: v.traffic,
      serving: v.version === serving,
      createdAt: v.createdAt,
      reason: v.reason,
      requestId: v.requestId,
      sha256: v.sha256,
      onnxBytes: v.onnx.byteLength,
      featureNames: v.featureNames,
      classes: [...versionClasses(v)],
      threshold: v.threshold,
      outputKind: v.outputKind,
      metrics: v.metrics,
      trainingWindow: v.trainingWindow,
      alarmCalibration: v.alarmCalibration ?? null,
    }));
  });
}

/** The metrics a person compares first; others are in `--json`. */
// goldenAccuracy: on the owner's golden set, where the model has one (`models register --golden`).
const headlineMetrics = ['accuracy', 'f1', 'rocAuc', 'goldenAccuracy'] as const;

function metricCell(version: ModelVersionSummary, name: string): string {
  const challenger = version.metrics.challenger[name];
  if (challenger === undefined) return '';
  const champion = version.metrics.champion?.[name];
  return champion === undefined ? fixed(challenger) : `${fixed(challenger)} vs ${fixed(champion)}`;
}

function fixed(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : String(value);
}

/** `2024-06-01 12:00:00`, UTC: one width, sorts as text. */
export function shortTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/**
 * The runs table: one row per version; `*` marks the serving one. Metrics read "challenger vs
 * champion" (the champion on the same holdout), or the challenger's alone for a bootstrap model.
 */
export function versionsTable(versions: readonly ModelVersionSummary[]): string {
  const metrics = headlineMetrics.filter((name) =>
    versions.some((v) => v.metrics.challenger[name] !== undefined),
  );
  const live = versions.some((v) => v.live !== undefined);
  const rows = versions.map((v) => [
    v.model,
    `v${v.version}${v.serving ? ' *' : ''}`,
    v.parentVersion === null ? '-' : `v${v.parentVersion}`,
    statusText(v),
    shortTime(v.createdAt),
    `${v.trainingWindow.trainRows}/${v.trainingWindow.holdoutRows}`,
    ...metrics.map((name) => metricCell(v, name)),
    ...(live ? [liveCell(v.live)] : []),
    v.sha256.slice(0, 12),
    truncate(v.reason, 40),
  ]);
  const head = [
    'model',
    'version',
    'parent',
    'status',
    'created (UTC)',
    'train/holdout',
    ...metrics,
    ...(live ? ['live accuracy'] : []),
    'sha256',
    'reason',
  ];
  return textTable(rows, { head }).join('\n');
}

/** `0.874 (1,204)`: right over labeled, and how many were labeled; `-` with none. */
function liveCell(live: LiveAccuracy | undefined): string {
  if (!live || live.accuracy === null) return '-';
  return `${fixed(live.accuracy)} (${live.labeled.toLocaleString('en-US')})`;
}

/** `candidate (A/B 10%)`, `candidate (awaiting promote/reject)`, `promoted by alice`, or the bare status. */
function statusText(v: Pick<ModelVersionSummary, 'status' | 'decidedBy' | 'traffic'>): string {
  if (v.status === 'candidate') {
    return v.traffic === null
      ? 'candidate (awaiting promote/reject)'
      : `candidate (A/B ${Number((v.traffic * 100).toFixed(4))}% of events)`;
  }
  if (v.status === 'shadow') return 'shadow (on trial beside the serving version)';
  return v.decidedBy === null ? v.status : `${v.status} by ${v.decidedBy}`;
}

/** One model's lineage: each version under the one it was trained to replace. */
export function lineageView(versions: readonly ModelVersionSummary[]): string[] {
  const byNumber = new Map(versions.map((v) => [v.version, v]));
  return lineageLines(versions, (number) => {
    const v = byNumber.get(number);
    if (v === undefined) return '';
    const window =
      v.trainingWindow.fromTs === 0
        ? `up to ${shortTime(v.trainingWindow.toTs)}`
        : `${shortTime(v.trainingWindow.fromTs)} → ${shortTime(v.trainingWindow.toTs)}`;
    // `models register` publishes with no training rows: the model was trained elsewhere.
    const trained =
      v.trainingWindow.trainRows === 0
        ? `trained elsewhere, profiled on ${v.trainingWindow.holdoutRows} reference rows`
        : `trained on ${v.trainingWindow.trainRows} rows ${window}`;
    return [
      statusText(v) + (v.serving ? ' (serving)' : ''),
      shortTime(v.createdAt),
      trained,
      `— ${v.reason}`,
    ].join('  ');
  });
}

export function modelsCommand(): Command {
  // `models register … --json` is register's own --json, not this command's (main.ts enables
  // positional options on the program too, as commander requires).
  return new Command('models')
    .description('list every version of every model (or of one), with lineage and metrics')
    .enablePositionalOptions()
    .argument(
      '[model]',
      'one model: its versions and its lineage tree',
      optionParser(parseModelName),
    )
    .option('--json', 'print the versions as one JSON array (no ONNX bytes)', false)
    .option(
      '--live <duration>',
      "also each version's live accuracy over the labeled predictions of the last <duration> (e.g. 24h): the serving version's and an A/B candidate's side by side",
      optionParser(parseDuration),
    )
    .addHelpText(
      'after',
      `
Reads the compacted model-versions topic to its end. "*" marks the serving version (the highest
promoted one); metrics are the version's holdout metrics against the champion it was compared to.

\`models register <model> --onnx <file> --reference <csv>\` publishes a model trained elsewhere
(see its --help).

Examples:
  $ driftwatch models
  $ driftwatch models sea
  $ driftwatch models sea --json | jq '.[] | select(.serving)'
  $ driftwatch models sea --live 24h
  $ driftwatch models register iris --onnx iris.onnx --reference iris.csv`,
    )
    .addCommand(modelsRegisterCommand())
    .action(async (model: string | undefined, options: { json: boolean; live?: number }) => {
      await printModels(model, options);
    });
}

async function printModels(
  model: string | undefined,
  options: { json: boolean; live?: number },
): Promise<void> {
  const config = readCliConfig();
  const topic = config.names.modelVersions;
  const kafka = cliKafka(config);
  const admin = await connectAdmin(kafka, config.brokers);
  const labeledTopic = config.names.predictionsLabeled;
  let topicMissing: boolean;
  let labeledMissing: boolean;
  try {
    // One admin round trip for both topics `--live` may read.
    const missing = await missingTopics(admin, [topic, labeledTopic]);
    topicMissing = missing.includes(topic);
    labeledMissing = missing.includes(labeledTopic);
  } finally {
    await admin.disconnect();
  }
  let versions: ModelVersionSummary[] = [];
  let models: string[] = [];
  if (!topicMissing) {
    const codecs = await createCodecs({
      schemaRegistryUrl: config.schemaRegistryUrl,
      names: config.names,
      topics: [],
    });
    const registry = await readModelRegistry({
      kafka,
      topic,
      codec: codecs.modelVersions,
      groupIdPrefix: deploymentNames(config.topicPrefix).followerGroupPrefix('cli', 'models'),
    });
    models = registry.models();
    versions = summarizeVersions(registry, model);
    if (options.live !== undefined && versions.length > 0) {
      const notes: string[] = [];
      const byVersion = labeledMissing
        ? new Map<string, LiveAccuracy>()
        : await readLiveAccuracy({
            kafka,
            topic: labeledTopic,
            codec: codecs.predictionsLabeled,
            sinceMs: Date.now() - options.live,
            timeoutMs: 120_000,
            notes,
            ...(model === undefined ? {} : { model }),
          });
      for (const note of notes) console.error(note);
      versions = versions.map((v) => ({
        ...v,
        live: byVersion.get(liveKey(v.model, v.version)) ?? { labeled: 0, accuracy: null },
      }));
    }
  }
  if (model !== undefined && versions.length === 0) {
    const known = models.length > 0 ? `; models: ${models.join(', ')}` : '';
    throw new CliError(
      'DW_CLI_UNKNOWN_MODEL',
      topicMissing
        ? `no version of model ${JSON.stringify(model)}: topic ${topic} does not exist yet`
        : `no version of model ${JSON.stringify(model)} in ${topic}${known}`,
    );
  }
  if (options.json) {
    console.log(JSON.stringify(versions, null, 2));
    return;
  }
  if (versions.length === 0) {
    console.error(
      topicMissing
        ? `no models: topic ${topic} does not exist yet`
        : `no models in ${topic} yet: the trainer publishes the first one`,
    );
    return;
  }
  console.log(versionsTable(versions));
  console.log('* serving; metrics: challenger vs the champion it was compared with');
  if (options.live !== undefined) {
    console.log(
      `live accuracy: right / labeled predictions of the last ${formatDuration(options.live)} (labeled)`,
    );
  }
  if (model !== undefined) {
    console.log(`\nlineage of ${model}:`);
    for (const line of lineageView(versions)) console.log(`  ${line}`);
  }
}
