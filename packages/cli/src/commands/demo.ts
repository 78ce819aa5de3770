import { join } from 'node:path';

import {
  eventId,
  orientationFeatureNames,
  orientationGoldenSet,
  orientationStream,
  readElec2,
  seaDemoConcepts,
  seaStream,
} from '@driftwatch/datasets';
import { repoRoot, runClosedLoop, type DemoSummary, type LoopEvent } from '@driftwatch/demo';
import { parseEnv, redisEnv } from '@driftwatch/service-kit';
import { topicNames } from '@driftwatch/topics';
import Table from 'cli-table3';
import { Command, Option } from 'commander';

import { buildModelReport } from '../build-model-report.js';
import { readAlarmSettings, readCliConfig, type CliConfig } from '../cli-config.js';
import { csvDemoStream } from '../csv-demo-stream.js';
import type { DemoStream } from '../demo-stream.js';
import { CliError } from '../errors.js';
import { cliKafka } from '../kafka-client.js';
import { parseDuration } from '../duration.js';
import { parseMaxLag, parsePositions, parsePositiveInteger, parseRate } from '../number-options.js';
import { optionParser } from '../option-parser.js';
import { referenceSample } from '../reference-sample.js';
import { reportFileText, reportSummaryLine, writeReportFile } from './report.js';

interface DemoCommandOptions {
  dataset?: 'sea' | 'orientation' | 'elec2';
  file?: string;
  labelColumn: string;
  drifts?: number[];
  referenceRows?: number;
  length?: number;
  rate: number;
  maxLag: number;
  labelDelay: number;
  seed: number;
  family: 'logistic' | 'mlp';
  keepTopics: boolean;
  json: boolean;
  report?: string;
}

/** Tuned for concepts a few thousand events long, so a person sees each drift answered. */
export const demoServiceEnv = {
  DETECTOR_WINDOW: '500',
  DETECTOR_ADWIN_COOLDOWN: '1000',
  DETECTOR_BLOCK_SIZE: '500',
  DETECTOR_BLOCK_ACCURACY_THRESHOLD: '0.8',
  RETRAIN_MIN_ROWS: '500',
  TRAINER_MIN_ROWS: '300',
  PROMOTION_MIN_HOLDOUT: '100',
};

/**
 * Which stream: `--dataset`, else a CSV when `--file` is given, else SEA. Options that belong to
 * another kind of stream are refused rather than ignored.
 */
