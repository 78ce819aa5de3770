/**
 * The baselines a service is measured against: consume a batch, produce the same keys and values
 * to another topic, nothing else. Three of them, each one layer closer to a driftwatch service:
 * - `bare`: kafkajs `eachBatch` → `producer.send`, idempotent producer, offsets auto-committed;
 * - `exactly-once`: the same with a transactional producer, `sendOffsets` and a commit per batch —
 *   the honest floor for a service that consumes and produces exactly once;
 * - `bus`: driftwatch's own `startTransactionalProcessor` with a handler that returns its input,
 *   so what a service costs beyond it is the service's own work;
 * - `codec`: the bus, its handler decoding each record with its topic's JSON codec and encoding
 *   the message again: the least a service that reads its records and writes as much does, so
 *   its ratio to `exactly-once` is as far as any such service on the bus can get.
 * And beside `bare`, a measured comparison rather than a switch (kafkajs has been in maintenance
 * since 2023; `packages/bus` is its only importer, so a change of client touches one package):
 * - `platformatic`: the same bare passthrough with `@platformatic/kafka` (pure JavaScript), its
 *   consumer stream read into batches of whatever it has buffered, offsets auto-committed.
 * Each runs in a process of its own (`forkPassthrough`), as a service does, so it never shares an
 * event loop with the bench's reader.
 */
import { fork } from 'node:child_process';

import {
  createKafkaClient,
  createSilentKafkaClient,
  createKeyPartitioner,
  startTransactionalProcessor,
  type BatchHandler,
  type InputRecord,
  type KafkaMessage,
  type Message,
  type OutputMessage,
} from '@driftwatch/bus';
import { createLogger } from '@driftwatch/service-kit';
import { jsonCodec, topicCatalog, type TopicDefinition, type TopicId } from '@driftwatch/topics';
import type { ZodType } from 'zod';

export type PassthroughMode = 'bare' | 'platformatic' | 'exactly-once' | 'bus' | 'codec';

export interface PassthroughOptions {
  mode: PassthroughMode;
  brokers: readonly string[];
  inputs: readonly string[];
  output: string;
  groupId: string;
  /** Ignored by `bare` and `platformatic`. */
  transactionalId: string;
  /** For `codec`: the catalog topic of each input, whose JSON codec reads it. */
  inputTopicIds: Readonly<Record<string, TopicId>>;
}

export interface PassthroughStats {
  batches: number;
  records: number;
  /** Time from a batch arriving to its output sent (and, but for `bare`, committed), per batch. */
  batchMs: number[];
  /** CPU time of the process from ready to stop. */
  cpuSeconds: number;
}

export interface RunningPassthrough {
  stop(): Promise<PassthroughStats>;
  /** Rejects if the passthrough fails or its process exits before it was stopped. */
  readonly failed: Promise<never>;
}

/** As the bus does: kafkajs puts a request's records for a partition into one record batch, and the broker refuses one over 1 MiB. */
const MAX_REQUEST_BYTES = 512 * 1024;

function* boundedRequests(messages: readonly KafkaMessage[]): Generator<Message[]> {
  let request: Message[] = [];
  let bytes = 0;
  for (const { key, value } of messages) {
    const size = (value?.length ?? 0) + (key?.length ?? 0);
    if (request.length > 0 && bytes + size > MAX_REQUEST_BYTES) {
      yield request;
      request = [];
      bytes = 0;
    }
    request.push({ key, value });
    bytes += size;
  }
  if (request.length > 0) yield request;
}

/** The consumer settings of the bus's transactional processor, for every mode alike. */
const consumerSettings = {
  readUncommitted: false,
  sessionTimeout: 30_000,
  heartbeatInterval: 3_000,
  maxWaitTimeInMs: 250,
} as const;

