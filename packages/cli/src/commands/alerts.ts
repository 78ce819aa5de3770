import { deploymentNames } from '@driftwatch/bus';
import { createShutdown, textTable } from '@driftwatch/service-kit';
import { createCodecs, type DriftAlert } from '@driftwatch/topics';
import { Command, Option } from 'commander';

import { readCliConfig } from '../cli-config.js';
import { CliError } from '../errors.js';
import { cliKafka, connectAdmin, missingTopics } from '../kafka-client.js';
import { parseModelName } from '../model-name.js';
import { optionParser } from '../option-parser.js';
import { decodeAlert, readAlerts, type UnreadableRecord } from '../read-alerts.js';
import { parseTimePoint } from '../time-point.js';
import { tailTopic } from '../topic-tail.js';

export interface AlertsOptions {
  model?: string;
  /** Epoch ms; records from then on, by their Kafka timestamp. */
  since?: number;
  follow: boolean;
  json: boolean;
}

/** Significant digits enough to compare a statistic with its threshold. */
function number(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

/**
 * When, model and version, kind/detector, feature, statistic vs threshold, severity, and what
 * happened in words (the summary without the model and version it starts with; absent in alerts
 * written before alerts carried one).
 */
function alertCells(alert: DriftAlert): string[] {
  const prefix = `${alert.model} v${alert.modelVersion}: `;
  const summary = alert.summary.startsWith(prefix)
    ? alert.summary.slice(prefix.length)
    : alert.summary;
  return [
    new Date(alert.observedAt).toISOString(),
    `${alert.model} v${alert.modelVersion}`,
    `${alert.kind}/${alert.detector}`,
    alert.feature ?? '-',
    `${number(alert.statistic)} vs ${number(alert.threshold)}`,
    alert.severity,
    ...(summary === '' ? [] : [summary]),
  ];
}

/** The alerts there are, one line each, as a table: every column as wide as its widest cell. */
export function alertsTable(alerts: readonly DriftAlert[]): string[] {
  return textTable(alerts.map(alertCells));
}

/**
 * One alert as `--follow` prints it when it arrives, before the next is known: columns padded to
 * fixed widths, so lines line up for the usual model names and detectors.
 *
 * `2024-06-01T00:00:00.000Z  sea v2      data/psi              x1          0.3123 vs 0.2  warning`
 */
export function formatAlert(alert: DriftAlert): string {
  const minWidths = [0, 10, 20, 10, 0, 0];
  return alertCells(alert)
    .map((cell, i) => cell.padEnd(minWidths[i] ?? 0))
    .join('  ');
}

export function alertsCommand(): Command {
  return new Command('alerts')
    .description('print drift alerts from the drift-alerts topic, oldest first')
    .addOption(
      new Option('--model <name>', 'only this model’s alerts').argParser(
        optionParser(parseModelName),
      ),
    )
    .addOption(
      new Option(
        '--since <time>',
        'start at this time: a duration ago (15m, 2h, 7d), an ISO date or epoch ms (default: the beginning)',
      ).argParser(optionParser((spec) => parseTimePoint(spec))),
    )
    .option('-f, --follow', 'keep printing new alerts until Ctrl-C', false)
    .option('--json', 'one JSON object per alert per line', false)
    .addHelpText(
      'after',
      `
Each line: when the detector saw it, the model and the version it was serving, the kind
(concept, data, performance) and the detector that fired, the feature (data drift), the
statistic against its threshold, the severity, and what happened in words.

Examples:
  $ driftwatch alerts
  $ driftwatch alerts --model sea --since 1h
  $ driftwatch alerts --follow --json | jq .statistic`,
    )
    .action(async (options: AlertsOptions) => {
      await printAlerts(options);
    });
}

async function printAlerts(options: AlertsOptions): Promise<void> {
  const config = readCliConfig();
  const topic = config.names.driftAlerts;
  const kafka = cliKafka(config);
  const admin = await connectAdmin(kafka, config.brokers);
  try {
    if ((await missingTopics(admin, [topic])).length > 0) {
      if (options.follow) {
        throw new CliError(
          'DW_CLI_TOPIC_MISSING',
          `topic ${topic} does not exist yet: start the detector (TOPIC_PREFIX=${JSON.stringify(config.topicPrefix)}) first`,
        );
      }
      if (!options.json) console.error(`no drift alerts: topic ${topic} does not exist yet`);
      return;
    }
  } finally {
    await admin.disconnect();
  }
  const codecs = await createCodecs({
    schemaRegistryUrl: config.schemaRegistryUrl,
    names: config.names,
    topics: [],
  });
  const print = (alert: DriftAlert): void => {
    console.log(options.json ? JSON.stringify(alert) : formatAlert(alert));
  };
  const warn = (record: UnreadableRecord): void => {
    console.error(`skipped ${topic}/${record.partition}@${record.offset}: ${record.reason}`);
  };

  if (!options.follow) {
    const { alerts, unreadable } = await readAlerts({
      kafka,
      topic,
      codec: codecs.driftAlerts,
      ...(options.since === undefined ? {} : { sinceTs: options.since }),
      ...(options.model === undefined ? {} : { model: options.model }),
    });
    if (options.json) alerts.forEach(print);
    else
      alertsTable(alerts).forEach((line) => {
        console.log(line);
      });
    unreadable.forEach(warn);
    if (alerts.length === 0 && !options.json) console.error(`no drift alerts in ${topic}`);
    return;
  }

  const interrupt = createShutdown();
  try {
    await tailTopic({
      kafka,
      topic,
      ...(options.since === undefined ? {} : { fromTs: options.since }),
      groupIdPrefix: deploymentNames(config.topicPrefix).followerGroupPrefix('cli', 'alerts'),
      signal: interrupt.signal,
      onRecord: async (record) => {
        if (options.model !== undefined && record.key?.toString() !== options.model) return;
        const decoded = await decodeAlert(codecs.driftAlerts, record);
        if ('unreadable' in decoded) warn(decoded.unreadable);
        else if (options.model === undefined || decoded.alert.model === options.model)
          print(decoded.alert);
      },
    });
  } finally {
    interrupt.dispose();
  }
}