async function demoStream(
  options: DemoCommandOptions,
  explicit: (name: string) => boolean,
): Promise<DemoStream> {
  const kind = options.dataset ?? (options.file === undefined ? 'sea' : 'csv');
  const refuse = (option: string, why: string): CliError =>
    new CliError('DW_CLI_BAD_OPTION', `--${option} ${why}`);
  if (kind !== 'csv' && explicit('labelColumn')) {
    throw refuse('label-column', `is for a CSV (--file without --dataset), not ${kind}`);
  }
  if (kind === 'sea' || kind === 'orientation') {
    for (const [option, flag] of [
      ['file', 'file'],
      ['drifts', 'drifts'],
      ['referenceRows', 'reference-rows'],
    ] as const) {
      if (explicit(option)) {
        throw refuse(flag, `is for elec2 or a CSV: ${kind} is generated, its drifts known`);
      }
    }
  }
  if (kind === 'csv') {
    return csvDemoStream({
      file: options.file ?? '',
      labelColumn: options.labelColumn,
      ...(options.referenceRows === undefined ? {} : { referenceRows: options.referenceRows }),
      ...(options.length === undefined ? {} : { length: options.length }),
      ...(options.drifts === undefined ? {} : { drifts: options.drifts }),
      serviceEnv: demoServiceEnv,
    });
  }
  const length = options.length ?? 20_000;
  if (kind === 'elec2') {
    if (!options.file) {
      throw new CliError(
        'DW_CLI_BAD_OPTION',
        '--dataset elec2 needs --file <path to elec2.csv> (the normalized ELEC2 CSV; it is not bundled)',
      );
    }
    const all = await readElec2(options.file);
    const referenceRows = options.referenceRows ?? 2000;
    const rows = all.slice(referenceRows, referenceRows + length);
    const drifts = options.drifts ?? [];
    const outside = drifts.find(
      (drift) => drift <= referenceRows || drift >= referenceRows + rows.length,
    );
    if (outside !== undefined) {
      throw refuse(
        'drifts',
        `${outside}: the replay covers rows ${referenceRows}–${referenceRows + rows.length - 1} of ELEC2; a drift must fall after its first row`,
      );
    }
    return {
      title: `ELEC2 (${rows.length.toLocaleString('en-US')} events after a ${referenceRows}-row reference; ${drifts.length > 0 ? `drifts at rows ${drifts.join(', ')}` : 'drifts unknown'})`,
      model: 'elec2',
      featureNames: Object.keys(all[0]?.features ?? {}),
      classes: ['0', '1'],
      reference: all.slice(0, referenceRows),
      rows,
      knownDrifts: drifts,
      // Electricity prices move all the time: retrain on volume too, not only on alarms.
      serviceEnv: {
        ...demoServiceEnv,
        DETECTOR_BLOCK_ACCURACY_THRESHOLD: '0',
        RETRAIN_AFTER_LABELED: '4000',
      },
    };
  }
  if (kind === 'orientation') {
    const stream = orientationStream({ seed: options.seed, length });
    // Its own seed, and no drift: version 1 learns the training mix, push-ups rare (0.3%).
    const reference = [
      ...orientationStream({ seed: options.seed + 1000, length: 2000, drifts: [] }),
    ];
    const [before, after] = stream.pushUpShares;
    return {
      title: `orientation key points (${length.toLocaleString('en-US')} events, 17 points × 2 coordinates, horizontal or vertical; push-ups ${percent(before ?? 0)} of training, ${percent(after ?? 0)} from ${stream.drifts.map((d) => d.toLocaleString('en-US')).join(', ')})`,
      model: 'orientation',
      featureNames: [...orientationFeatureNames],
      classes: ['0', '1'],
      reference,
      rows: [...stream],
      knownDrifts: [...stream.drifts],
      golden: orientationGoldenSet({ seed: options.seed }),
      // The edge-case workflow answers this drift: 200 labeled edge cases (the default) ask for a
      // retrain on the training window plus them. A concept-drift request would get there first
      // (it waits for RETRAIN_MIN_ROWS labels, and nothing else asks meanwhile), so it is off here;
      // ADWIN still alerts.
      serviceEnv: { ...demoServiceEnv, RETRAIN_ON_DRIFT: 'false' },
    };
  }
  const concepts = seaDemoConcepts(length);
  const stream = seaStream({ seed: options.seed, length, concepts });
  const reference = await referenceSample({ dataset: 'sea', rows: 2000, seed: options.seed });
  return {
    title: `SEA concepts (${length.toLocaleString('en-US')} events, θ ${concepts.map((c) => c.threshold).join(' → ')}, drifts at ${stream.drifts.map((d) => d.toLocaleString('en-US')).join(', ')}, 10% label noise)`,
    model: 'sea',
    featureNames: reference.featureNames,
    classes: ['0', '1'],
    reference: reference.rows,
    rows: [...stream],
    knownDrifts: [...stream.drifts],
    serviceEnv: demoServiceEnv,
  };
}

/** Colours for a terminal; plain text in logs and pipes. */
const tableStyle = process.stdout.isTTY ? {} : { style: { head: [], border: [] } };

const percent = (value: number): string =>
  Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '—';
const count = (value: number): string => value.toLocaleString('en-US');