/** Runs a passthrough in this process; resolves once its consumer has joined its group. */
export async function startPassthrough(options: PassthroughOptions): Promise<RunningPassthrough> {
  if (options.mode === 'bus' || options.mode === 'codec') return startBusPassthrough(options);
  if (options.mode === 'platformatic') return startPlatformaticPassthrough(options);
  const kafka = createSilentKafkaClient({
    brokers: [...options.brokers],
    clientId: `bench-passthrough-${options.mode}`,
  });
  const stats: PassthroughStats = { batches: 0, records: 0, batchMs: [], cpuSeconds: 0 };
  const consumer = kafka.consumer({ groupId: options.groupId, ...consumerSettings });
  const transactional = options.mode === 'exactly-once';
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    // The services' partitioner, so the baseline differs from a service by the service's work.
    createPartitioner: createKeyPartitioner,
    ...(transactional
      ? { transactionalId: options.transactionalId, transactionTimeout: 30_000 }
      : {}),
  });
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined);
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) fail(payload.error);
  });

  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [...options.inputs], fromBeginning: true });
  await consumer.run({
    autoCommit: !transactional,
    eachBatch: async ({ batch }) => {
      const last = batch.messages.at(-1);
      if (!last) return;
      const started = performance.now();
      if (transactional) {
        const transaction = await producer.transaction();
        try {
          for (const messages of boundedRequests(batch.messages))
            await transaction.send({ topic: options.output, messages });
          await transaction.sendOffsets({
            consumerGroupId: options.groupId,
            topics: [
              {
                topic: batch.topic,
                partitions: [
                  { partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
                ],
              },
            ],
          });
          await transaction.commit();
        } catch (error) {
          await transaction.abort().catch(() => undefined);
          throw error;
        }
      } else {
        for (const messages of boundedRequests(batch.messages))
          await producer.send({ topic: options.output, messages });
      }
      stats.batches++;
      stats.records += batch.messages.length;
      stats.batchMs.push(performance.now() - started);
    },
  });
  const cpuAtReady = process.cpuUsage();
  return {
    failed,
    stop: async () => {
      stats.cpuSeconds = cpuSecondsSince(cpuAtReady);
      await consumer.disconnect();
      await producer.disconnect();
      return stats;
    },
  };
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1e6;
}

