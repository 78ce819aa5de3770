import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { loadChartLibrary, renderReportHtml, utcTime, type ModelReport } from '@driftwatch/report';
import { Command, Option } from 'commander';

import { buildModelReport } from '../build-model-report.js';
import { readCliConfig } from '../cli-config.js';
import { CliError } from '../errors.js';
import { cliKafka } from '../kafka-client.js';
import { parseModelName } from '../model-name.js';
import { parsePositiveInteger } from '../number-options.js';
import { optionParser } from '../option-parser.js';
import { parseTimePoint } from '../time-point.js';

export interface ReportCommandOptions {
  from?: number;
  to?: number;
  out?: string;
  json: boolean;
  window?: number;
}

/** The report as a file's bytes: the page, or the same series as JSON. */
export async function reportFileText(
  report: ModelReport,
  format: 'html' | 'json',
): Promise<string> {
  return format === 'json'
    ? `${JSON.stringify(report, null, 2)}\n`
    : renderReportHtml(report, await loadChartLibrary());
}

/** Writes `text` to `path` (directories made as needed) and returns the absolute path. */
export async function writeReportFile(path: string, text: string): Promise<string> {
  const absolute = resolve(path);
  await mkdir(dirname(absolute), { recursive: true });
  await writeFile(absolute, text);
  return absolute;
}

/** `254 KB, 20,000 labeled predictions of sea, … → … UTC, 4 versions, 7 alerts`: what to check first. */
export function reportSummaryLine(report: ModelReport, bytes: number): string {
  const { totals } = report;
  return `${Math.ceil(bytes / 1024).toLocaleString('en-US')} KB, ${totals.predictions.toLocaleString('en-US')} labeled predictions of ${report.model}, ${utcTime(report.extent.from)} → ${utcTime(report.extent.to)} UTC, ${totals.versions} versions, ${totals.alerts} alerts`;
}

export function reportCommand(): Command {
  return new Command('report')
    .description(
      "write one self-contained HTML page of a model's story over time: performance per version, alerts, retrains, data drift, lineage",
    )
    .argument('<model>', 'the model to report on', optionParser(parseModelName))
    .addOption(
      new Option(
        '--from <time>',
        'from this event time: a duration ago (2h, 7d), an ISO date or epoch ms (default: the beginning)',
      ).argParser(optionParser((spec) => parseTimePoint(spec))),
    )
    .addOption(
      new Option('--to <time>', 'up to this event time (default: no end)').argParser(
        optionParser((spec) => parseTimePoint(spec)),
      ),
    )
    .option(
      '--out <file>',
      'where to write it (default: report-<model>.html; with --json, standard output)',
    )
    .option('--json', 'write the same series as JSON instead of the page', false)
    .addOption(
      new Option(
        '--window <n>',
        'labeled predictions per sliding window of the performance lines (default 500)',
      ).argParser(optionParser(parsePositiveInteger)),
    )
    .addHelpText(
      'after',
      `
Reads the model's labeled predictions (by event time), drift alerts, retrain requests and
versions from the topics and writes one HTML file that opens anywhere without a network (the
chart library is inside it): accuracy, F1 and ROC-AUC over time per version beside the
never-retrained first version scored on the same events; vertical lines for alerts, retrain
requests and versions taking over; PSI per feature over time and the distributions of the
features that moved most; the lineage with holdout metrics; every alert in words.
Fails with one line when a topic is missing, the model is unknown or the range is empty.

Examples:
  $ driftwatch report sea
  $ driftwatch report sea --from 2h --out /tmp/sea.html
  $ driftwatch report sea --json | jq '.performance[] | {label, points: (.ts | length)}'`,
    )
    .action(async (model: string, options: ReportCommandOptions) => {
      await runReport(model, options);
    });
}

async function runReport(model: string, options: ReportCommandOptions): Promise<void> {
  const from = options.from ?? null;
  const to = options.to ?? null;
  if (from !== null && to !== null && from > to) {
    throw new CliError(
      'DW_CLI_BAD_OPTION',
      `--from (${utcTime(from)} UTC) is after --to (${utcTime(to)} UTC)`,
    );
  }
  const config = readCliConfig();
  const report = await buildModelReport({
    kafka: cliKafka(config),
    config,
    model,
    from,
    to,
    ...(options.window === undefined ? {} : { window: options.window }),
  });
  const format = options.json ? 'json' : 'html';
  const text = await reportFileText(report, format);
  if (format === 'json' && options.out === undefined) {
    process.stdout.write(text);
    return;
  }
  const path = await writeReportFile(options.out ?? `report-${model}.html`, text);
  console.log(`wrote ${path}: ${reportSummaryLine(report, Buffer.byteLength(text))}`);
}