function narrate(started: number, print: (line: string) => void): (event: LoopEvent) => void {
  const at = (): string => `[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s]`;
  let lastProgress = 0;
  return (event) => {
    switch (event.kind) {
      case 'bootstrapped':
        print(`${at()} v1 bootstrapped — ${event.version.reason}`);
        break;
      case 'services-ready':
        print(
          `${at()} services up: ${event.services.map((s) => `${s.name} http://127.0.0.1:${s.port}/metrics`).join(', ')}`,
        );
        break;
      case 'progress':
        if (event.events - lastProgress >= 2500 || event.events === event.total) {
          lastProgress = event.events;
          print(`${at()} replayed ${count(event.events)} events, ${count(event.labels)} labels`);
        }
        break;
      case 'alert': {
        const { alert } = event;
        const feature = alert.feature ? ` feature ${alert.feature}` : '';
        // The summary says what changed in words; an alert written before alerts carried one
        // shows its statistic against its threshold.
        print(
          alert.summary === ''
            ? `${at()} ALERT ${alert.kind}/${alert.detector}${feature} on ${alert.model} v${alert.modelVersion}: ${alert.statistic.toFixed(3)} vs ${alert.threshold.toFixed(3)} (${alert.severity})`
            : `${at()} ALERT ${alert.kind}/${alert.detector} (${alert.severity}) ${alert.summary}`,
        );
        break;
      }
      case 'retrain-requested':
        print(`${at()} retrain requested for ${event.request.model} (${event.request.reason})`);
        break;
      case 'version':
        print(
          `${at()} ${event.version.model} v${event.version.version} ${event.version.status.toUpperCase()} — ${event.version.reason}`,
        );
        break;
      case 'held':
        // A busy machine holds the replay for lag often; only the loop's own holds are news.
        if (event.hold.kind === 'caller') print(`${at()} replay held back: ${event.hold.reason}`);
        break;
      case 'waiting':
        break;
    }
  };
}

/** The demo's closing tables: what happened per segment, per drift, and overall. */
export function renderDemoSummary(summary: DemoSummary): string {
  const segments = new Table({
    head: [
      'segment',
      'events',
      'served by (accuracy, estimated without labels)',
      'adaptive',
      'never retrained',
    ],
    ...tableStyle,
  });
  for (const segment of summary.segments) {
    segments.push([
      String(segment.index),
      `${count(segment.fromEvent)}–${count(segment.toEvent - 1)}`,
      segment.versions
        .map(
          (v) =>
            `v${v.version} ${percent(v.accuracy)}${v.estimatedAccuracy === null ? '' : ` (est. ${percent(v.estimatedAccuracy)})`} (${count(v.predictions)})`,
        )
        .join(', '),
      percent(segment.accuracy),
      percent(segment.staticAccuracy),
    ]);
  }
  const lines = [
    `Per segment between drifts (${summary.dataset}, ${count(summary.labeled)} labeled events):`,
    segments.toString(),
  ];
  if (summary.drifts.length > 0) {
    const drifts = new Table({
      head: ['drift at', 'detected at', 'delay (events)', 'by', 'answered by', 'serving from'],
      ...tableStyle,
    });
    for (const drift of summary.drifts) {
      drifts.push([
        count(drift.knownAt),
        drift.detectedAt === null ? 'not detected' : count(drift.detectedAt),
        drift.delay === null ? '—' : count(drift.delay),
        drift.detector ?? '—',
        drift.promotedVersion === null ? '—' : `v${drift.promotedVersion}`,
        drift.servingFrom === null ? '—' : count(drift.servingFrom),
      ]);
    }
    lines.push('Known drifts:', drifts.toString());
  }
  const { retrains, accuracy } = summary;
  lines.push(
    `Alerts: ${summary.alerts.total} in ${summary.alerts.incidents} incidents (${
      Object.entries(summary.alerts.byDetector)
        .map(([d, n]) => `${d} ${n}`)
        .join(', ') || 'none'
    })`,
    `Retrains: ${retrains.requested} requested (${
      Object.entries(retrains.byReason)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ') || 'none'
    }), ${retrains.promoted} promoted, ${retrains.rejected} rejected`,
    `Lineage: ${summary.versions.map((v) => `v${v.version}${v.status === 'rejected' ? ' (rejected)' : ''}`).join(' → ')}`,
    `Accuracy over the whole stream: adaptive ${percent(accuracy.adaptive)} vs never retrained ${percent(accuracy.static)}`,
  );
  const { edgeCases, golden } = summary;
  if (edgeCases.identified > 0) {
    lines.push(
      `Edge cases: ${count(edgeCases.identified)} identified out of ${count(edgeCases.outOf)} total samples (${count(edgeCases.labeled)} labeled)`,
    );
  }
  if (golden) {
    lines.push(
      `Golden set (${count(golden.rows)} rows no version learned from): old model v${golden.old.version} accuracy ${percent(golden.old.accuracy)}, now serving v${golden.new.version} ${percent(golden.new.accuracy)}`,
    );
  }
  return lines.join('\n');
}

