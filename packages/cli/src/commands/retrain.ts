import { randomUUID } from 'node:crypto';

import { setTimeout as sleep } from 'node:timers/promises';

import {
  catalogTopicSpecs,
  followModelRegistry,
  provisionTopics,
  type Producer,
} from '@driftwatch/bus';
import {
  createCodecs,
  retrainRequestSchema,
  validate,
  type Codec,
  type ModelVersion,
  type AlarmSettings,
  type RetrainRequest,
} from '@driftwatch/topics';
import { Command, Option } from 'commander';

import { readAlarmSettings, readCliConfig } from '../cli-config.js';
import { withinDeadline } from '../deadline.js';
import { parseDuration } from '../duration.js';
import { CliError } from '../errors.js';
import { cliKafka, connectAdmin, connectProducer } from '../kafka-client.js';
import { parseModelName } from '../model-name.js';
import { optionParser } from '../option-parser.js';
import { silentLogger } from '../silent-logger.js';
import { parseTimePoint } from '../time-point.js';

/**
 * A manual retrain request for `model` over [fromTs, toTs]: a new request id, no alert behind it.
 * Checked against the topic's schema before anything is sent.
 */
export function manualRetrainRequest(options: {
  model: string;
  fromTs: number;
  toTs: number;
  now: number;
  /** The detectors' budget and rule settings, for the trainer to calibrate the version under. */
  alarmSettings?: AlarmSettings | null;
}): RetrainRequest {
  const model = parseModelName(options.model);
  if (options.fromTs > options.toTs) {
    throw new CliError(
      'DW_CLI_BAD_OPTION',
      `the training window starts (${new Date(options.fromTs).toISOString()}) after it ends (${new Date(options.toTs).toISOString()})`,
    );
  }
  return validate(retrainRequestSchema, {
    requestId: randomUUID(),
    model,
    reason: 'manual',
    alertId: null,
    fromTs: options.fromTs,
    toTs: options.toTs,
    requestedAt: options.now,
    alarmSettings: options.alarmSettings ?? null,
  });
}

/** Publishes one request to `retrain-requested`, keyed by model as the trainer expects. */
export async function publishRetrainRequest(options: {
  producer: Producer;
  codec: Codec<RetrainRequest>;
  topic: string;
  request: RetrainRequest;
}): Promise<void> {
  const { request } = options;
  await options.producer.send({
    topic: options.topic,
    messages: [{ key: request.model, value: await options.codec.encode(request) }],
  });
}

interface RetrainOptions {
  /** Checked when parsed, but read in the action, so that `7d` and "now" share one clock. */
  from: string;
  to?: string;
  /** Milliseconds to wait for the version that answers the request; undefined: do not wait. */
  wait?: number;
  json: boolean;
}

/** Rejects a bad time as a usage error, keeping the text for the action to read. */
function timePointSpec(spec: string): string {
  parseTimePoint(spec);
  return spec;
}

export function retrainCommand(): Command {
  return new Command('retrain')
    .description('ask the trainer to train a challenger for a model now (reason: manual)')
    .argument('<model>', 'the model to retrain', optionParser(parseModelName))
    .addOption(
      new Option(
        '--from <time>',
        'start of the training window: epoch ms, an ISO date, or a duration ago (7d)',
      )
        .default('0', 'all data')
        .argParser(optionParser(timePointSpec)),
    )
    .addOption(
      new Option('--to <time>', 'end of the training window, same forms (default: now)').argParser(
        optionParser(timePointSpec),
      ),
    )
    .addOption(
      new Option(
        '--wait [duration]',
        'wait for the version the trainer publishes for this request, and print it (default 10m)',
      ).argParser(optionParser((spec: string) => parseDuration(spec))),
    )
    .option('--json', 'print the whole request as JSON', false)
    .addHelpText(
      'after',
      `
Prints the request's id; the model version the trainer produces for it carries the same
requestId (see \`driftwatch models\`).

Examples:
  $ driftwatch retrain sea
  $ driftwatch retrain sea --from 2h
  $ driftwatch retrain sea --wait      # until the trainer's answer: v2 promoted, or why not
  $ driftwatch retrain sea --from 2024-06-01T00:00:00Z --to 2024-06-02T00:00:00Z --json`,
    )
    .action(
      async (model: string, options: Omit<RetrainOptions, 'wait'> & { wait?: number | true }) => {
        const { wait, ...rest } = options;
        await requestRetrain(model, {
          ...rest,
          ...(wait === undefined ? {} : { wait: wait === true ? defaultWaitMs : wait }),
        });
      },
    );
}