async function startBusPassthrough(options: PassthroughOptions): Promise<RunningPassthrough> {
  const logger = createLogger('bench-passthrough', 'warn');
  const kafka = createKafkaClient({
    brokers: [...options.brokers],
    clientId: `bench-passthrough-${options.mode}`,
    logger,
  });
  const stats: PassthroughStats = { batches: 0, records: 0, batchMs: [], cpuSeconds: 0 };
  const codecs = new Map(
    Object.entries(options.inputTopicIds).map(([topic, id]) => [
      topic,
      jsonCodec<ZodType>(topicCatalog[id] as TopicDefinition<ZodType>),
    ]),
  );
  const reencode = async (topic: string, value: Buffer): Promise<Buffer> => {
    const codec = codecs.get(topic);
    if (!codec) throw new Error(`no catalog topic given for ${topic}`);
    return Buffer.from(await codec.encode(await codec.decode(value)));
  };
  const output = (record: InputRecord, value: Buffer): OutputMessage => ({
    topic: options.output,
    key: record.key,
    value,
  });
  // `bus` stays the identity it measures: no promise per record.
  const handle: BatchHandler =
    options.mode === 'codec'
      ? ({ records }) =>
          Promise.all(
            records.map(async (record) =>
              output(record, await reencode(record.topic, record.value ?? Buffer.alloc(0))),
            ),
          )
      : ({ records }) =>
          Promise.resolve(records.map((record) => output(record, record.value ?? Buffer.alloc(0))));
  const processor = await startTransactionalProcessor({
    kafka,
    groupId: options.groupId,
    topics: options.inputs,
    logger,
    handle,
    diagnostics: {
      batchProcessed: ({ records, durationMs }) => {
        stats.batches++;
        stats.records += records;
        stats.batchMs.push(durationMs);
      },
      batchRetried: () => undefined,
    },
  });
  const cpuAtReady = process.cpuUsage();
  let stopping = false;
  // A processor asked to stop resolves `done` too: only an unasked end is a failure.
  const failed = new Promise<never>((_resolve, reject) => {
    processor.done.then(
      () => {
        if (!stopping) reject(new Error('the bus passthrough stopped on its own'));
      },
      (error: unknown) => {
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
  failed.catch(() => undefined);
  return {
    failed,
    stop: async () => {
      stopping = true;
      stats.cpuSeconds = cpuSecondsSince(cpuAtReady);
      await processor.stop();
      return stats;
    },
  };
}

/** `bare`, with `@platformatic/kafka`: its settings as close to the kafkajs consumer's as it has. */
async function startPlatformaticPassthrough(
  options: PassthroughOptions,
): Promise<RunningPassthrough> {
  const {
    Consumer,
    FetchIsolationLevels,
    MessagesStreamFallbackModes,
    MessagesStreamModes,
    Producer,
  } = await import('@platformatic/kafka');
  const clientId = 'bench-passthrough-platformatic';
  const bootstrapBrokers = [...options.brokers];
  const stats: PassthroughStats = { batches: 0, records: 0, batchMs: [], cpuSeconds: 0 };
  const consumer = new Consumer({
    groupId: options.groupId,
    clientId,
    bootstrapBrokers,
    // As kafkajs' autoCommit: every 5 s.
    autocommit: 5000,
    isolationLevel: FetchIsolationLevels.READ_COMMITTED,
    sessionTimeout: consumerSettings.sessionTimeout,
    heartbeatInterval: consumerSettings.heartbeatInterval,
    maxWaitTime: consumerSettings.maxWaitTimeInMs,
  });
  const producer = new Producer({ clientId, bootstrapBrokers, idempotent: true });
  const stream = await consumer.consume({
    topics: [...options.inputs],
    mode: MessagesStreamModes.COMMITTED,
    fallbackMode: MessagesStreamFallbackModes.EARLIEST,
  });
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined);
  let stopping = false;
  // A batch is what the stream holds when the loop gets to it, as kafkajs hands over a fetch, up
  // to the bytes of one request: this client puts a send's records for a partition into one
  // record batch, which the broker refuses over 1 MiB.
  const copying = (async () => {
    let batch: { topic: string; key?: Buffer; value?: Buffer }[] = [];
    let bytes = 0;
    let started = 0;
    for await (const message of stream) {
      if (batch.length === 0) started = performance.now();
      const key = message.key as Buffer | undefined;
      const value = message.value as Buffer | undefined;
      batch.push({
        topic: options.output,
        ...(key === undefined ? {} : { key }),
        ...(value === undefined ? {} : { value }),
      });
      bytes += (key?.length ?? 0) + (value?.length ?? 0);
      if (stream.readableLength > 0 && bytes < MAX_REQUEST_BYTES) continue;
      const messages = batch;
      stats.records += messages.length;
      batch = [];
      bytes = 0;
      await producer.send({ messages });
      stats.batches++;
      stats.batchMs.push(performance.now() - started);
    }
  })();
  copying.catch((error: unknown) => {
    if (!stopping) fail(error);
  });
  const cpuAtReady = process.cpuUsage();
  return {
    failed,
    stop: async () => {
      stopping = true;
      stats.cpuSeconds = cpuSecondsSince(cpuAtReady);
      await stream.close();
      await consumer.close();
      await producer.close();
      return stats;
    },
  };
}

type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'stopped'; stats: PassthroughStats }
  | { kind: 'failed'; message: string };

/** Runs a passthrough in a child process (`passthrough-worker.ts`); resolves once it has joined its group. */
export async function forkPassthrough(options: PassthroughOptions): Promise<RunningPassthrough> {
  const child = fork(
    new URL('./passthrough-worker.ts', import.meta.url),
    [JSON.stringify(options)],
    {
      execArgv: ['--import', 'tsx', '--conditions=@driftwatch/source'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let stopping = false;
  let onStopped: (stats: PassthroughStats) => void = () => undefined;
  const stopped = new Promise<PassthroughStats>((resolve) => {
    onStopped = resolve;
  });
  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined);
  void exited.then((code) => {
    if (!stopping) fail(new Error(`the ${options.mode} passthrough exited with ${String(code)}`));
  });
  await new Promise<void>((resolve, reject) => {
    void failed.catch(reject);
    child.on('message', (message: WorkerMessage) => {
      if (message.kind === 'ready') resolve();
      else if (message.kind === 'stopped') onStopped(message.stats);
      else fail(new Error(`the ${options.mode} passthrough failed: ${message.message}`));
    });
  });
  return {
    failed,
    stop: async () => {
      stopping = true;
      child.send({ kind: 'stop' });
      const stats = await Promise.race([stopped, failed]);
      await exited;
      return stats;
    },
  };
}
