import { randomBytes } from 'node:crypto';

import { catalogTopicSpecs, provisionTopics } from '@driftwatch/bus';
import {
  eventId,
  openStream,
  streamCatalog,
  type LabelDelay,
  type StreamName,
} from '@driftwatch/datasets';
import { replayStream, type ReplaySummary } from '@driftwatch/demo';
import { createShutdown, textTable } from '@driftwatch/service-kit';
import { createCodecs } from '@driftwatch/topics';
import { Presets, SingleBar } from 'cli-progress';
import { Argument, Command, Option } from 'commander';

import { readCliConfig } from '../cli-config.js';
import { formatDuration } from '../duration.js';
import { CliError } from '../errors.js';
import { cliKafka, connectAdmin, connectProducer } from '../kafka-client.js';
import { formatLabelDelay, parseLabelDelay } from '../label-delay.js';
import { parseModelName } from '../model-name.js';
import { parseFraction, parseInteger, parsePositiveInteger, parseRate } from '../number-options.js';
import { optionParser } from '../option-parser.js';

interface ReplayOptions {
  model?: string;
  rate: number;
  labelDelay: LabelDelay;
  missingLabels: number;
  duplicateLabels: number;
  length?: number;
  seed: number;
  file?: string;
  idPrefix?: string;
  json: boolean;
}

/** What `replay --json` prints. */
export interface ReplayReport extends ReplaySummary {
  dataset: StreamName;
  model: string;
  /** Ids are `<idPrefix>-<row index, 6 digits>`. */
  idPrefix: string;
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
function defaultIdPrefix(dataset: string): string {
  return `${dataset}-${randomBytes(3).toString('hex')}`;
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

export function replayCommand(): Command {
  const datasets = textTable(streamCatalog.map((entry) => [entry.name, entry.summary])).map(
    (line) => `  ${line}`,
  );
  return new Command('replay')
    .description('stream a dataset through Kafka: events now, each label after a delay')
    .addArgument(
      new Argument('<dataset>', 'the stream to replay').choices(streamCatalog.map((e) => e.name)),
    )
    .addOption(
      new Option(
        '--model <name>',
        'model the events are for (default: the dataset name)',
      ).argParser(optionParser(parseModelName)),
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
      new Option('--length <n>', 'rows to replay (default: SEA 20000, ELEC2 every row)').argParser(
        optionParser(parsePositiveInteger),
      ),
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
        'event ids are <id-prefix>-<row>; default <dataset>-<random>, fresh per replay',
      ).argParser(optionParser(parseIdPrefix)),
    )
    .option('--json', 'print the summary as one JSON object', false)
    .addHelpText(
      'after',
      `
Datasets:
${datasets.join('\n')}

Events go to <TOPIC_PREFIX>events and labels to <TOPIC_PREFIX>labels, keyed by id, created if
missing. Event i is sent at start + i / rate and stamped with that time (ts); its label at the
event's time + the delay. Ctrl-C stops cleanly and reports what was sent.

Examples:
  $ driftwatch replay sea
  $ driftwatch replay sea --rate 200 --label-delay uniform:1s-5s --missing-labels 0.1
  $ driftwatch replay sea-data-drift --model fraud --rate max --length 5000 --json
  $ driftwatch replay elec2 --file ~/data/elec2.csv --label-delay exp:2s`,
    )
    .action(async (dataset: StreamName, options: ReplayOptions) => {
      await replay(dataset, options);
    });
}

async function replay(dataset: StreamName, options: ReplayOptions): Promise<void> {
  const config = readCliConfig();
  if (dataset === 'elec2' && options.file === undefined) {
    throw new CliError(
      'DW_CLI_BAD_OPTION',
      'elec2 is not bundled: pass the path of its CSV with --file <csv> (the normalized elecNormNew file)',
    );
  }
  const stream = await openStream({
    dataset,
    seed: options.seed,
    ...(options.length === undefined ? {} : { length: options.length }),
    ...(options.file === undefined ? {} : { file: options.file }),
  });
  const model = options.model ?? parseModelName(dataset);
  const idPrefix = options.idPrefix ?? defaultIdPrefix(dataset);
  const codecs = await createCodecs({
    schemaRegistryUrl: config.schemaRegistryUrl,
    names: config.names,
    topics: ['events', 'labels'],
  });

  const kafka = cliKafka(config.brokers);
  const admin = await connectAdmin(kafka, config.brokers);
  try {
    await provisionTopics(
      admin,
      catalogTopicSpecs(config.names, ['events', 'labels'], config.topicSizing),
    );
  } finally {
    await admin.disconnect();
  }
  const producer = await connectProducer(kafka, config.brokers);
  const interrupt = createShutdown();
  const bar = process.stderr.isTTY
    ? new SingleBar(
        {
          format: `replay ${dataset} |{bar}| {percentage}% | {events} events, {labels} labels | ETA {eta_formatted}`,
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
      signal: interrupt.signal,
      onProgress: ({ events, labels, total }) => {
        bar?.setTotal(total);
        bar?.update(events + labels, { events, labels });
      },
    });
  } finally {
    bar?.stop();
    interrupt.dispose();
    await producer.disconnect();
  }
  const report: ReplayReport = {
    dataset,
    model,
    idPrefix,
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
  return [
    report.interrupted ? 'interrupted: sent' : 'replayed',
    `${report.events} events and ${report.labels} labels${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`,
    `of ${report.dataset} as model ${report.model}`,
    `to ${report.topics.events} / ${report.topics.labels}`,
    `in ${formatDuration(report.finishedAt - report.startedAt)}`,
    `(${report.rate === null ? 'as fast as possible' : `${report.rate} events/s`},`,
    `labels after ${formatLabelDelay(report.labelDelay)}; ids ${report.idPrefix}-NNNNNN)`,
  ].join(' ');
}
