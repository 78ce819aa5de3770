import { calibrateVersionAlarms } from '@driftwatch/alarms';
import { modelVersionKey } from '@driftwatch/topics';
import { bootstrapVersion } from '@driftwatch/model';
import { Command, Option } from 'commander';

import { readAlarmSettings, readCliConfig } from '../cli-config.js';
import { cliKafka, connectProducer } from '../kafka-client.js';
import { parseModelName } from '../model-name.js';
import { parsePositiveInteger } from '../number-options.js';
import { optionParser } from '../option-parser.js';
import { openModelVersions } from '../open-model-versions.js';
import { referenceSample } from '../reference-sample.js';

interface BootstrapOptions {
  dataset: 'sea' | 'elec2';
  file?: string;
  model?: string;
  rows: number;
  seed: number;
  force: boolean;
  json: boolean;
}

/**
 * Trains a model's first version on a reference sample and publishes it, promoted, to
 * `model-versions`, so the pipeline can score before any retraining. Idempotent: a model that
 * already has versions is left alone unless --force, which publishes a fresh bootstrap as the
 * next version.
 */
async function bootstrap(options: BootstrapOptions): Promise<void> {
  const config = readCliConfig();
  const sample = await referenceSample(options);
  const model = options.model ?? sample.model;
  const kafka = cliKafka(config, { retries: 8 });
  const { codec, registry } = await openModelVersions(config, kafka, 'bootstrap');
  const existing = registry.highestVersionNumber(model);
  if (existing > 0 && !options.force) {
    const serving = registry.latestPromoted(model)?.version;
    const message = `${model} already has ${existing} version(s)${serving ? `, v${serving} serving` : ''}; nothing to do (--force publishes a new bootstrap version)`;
    if (options.json)
      console.log(JSON.stringify({ model, published: null, existingVersions: existing }));
    else console.log(message);
    return;
  }
  const first = await bootstrapVersion({
    model,
    featureNames: sample.featureNames,
    rows: sample.rows.map((row) => sample.featureNames.map((name) => row.features[name] ?? NaN)),
    labels: sample.rows.map((row) => row.label),
    candidate: { family: 'logistic', training: {}, referenceBins: 10 },
    createdAt: Date.now(),
  });
  const alarmSettings = readAlarmSettings();
  const version = {
    ...first,
    ...(existing === 0
      ? {}
      : { version: existing + 1, parentVersion: registry.latestPromoted(model)?.version ?? null }),
    ...(alarmSettings ? { alarmCalibration: calibrateVersionAlarms(first, alarmSettings) } : {}),
  };
  const producer = await connectProducer(kafka, config.brokers);
  try {
    await producer.send({
      topic: config.names.modelVersions,
      messages: [
        {
          key: modelVersionKey(model, version.version),
          value: await codec.encode(version),
        },
      ],
    });
  } finally {
    await producer.disconnect();
  }
  if (options.json) {
    console.log(
      JSON.stringify({
        model,
        published: version.version,
        sha256: version.sha256,
        reason: version.reason,
      }),
    );
  } else {
    console.log(
      `${model} v${version.version} published (promoted) — ${version.reason}; sha256 ${version.sha256.slice(0, 12)}…`,
    );
  }
}

export function bootstrapCommand(): Command {
  return new Command('bootstrap')
    .description(
      "train a model's first version on a reference sample and publish it to model-versions",
    )
    .addOption(
      new Option('--dataset <name>', 'sea (the demo stream) or elec2')
        .choices(['sea', 'elec2'])
        .default('sea'),
    )
    .option('--file <csv>', 'the ELEC2 CSV, with --dataset elec2')
    .addOption(
      new Option('--model <name>', 'model name (default: the dataset name)').argParser(
        optionParser(parseModelName),
      ),
    )
    .addOption(
      new Option('--rows <n>', 'reference rows to train on')
        .default(2000)
        .argParser(optionParser(parsePositiveInteger)),
    )
    .addOption(
      new Option('--seed <n>', 'seed of the SEA reference sample')
        .default(1)
        .argParser(optionParser(parsePositiveInteger)),
    )
    .option('--force', 'publish a new bootstrap version even if the model has versions', false)
    .option('--json', 'print what was published as JSON', false)
    .addHelpText(
      'after',
      `
The same training path as the trainer: logistic regression, exported to ONNX, loaded back with
onnxruntime and checked to score as trained before it is published.

Examples:
  $ npm run bootstrap
  $ driftwatch bootstrap --dataset elec2 --file ../shared/datasets/elec2.csv`,
    )
    .action(async (options: BootstrapOptions) => {
      await bootstrap(options);
    });
}
