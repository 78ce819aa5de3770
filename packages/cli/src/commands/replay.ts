import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';

import { catalogTopicSpecs, provisionTopics, type Producer } from '@driftwatch/bus';
import {
  eventId,
  openStream,
  readLabeledCsv,
  streamCatalog,
  type LabelDelay,
  type StreamName,
} from '@driftwatch/datasets';
import {
  minMaxLag,
  pipelineFlowControl,
  pipelineStages,
  replayStream,
  type ReplayRow,
  type ReplaySummary,
} from '@driftwatch/demo';
import { createShutdown, parseEnv, textTable } from '@driftwatch/service-kit';
import { createCodecs } from '@driftwatch/topics';
import { Presets, SingleBar } from 'cli-progress';
import { Argument, Command, Option } from 'commander';

import { readCliConfig } from '../cli-config.js';
import { formatDuration } from '../duration.js';
import { CliError } from '../errors.js';
import { cliKafka, connectAdmin, connectProducer } from '../kafka-client.js';
import { formatLabelDelay, parseLabelDelay } from '../label-delay.js';
import { parseModelName } from '../model-name.js';
import { groupIdEnv } from '../service-names.js';
import {
  parseFraction,
  parseInteger,
  parseMaxLag,
  parsePositiveInteger,
  parseRate,
} from '../number-options.js';
import { optionParser } from '../option-parser.js';

/** What `replay` streams: a dataset of the catalogue, or a user's CSV. */
export type ReplaySource = { kind: 'dataset'; name: StreamName } | { kind: 'csv'; path: string };

interface ReplayOptions {
  model?: string;
  labelColumn: string;
  idColumn?: string;
  timeColumn?: string;
  rate: number;
  labelDelay: LabelDelay;
  missingLabels: number;
  duplicateLabels: number;
  length?: number;
  seed: number;
  file?: string;
  idPrefix?: string;
  maxLag?: number;
  json: boolean;
}

/** What `replay --json` prints. */
export interface ReplayReport extends ReplaySummary {
  /** The dataset replayed; null for a CSV. */
  dataset: StreamName | null;
  /** The CSV replayed, or ELEC2's file; null for a synthetic dataset. */
  file: string | null;
  model: string;
  /** Generated ids are `<idPrefix>-<row index, 6 digits>`; null when the CSV's id column gave them. */
  idPrefix: string | null;
  /** A CSV's columns: features by header, the label, the ids and times if any; null for a dataset. */
  columns: { features: string[]; label: string; id: string | null; time: string | null } | null;
  topics: { events: string; labels: string };
  /** Events per second; null when the rate was unlimited. */
  rate: number | null;
  labelDelay: LabelDelay;
  /** Row indices where the stream's concept changes; null for real data. */
  drifts: readonly number[] | null;
  /** True when Ctrl-C stopped it: the counts are what was sent until then. */
  interrupted: boolean;
}

/**
 * A fresh id prefix per replay unless one is given: the joiner remembers ids (for a week, to drop
 * duplicates), so a second replay with the same ids would be taken for duplicates of the first.
 */
function defaultIdPrefix(name: string): string {
  // A file's name may hold what an id may not.
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return `${safe || 'csv'}-${randomBytes(3).toString('hex')}`;
}

/** An id prefix `eventId` accepts, checked before anything is sent. */
function parseIdPrefix(spec: string): string {
  try {
    eventId(spec, 0);
  } catch {
    throw new CliError(
      'DW_CLI_BAD_OPTION',
      `id prefix ${JSON.stringify(spec)} may hold only letters, digits, ".", "_" and "-", and must start with a letter or digit`,
      { input: spec },
    );
  }
  return spec;
}

const datasetNames = streamCatalog.map((entry) => entry.name);

/**
 * The replay's first argument: a dataset's name, else a CSV — a path ending in `.csv`, or any file
 * that exists.
 */
export function parseReplaySource(spec: string): ReplaySource {
  const dataset = streamCatalog.find((entry) => entry.name === spec);
  if (dataset) return { kind: 'dataset', name: dataset.name };
  if (/\.csv$/i.test(spec) || existsSync(spec)) return { kind: 'csv', path: spec };
  throw new CliError(
    'DW_CLI_BAD_OPTION',
    `${JSON.stringify(spec)} is neither a dataset (${datasetNames.join(', ')}) nor a CSV file`,
    { input: spec },
  );
}

