import { deploymentNames, readTimeRange, type Kafka } from '@driftwatch/bus';
import { createShutdown, textTable } from '@driftwatch/service-kit';
import { createCodecs, deadLetterCodes, type Codec, type DeadLetter } from '@driftwatch/topics';
import { Command, Option } from 'commander';

import { readCliConfig } from '../cli-config.js';
import { withinDeadline } from '../deadline.js';
import { CliError } from '../errors.js';
import { cliKafka, connectAdmin, connectProducer, missingTopics } from '../kafka-client.js';
import { decodeDeadLetter, type UnreadableRecord } from '../read-dead-letters.js';
import { tailTopic } from '../topic-tail.js';

export interface DeadLettersOptions {
  code?: string;
  follow: boolean;
  json: boolean;
}

export interface ReplayDeadLettersOptions {
  code: string;
  dryRun: boolean;
}

/** Code, service, source topic/partition@offset, original size (and "truncated"), reason. */
function letterCells(letter: DeadLetter): string[] {
  const size =
    letter.valueSize === null
      ? letter.value === null
        ? 'no value'
        : `${letter.value.length} B`
      : `${letter.valueSize} B${letter.valueTruncated ? ' (truncated)' : ''}`;
  return [
    letter.code,
    letter.service,
    `${letter.sourceTopic}/${letter.partition}@${letter.offset}`,
    size,
    letter.reason.replace(/\s+/g, ' '),
  ];
}

/** The letters, one line each, columns as wide as their widest cell. */
export function deadLettersTable(letters: readonly DeadLetter[]): string[] {
  return textTable(letters.map(letterCells));
}

/** A letter as JSON: key and value as base64, as in the topic's JSON form. */
export function deadLetterJson(letter: DeadLetter): string {
  const base64 = (bytes: Uint8Array | null): string | null =>
    bytes === null ? null : Buffer.from(bytes).toString('base64');
  return JSON.stringify({ ...letter, key: base64(letter.key), value: base64(letter.value) });
}

function codeOption(): Option {
  return new Option('--code <code>', 'only letters with this code').choices([...deadLetterCodes]);
}

export function deadLettersCommand(): Command {
  const command = new Command('dead-letters')
    .description('print the records services gave up on, from the dead-letter topic, oldest first')
    // `replay --code …` is replay's option, not the listing's.
    .enablePositionalOptions()
    .addOption(codeOption())
    .option('-f, --follow', 'keep printing new letters until Ctrl-C', false)
    .option('--json', 'one JSON object per letter per line (key and value base64)', false)
    .addHelpText(
      'after',
      `
Each line: the code, the service that gave up, where the record is (topic/partition@offset),
the original value's size ("truncated" when the letter keeps only its start), and the reason.

Examples:
  $ driftwatch dead-letters
  $ driftwatch dead-letters --code DW_SCHEMA_VIOLATION --json | jq .reason
  $ driftwatch dead-letters replay --code DW_UNKNOWN_MODEL --dry-run`,
    )
    .action(async (options: DeadLettersOptions) => {
      await printDeadLetters(options);
    });
  command.addCommand(
    new Command('replay')
      .description(
        'publish the original records of matching letters again, to their source topic with their key',
      )
      .addOption(codeOption().makeOptionMandatory())
      .option('--dry-run', 'count what would be sent, send nothing', false)
      .addHelpText(
        'after',
        `
Only letters that hold the whole original value are replayed; truncated ones (see README,
"Dead letters") are counted as skipped. Fix the cause first (promote the model, deploy the
fix): a record that fails again is dead-lettered again.`,
      )
      .action(async (options: ReplayDeadLettersOptions) => {
        await replayDeadLetters(options);
      }),
  );
  return command;
}

/** The topic and codec, or undefined when the topic does not exist yet (nothing was lettered). */
async function openDeadLetters(): Promise<
  { kafka: Kafka; topic: string; codec: Codec<DeadLetter>; brokers: string[] } | undefined
> {
  const config = readCliConfig();
  const topic = config.names.deadLetter;
  const kafka = cliKafka(config);
  const admin = await connectAdmin(kafka, config.brokers);
  try {
    if ((await missingTopics(admin, [topic])).length > 0) return undefined;
  } finally {
    await admin.disconnect();
  }
  const codecs = await createCodecs({
    schemaRegistryUrl: config.schemaRegistryUrl,
    names: config.names,
    topics: [],
  });
  return { kafka, topic, codec: codecs.deadLetter, brokers: config.brokers };
}