async function requestRetrain(model: string, options: RetrainOptions): Promise<void> {
  const config = readCliConfig();
  const now = Date.now();
  const request = manualRetrainRequest({
    model,
    fromTs: parseTimePoint(options.from, now),
    toTs: options.to === undefined ? now : parseTimePoint(options.to, now),
    now,
    alarmSettings: readAlarmSettings(),
  });
  const topic = config.names.retrainRequested;
  const codecs = await createCodecs({
    schemaRegistryUrl: config.schemaRegistryUrl,
    names: config.names,
    topics: ['retrainRequested'],
  });
  const kafka = cliKafka(config);
  const admin = await connectAdmin(kafka, config.brokers);
  try {
    // Like a service: the stack does not create topics on first write.
    await provisionTopics(
      admin,
      catalogTopicSpecs(
        config.names,
        // --wait reads the answer from model-versions, which no trainer may have created yet.
        options.wait === undefined ? ['retrainRequested'] : ['retrainRequested', 'modelVersions'],
        config.topicSizing,
      ),
    );
  } finally {
    await admin.disconnect();
  }
  const producer = await connectProducer(kafka, config.brokers);
  try {
    await publishRetrainRequest({ producer, codec: codecs.retrainRequested, topic, request });
  } finally {
    await producer.disconnect();
  }
  if (options.json && options.wait === undefined) {
    console.log(JSON.stringify(request));
    return;
  }
  if (!options.json) {
    // The id alone on stdout, for `id=$(driftwatch retrain sea)`; the rest is for the person.
    console.log(request.requestId);
    const window =
      request.fromTs === 0
        ? `all data up to ${new Date(request.toTs).toISOString()}`
        : `${new Date(request.fromTs).toISOString()} to ${new Date(request.toTs).toISOString()}`;
    console.error(`asked for a manual retrain of ${request.model} on ${window} (${topic})`);
  }
  if (options.wait === undefined) return;
  const answer = await waitForAnswer({ kafka, config, request, timeoutMs: options.wait });
  if (options.json) {
    const { onnx: _onnx, ...version } = answer;
    console.log(JSON.stringify({ request, version }));
    return;
  }
  console.error(
    `${answer.model} v${answer.version} ${answer.status.toUpperCase()}: ${answer.reason}`,
  );
}

const defaultWaitMs = 10 * 60_000;

/**
 * Follows `model-versions` until the version that answers `request` (same requestId) is there.
 * A trainer that skips a request (too few labeled rows, one class only) publishes nothing, so the
 * wait ends at its deadline with a message that says where to look.
 */
async function waitForAnswer(options: {
  kafka: ReturnType<typeof cliKafka>;
  config: ReturnType<typeof readCliConfig>;
  request: RetrainRequest;
  timeoutMs: number;
}): Promise<ModelVersion> {
  const { request, config } = options;
  const codecs = await createCodecs({
    schemaRegistryUrl: config.schemaRegistryUrl,
    names: config.names,
    topics: ['modelVersions'],
  });
  const follower = await followModelRegistry({
    kafka: options.kafka,
    topic: config.names.modelVersions,
    codec: codecs.modelVersions,
    logger: silentLogger,
    groupIdPrefix: `${config.names.modelVersions}-cli-retrain-`,
  });
  try {
    return await withinDeadline(
      options.timeoutMs,
      `waiting for the trainer's answer to request ${request.requestId} (a skipped request — too few labeled rows, one class — gets none: see the trainer's log)`,
      async (signal) => {
        for (;;) {
          const answer = follower.registry
            .versions(request.model)
            .find((version) => version.requestId === request.requestId);
          if (answer) return answer;
          if (signal.aborted) throw signal.reason;
          await sleep(250);
        }
      },
    );
  } finally {
    await follower.stop();
  }
}