export function replayCommand(): Command {
  const datasets = textTable(streamCatalog.map((entry) => [entry.name, entry.summary])).map(
    (line) => `  ${line}`,
  );
  return new Command('replay')
    .description('stream a dataset or your CSV through Kafka: events now, each label after a delay')
    .addArgument(
      new Argument(
        '<dataset|file.csv>',
        `a dataset (${datasetNames.join(', ')}) or a CSV with a header: features, a label, optionally an id and a time`,
      ).argParser(optionParser(parseReplaySource)),
    )
    .addOption(
      new Option(
        '--model <name>',
        'model the events are for (default: the dataset name; required for a CSV)',
      ).argParser(optionParser(parseModelName)),
    )
    .option('--label-column <name>', "CSV: the labels' column", 'label')
    .option('--id-column <name>', 'CSV: the event ids\' column (default: "id" if the file has one)')
    .option(
      '--time-column <name>',
      "CSV: the events' times, epoch ms or ISO 8601 (default: stamped when sent)",
    )
    .addOption(
      new Option('--rate <events/s>', 'events per second; 0 or max: as fast as possible')
        .default(1000)
        .argParser(optionParser(parseRate)),
    )
    .addOption(
      new Option(
        '--label-delay <spec>',
        'when labels arrive after their event: 2s, 500ms, uniform:1s-5s, exp:2s',
      )
        .default({ kind: 'fixed', ms: 1000 }, '1s')
        .argParser(optionParser(parseLabelDelay)),
    )
    .addOption(
      new Option('--missing-labels <fraction>', 'fraction of labels never sent')
        .default(0)
        .argParser(optionParser(parseFraction)),
    )
    .addOption(
      new Option('--duplicate-labels <fraction>', 'fraction of labels sent twice')
        .default(0)
        .argParser(optionParser(parseFraction)),
    )
    .addOption(
      new Option(
        '--length <n>',
        'rows to replay (default: SEA 20000, ELEC2 and a CSV every row)',
      ).argParser(optionParser(parsePositiveInteger)),
    )
    .addOption(
      new Option('--seed <n>', 'seed of the stream and of the label schedule')
        .default(1)
        .argParser(optionParser(parseInteger)),
    )
    .option('--file <csv>', 'the ELEC2 CSV (required for elec2, which is not bundled)')
    .addOption(
      new Option(
        '--id-prefix <name>',
        'generated event ids are <id-prefix>-<row>; default <dataset or file name>-<random>, fresh per replay',
      ).argParser(optionParser(parseIdPrefix)),
    )
    .addOption(
      new Option(
        '--max-lag <events>',
        `hold back while inference, joiner or detector has more than this many records to read (at least ${minMaxLag}); default: never hold back`,
      ).argParser(optionParser(parseMaxLag)),
    )
    .option('--json', 'print the summary as one JSON object', false)
    .addHelpText(
      'after',
      `
Datasets:
${datasets.join('\n')}

A CSV's features are its columns but the label, id and time columns, each a number in every row;
a label is sent as the file writes it: an integer cell as an integer, anything else as a string
(a class name). Ids come from the id column, else are generated. An empty label cell sends no
label. A bad cell stops the replay before anything is sent, naming its line and column.

Events go to <TOPIC_PREFIX>events and labels to <TOPIC_PREFIX>labels, keyed by id, created if
missing. Event i is sent at start + i / rate and stamped with that time (ts), or with its time
column's; its label at the event's time + the delay. Ctrl-C stops cleanly and reports what was
sent.

With --max-lag the replay follows the pipeline instead of the clock: every max-lag/4 events it
reads the services' consumer groups (<TOPIC_PREFIX>driftwatch-<service>, or <SERVICE>_GROUP_ID)
and waits while one has more than max-lag records to read. Its clock stops while it waits, so a
slow machine replays the same stream slower, not differently: labels keep their place among the
events, and a label's delay in wall-clock time grows by the waits between its event and it.

Examples:
  $ driftwatch replay sea
  $ driftwatch replay sea --rate 200 --label-delay uniform:1s-5s --missing-labels 0.1
  $ driftwatch replay sea-data-drift --model fraud --rate max --length 5000 --json
  $ driftwatch replay elec2 --file ~/data/elec2.csv --label-delay exp:2s
  $ driftwatch replay flowers.csv --model iris --label-column species --label-delay 5s
  $ driftwatch replay orders.csv --model fraud --id-column order_id --time-column created_at`,
    )
    .action(async (source: ReplaySource, options: ReplayOptions, command: Command) => {
      await replay(source, options, command);
    });
}