/** Every letter now on the topic (read_committed), and the records that are not letters. */
async function readDeadLetters(
  kafka: Kafka,
  topic: string,
  codec: Codec<DeadLetter>,
): Promise<{ letters: DeadLetter[]; unreadable: UnreadableRecord[] }> {
  const records = await withinDeadline(30_000, `reading ${topic}`, (signal) =>
    readTimeRange({ kafka, topic, fromTs: 0, toTs: Number.MAX_SAFE_INTEGER, signal }),
  );
  const letters: DeadLetter[] = [];
  const unreadable: UnreadableRecord[] = [];
  for (const record of records) {
    const decoded = await decodeDeadLetter(codec, record);
    if ('unreadable' in decoded) unreadable.push(decoded.unreadable);
    else letters.push(decoded.letter);
  }
  return { letters, unreadable };
}

async function printDeadLetters(options: DeadLettersOptions): Promise<void> {
  const opened = await openDeadLetters();
  if (!opened) {
    if (options.follow) {
      throw new CliError(
        'DW_CLI_TOPIC_MISSING',
        'the dead-letter topic does not exist yet: start a service first',
      );
    }
    if (!options.json) console.error('no dead letters: the dead-letter topic does not exist yet');
    return;
  }
  const { kafka, topic, codec } = opened;
  const matches = (letter: DeadLetter): boolean =>
    options.code === undefined || letter.code === options.code;
  const print = (letter: DeadLetter): void => {
    console.log(options.json ? deadLetterJson(letter) : letterCells(letter).join('  '));
  };
  const warn = (record: UnreadableRecord): void => {
    console.error(`skipped ${topic}/${record.partition}@${record.offset}: ${record.reason}`);
  };
  if (!options.follow) {
    const { letters, unreadable } = await readDeadLetters(kafka, topic, codec);
    const shown = letters.filter(matches);
    if (options.json) shown.forEach(print);
    else
      deadLettersTable(shown).forEach((line) => {
        console.log(line);
      });
    unreadable.forEach(warn);
    if (shown.length === 0 && !options.json) console.error(`no dead letters in ${topic}`);
    return;
  }
  const interrupt = createShutdown();
  try {
    await tailTopic({
      kafka,
      topic,
      groupIdPrefix: deploymentNames(readCliConfig().topicPrefix).followerGroupPrefix(
        'cli',
        'dead-letters',
      ),
      signal: interrupt.signal,
      onRecord: async (record) => {
        const decoded = await decodeDeadLetter(codec, record);
        if ('unreadable' in decoded) warn(decoded.unreadable);
        else if (matches(decoded.letter)) print(decoded.letter);
      },
    });
  } finally {
    interrupt.dispose();
  }
}

async function replayDeadLetters(options: ReplayDeadLettersOptions): Promise<void> {
  const opened = await openDeadLetters();
  if (!opened) {
    console.log('sent 0, skipped 0: the dead-letter topic does not exist yet');
    return;
  }
  const { kafka, topic, codec, brokers } = opened;
  const { letters } = await readDeadLetters(kafka, topic, codec);
  const matching = letters.filter((letter) => letter.code === options.code);
  const whole = matching.filter((letter) => !letter.valueTruncated && letter.value !== null);
  const skipped = matching.length - whole.length;
  if (!options.dryRun && whole.length > 0) {
    const producer = await connectProducer(kafka, brokers);
    try {
      // In requests of about half the broker's limit: a letter's value may be near 1 MB.
      let request: DeadLetter[] = [];
      let bytes = 0;
      const flush = async (): Promise<void> => {
        if (request.length === 0) return;
        await producer.sendBatch({
          topicMessages: request.map((letter) => ({
            topic: letter.sourceTopic,
            messages: [
              {
                key: letter.key === null ? null : Buffer.from(letter.key),
                value: letter.value === null ? null : Buffer.from(letter.value),
              },
            ],
          })),
        });
        request = [];
        bytes = 0;
      };
      for (const letter of whole) {
        const size = (letter.value?.length ?? 0) + (letter.key?.length ?? 0);
        if (bytes > 0 && bytes + size > 512 * 1024) await flush();
        request.push(letter);
        bytes += size;
      }
      await flush();
    } finally {
      await producer.disconnect();
    }
  }
  const verb = options.dryRun ? 'would send' : 'sent';
  console.log(
    `${verb} ${whole.length}, skipped ${skipped} (truncated or without a value) of ${matching.length} dead letters with code ${options.code}`,
  );
}