/**
 * The run's report, read back from its topics before they are deleted, as `driftwatch report`
 * would write it with TOPIC_PREFIX set to the run's prefix — plus the drifts the demo knows.
 * A report that cannot be written is said, not fatal: the summary still stands.
 */
async function writeDemoReport(options: {
  config: CliConfig;
  kafka: ReturnType<typeof cliKafka>;
  prefix: string;
  stream: DemoStream;
  path: string;
}): Promise<{ path: string; line: string } | { error: string }> {
  const { stream } = options;
  try {
    const report = await buildModelReport({
      kafka: options.kafka,
      // The demo's own topics, in JSON: it never uses the Schema Registry.
      config: {
        ...options.config,
        topicPrefix: options.prefix,
        schemaRegistryUrl: '',
        names: topicNames(options.prefix),
      },
      model: stream.model,
      from: null,
      to: null,
      knownDrifts: stream.knownDrifts.map((index) => ({
        id: eventId(stream.model, index),
        label: `drift at event ${count(index)}`,
      })),
    });
    const text = await reportFileText(report, 'html');
    const path = await writeReportFile(options.path, text);
    return { path, line: reportSummaryLine(report, Buffer.byteLength(text)) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

async function runDemoCommand(options: DemoCommandOptions, command: Command): Promise<void> {
  const config = readCliConfig();
  const { REDIS_URL } = parseEnv(redisEnv);
  const stream = await demoStream(options, (name) => command.getOptionValueSource(name) === 'cli');
  // With --json, stdout carries only the summary; the story goes to stderr.
  const print = options.json
    ? (line: string) => process.stderr.write(`${line}\n`)
    : (line: string) => process.stdout.write(`${line}\n`);
  const started = Date.now();
  print(
    `driftwatch demo — ${stream.title}; ${count(options.rate)} events/s, labels ${options.labelDelay} ms late`,
  );
  const kafka = cliKafka(config, { retries: 8 });
  let report: Awaited<ReturnType<typeof writeDemoReport>> | undefined;
  const result = await runClosedLoop({
    kafka,
    brokers: config.brokers,
    redisUrl: REDIS_URL,
    model: stream.model,
    streamName: stream.model,
    featureNames: stream.featureNames,
    classes: stream.classes,
    reference: stream.reference,
    rows: stream.rows,
    knownDrifts: stream.knownDrifts,
    ...(stream.golden ? { golden: stream.golden } : {}),
    rate: options.rate,
    maxLag: options.maxLag,
    labelDelayMs: options.labelDelay,
    seed: options.seed,
    serviceEnv: { ...stream.serviceEnv, TRAINER_MODEL_FAMILY: options.family },
    // The services run with this process's environment under the stream's tuning.
    alarmSettings: readAlarmSettings({ ...process.env, ...stream.serviceEnv }),
    from: 'dist',
    logDir: join(repoRoot, '.cache', 'demo-logs'),
    keepTopics: options.keepTopics,
    onEvent: narrate(started, print),
    beforeCleanup: async ({ prefix }) => {
      report = await writeDemoReport({
        config,
        kafka,
        prefix,
        stream,
        path: options.report ?? join(repoRoot, '.cache', 'demo-reports', `${prefix}html`),
      });
    },
  });
  print(
    `${options.keepTopics ? 'kept' : 'deleted'} topics ${result.prefix}*; service logs: ${join(repoRoot, '.cache', 'demo-logs')}`,
  );
  const reportPath = report && 'path' in report ? report.path : null;
  if (report && 'error' in report) print(`report not written: ${report.error}`);
  if (options.json) {
    console.log(JSON.stringify({ ...result.summary, report: reportPath }));
    return;
  }
  console.log(`\n${renderDemoSummary(result.summary)}`);
  if (report && 'line' in report) console.log(`Report: ${report.path} (${report.line})`);
}

export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'the closed loop on the local stack: replay a drifting stream through all four services and show drift found and fixed',
    )
    .addOption(
      new Option(
        '--dataset <name>',
        'sea (synthetic, known drifts), orientation (body key points, a rare posture becomes common) or elec2 (default: sea, or your CSV with --file)',
      ).choices(['sea', 'orientation', 'elec2']),
    )
    .option('--file <csv>', 'your labeled CSV; or the ELEC2 CSV, with --dataset elec2')
    .option('--label-column <name>', "your CSV's labels' column", 'label')
    .addOption(
      new Option(
        '--drifts <rows>',
        'elec2 or a CSV: the data rows (0-based) where a new concept starts, e.g. 5000,12000',
      ).argParser(optionParser(parsePositions)),
    )
    .addOption(
      new Option(
        '--reference-rows <n>',
        'elec2 or a CSV: the first rows, version 1 learns from (default 2000; a CSV: at most a quarter)',
      ).argParser(optionParser(parsePositiveInteger)),
    )
    .addOption(
      new Option(
        '--length <n>',
        'events to replay (default 20000; a CSV: every row after the reference)',
      ).argParser(optionParser(parsePositiveInteger)),
    )
    .addOption(
      new Option('--rate <events/s>', 'replay speed')
        .default(1000)
        .argParser(optionParser(parseRate)),
    )
    .addOption(
      new Option(
        '--max-lag <events>',
        'hold the replay back while a service has more than this many records to read',
      )
        .default(500)
        .argParser(optionParser(parseMaxLag)),
    )
    .addOption(
      new Option('--label-delay <duration>', 'how late labels arrive')
        .default(500)
        .argParser(optionParser(parseDuration)),
    )
    .addOption(
      new Option('--seed <n>', 'seed of the stream')
        .default(1)
        .argParser(optionParser(parsePositiveInteger)),
    )
    .addOption(
      new Option('--family <family>', "the challengers' model family")
        .choices(['logistic', 'mlp'])
        .default('logistic'),
    )
    .option('--keep-topics', 'keep the run’s topics (demo-<id>.*) for inspection', false)
    .option('--json', 'print the summary as one JSON object instead of the tables', false)
    .option(
      '--report <file>',
      "where to write the run's HTML report (default: .cache/demo-reports/<run>.html)",
    )
    .addHelpText(
      'after',
      `
With --file and no --dataset, the demo runs on your CSV (features by header, a label column, an
\`id\` column ignored): version 1 is trained by the built-in trainer on its first rows, the rest
are replayed, numbered as the file's data rows (so --drifts names rows of the file). The classes
are the file's distinct labels, sorted (numerically when all are integers, else by their text),
and each must occur in the rows version 1 trains on. Block accuracy is off on a CSV (any data may
sit below a fixed bar); without --drifts, retrains also come after every 4000 labels.

The replay follows the pipeline, not only the clock: it holds back while a service has more than
--max-lag records to read, while a retrain request is unanswered, and until inference serves a
promoted version. Its clock stops meanwhile, so the same seed gives the same run on a fast and on
a busy machine: the same detections, and each version serving from the same events. Labels keep
their place among the events; in wall-clock time they arrive later by the holds in between.

Examples:
  $ npm run demo
  $ driftwatch demo --json
  $ driftwatch demo --dataset orientation
  $ driftwatch demo --dataset elec2 --file ../shared/datasets/elec2.csv --rate 5000
  $ driftwatch demo --file test/fixtures/byom/multiclass-iris.stream.csv --drifts 1000 \\
      --reference-rows 500 --rate 500`,
    )
    .action(async (options: DemoCommandOptions, command: Command) => {
      await runDemoCommand(options, command);
    });
}