/** The rows to replay and what the report says of them, from a dataset or a CSV. */
interface OpenedSource {
  name: string;
  rows: readonly ReplayRow[];
  drifts: readonly number[] | null;
  report: Pick<ReplayReport, 'dataset' | 'file' | 'columns'>;
}

async function openSource(
  source: ReplaySource,
  options: ReplayOptions,
  explicit: (name: string) => boolean,
): Promise<OpenedSource> {
  if (source.kind === 'csv') {
    for (const option of ['file']) {
      if (explicit(option)) {
        throw new CliError('DW_CLI_BAD_OPTION', `--${option} is for elec2; a CSV is the argument`);
      }
    }
    if (options.model === undefined) {
      throw new CliError(
        'DW_CLI_BAD_OPTION',
        `--model <name> is required with a CSV: name the model the events of ${basename(source.path)} are for`,
      );
    }
    const table = await readLabeledCsv(source.path, {
      labelColumn: options.labelColumn,
      ...(options.idColumn === undefined ? {} : { idColumn: options.idColumn }),
      ...(options.timeColumn === undefined ? {} : { timeColumn: options.timeColumn }),
    });
    if (table.idColumn !== null && options.idPrefix !== undefined) {
      throw new CliError(
        'DW_CLI_BAD_OPTION',
        `--id-prefix names generated ids, but ${source.path} has an id column (${table.idColumn}): its ids are sent`,
      );
    }
    return {
      name: basename(source.path).replace(/\.csv$/i, ''),
      rows: options.length === undefined ? table.rows : table.rows.slice(0, options.length),
      drifts: null,
      report: {
        dataset: null,
        file: source.path,
        columns: {
          features: [...table.featureNames],
          label: options.labelColumn,
          id: table.idColumn,
          time: table.timeColumn,
        },
      },
    };
  }
  for (const option of ['labelColumn', 'idColumn', 'timeColumn']) {
    if (explicit(option)) {
      const flag = `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new CliError(
        'DW_CLI_BAD_OPTION',
        `${flag} is for a CSV, not the dataset ${source.name}`,
      );
    }
  }
  if (source.name === 'elec2' && options.file === undefined) {
    throw new CliError(
      'DW_CLI_BAD_OPTION',
      'elec2 is not bundled: pass the path of its CSV with --file <csv> (the normalized elecNormNew file)',
    );
  }
  const stream = await openStream({
    dataset: source.name,
    seed: options.seed,
    ...(options.length === undefined ? {} : { length: options.length }),
    ...(options.file === undefined ? {} : { file: options.file }),
  });
  return {
    name: source.name,
    rows: stream.rows,
    drifts: stream.drifts,
    report: { dataset: source.name, file: options.file ?? null, columns: null },
  };
}

async function replay(
  source: ReplaySource,
  options: ReplayOptions,
  command: Command,
): Promise<void> {
  const config = readCliConfig();
  const stream = await openSource(
    source,
    options,
    (name) => command.getOptionValueSource(name) === 'cli',
  );
  const model = options.model ?? parseModelName(stream.name);
  // Names the ids of rows without one: every row when the file has no id column, none otherwise.
  const idPrefix = options.idPrefix ?? defaultIdPrefix(stream.name);
  const generatedIds = !stream.report.columns?.id;
  const codecs = await createCodecs({
    schemaRegistryUrl: config.schemaRegistryUrl,
    names: config.names,
    topics: ['events', 'labels'],
  });

  const kafka = cliKafka(config);
  const admin = await connectAdmin(kafka, config.brokers);
  let producer: Producer;
  try {
    await provisionTopics(
      admin,
      catalogTopicSpecs(config.names, ['events', 'labels'], config.topicSizing),
    );
    producer = await connectProducer(kafka, config.brokers);
  } catch (error) {
    await admin.disconnect();
    throw error;
  }
  const groupIds = parseEnv(groupIdEnv);
  const flowControl =
    options.maxLag === undefined
      ? undefined
      : pipelineFlowControl({
          admin,
          maxLag: options.maxLag,
          stages: pipelineStages(config.topicPrefix, config.names, {
            inference: groupIds.INFERENCE_GROUP_ID,
            joiner: groupIds.JOINER_GROUP_ID,
            detector: groupIds.DETECTOR_GROUP_ID,
          }),
          onHold: ({ reason }) => {
            if (!bar) console.error(`replay: holding back: ${reason}`);
          },
        });
  const interrupt = createShutdown();
  const bar = process.stderr.isTTY
    ? new SingleBar(
        {
          format: `replay ${stream.name} |{bar}| {percentage}% | {events} events, {labels} labels | ETA {eta_formatted}`,
          stream: process.stderr,
          hideCursor: true,
          etaBuffer: 200,
        },
        Presets.shades_classic,
      )
    : undefined;
  let summary: ReplaySummary;
  try {
    bar?.start(1, 0, { events: 0, labels: 0 });
    summary = await replayStream({
      producer,
      codecs,
      names: config.names,
      model,
      streamName: idPrefix,
      rows: stream.rows,
      schedule: {
        seed: options.seed,
        labelDelay: options.labelDelay,
        missingLabelRate: options.missingLabels,
        duplicateLabelRate: options.duplicateLabels,
      },
      rate: options.rate,
      ...(flowControl ? { flowControl } : {}),
      signal: interrupt.signal,
      onSendRetry: (error, attempt, delayMs) => {
        const reason = error instanceof Error ? error.message : String(error);
        console.error(
          `replay: Kafka did not take a batch (${reason}); sending it again in ${delayMs} ms (retry ${attempt + 1})`,
        );
      },
      onProgress: ({ events, labels, total }) => {
        bar?.setTotal(total);
        bar?.update(events + labels, { events, labels });
      },
    });
  } finally {
    bar?.stop();
    interrupt.dispose();
    await producer.disconnect();
    await admin.disconnect();
  }
  const report: ReplayReport = {
    ...stream.report,
    model,
    idPrefix: generatedIds ? idPrefix : null,
    topics: { events: config.names.events, labels: config.names.labels },
    rate: Number.isFinite(options.rate) ? options.rate : null,
    labelDelay: options.labelDelay,
    drifts: stream.drifts,
    interrupted: interrupt.signal.aborted,
    ...summary,
  };
  console.log(options.json ? JSON.stringify(report) : describeReplay(report));
  if (report.interrupted) process.exitCode = 130;
}

/** The one-line summary a person reads. */
export function describeReplay(report: ReplayReport): string {
  const extras = [
    report.duplicateLabels > 0 ? `${report.duplicateLabels} duplicates` : '',
    report.missingLabels > 0 ? `${report.missingLabels} missing` : '',
  ].filter(Boolean);
  const ids =
    report.idPrefix === null
      ? `ids from column ${report.columns?.id ?? '?'}`
      : `ids ${report.idPrefix}-NNNNNN`;
  const times = report.columns?.time ? `; times from column ${report.columns.time}` : '';
  return [
    report.interrupted ? 'interrupted: sent' : 'replayed',
    `${report.events} events and ${report.labels} labels${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`,
    `of ${report.dataset ?? report.file ?? '?'} as model ${report.model}`,
    `to ${report.topics.events} / ${report.topics.labels}`,
    `in ${formatDuration(report.finishedAt - report.startedAt)}`,
    `(${report.rate === null ? 'as fast as possible' : `${report.rate} events/s`},`,
    `labels after ${formatLabelDelay(report.labelDelay)}; ${ids}${times})`,
  ].join(' ');
}
