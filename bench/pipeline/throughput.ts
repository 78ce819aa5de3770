import type { Kafka } from '@driftwatch/bus';
import { metricValue, type ServiceName, type ServiceProcess } from '@driftwatch/demo';
import { topicIds } from '@driftwatch/topics';

import { kafkaBrokers } from '../../test/support/environment.js';
import type { BenchPipeline } from './bench-pipeline.js';
import { forkPassthrough, type PassthroughMode } from './passthrough.js';
import { histogramMean } from './prometheus-histogram.js';
import { countRecords, type RecordCounter } from './record-counter.js';

/** Something being measured that runs elsewhere and can fail there. */
export interface Subject {
  /** Rejects when the subject dies before it was stopped. */
  readonly failed: Promise<never>;
  stop(): Promise<unknown>;
}

export interface ThroughputOptions<S extends Subject> {
  kafka: Kafka;
  groupIdPrefix: string;
  /** Where the subject's output goes, read committed by the bench. */
  outputs: readonly string[];
  /** Outputs that mean the work is done. */
  expected: number;
  /** Starts the subject; not timed (process start, group join). */
  start: () => Promise<S>;
  /** The first timed step, if the input is not there before the subject starts: producing it. */
  feed?: () => Promise<void>;
  /** `performance.now()` when the subject is done; default: when `expected` outputs were read. */
  done?: (counter: RecordCounter) => Promise<number>;
  timeoutMs: number;
}

export interface ThroughputRun<S> {
  /** From the subject ready (its consumer in its group) to done. */
  seconds: number;
  /** From the subject ready to its first output read: the first fetch and batch. */
  firstOutputSeconds: number;
  /** Still running: the caller reads its metrics, then stops it. */
  subject: S;
}

/** Times one subject from ready to done, with the output reader already in its group. */
export async function measureThroughput<S extends Subject>(
  options: ThroughputOptions<S>,
): Promise<ThroughputRun<S>> {
  const counter = await countRecords(options.kafka, options.outputs, {
    groupIdPrefix: options.groupIdPrefix,
  });
  try {
    globalThis.gc?.();
    const subject = await options.start();
    const started = performance.now();
    const firstOutput = counter.reached(1);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(
          new Error(
            `${String(counter.count)} of ${String(options.expected)} outputs after ${String(options.timeoutMs)} ms`,
          ),
        );
      }, options.timeoutMs);
    });
    try {
      const [finished] = await Promise.race([
        Promise.all([
          options.done ? options.done(counter) : counter.reached(options.expected),
          options.feed?.(),
        ]),
        subject.failed,
        timeout,
      ]);
      return {
        seconds: (finished - started) / 1000,
        firstOutputSeconds: ((await firstOutput) - started) / 1000,
        subject,
      };
    } catch (error) {
      await subject.stop().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await counter.stop();
  }
}

/** One timed subject, passthrough or service, in the same terms. */
export interface SubjectRun {
  seconds: number;
  firstOutputSeconds: number;
  batches: number;
  records: number;
  /** Mean time from a batch arriving to its output committed (sent, for the bare passthrough). */
  meanBatchMs: number;
  /** CPU time of the subject's process(es) from ready to done; the broker's is not counted. */
  cpuSeconds: number;
}

const cpuMetric = 'driftwatch_process_cpu_seconds_total';

/** A running service process as a subject, with its CPU time at ready. */
export async function serviceSubject(
  service: ServiceProcess,
): Promise<Subject & { service: ServiceProcess; cpuAtReady: number }> {
  const failed = service.exited.then((code): never => {
    throw new Error(`${service.name} exited with ${String(code)}; see ${service.logFile}`);
  });
  failed.catch(() => undefined);
  return {
    service,
    failed,
    stop: () => service.stop(),
    cpuAtReady: await service.metric(cpuMetric),
  };
}

/** CPU seconds of a service since `serviceSubject` took it on. */
export async function serviceCpuSeconds(subject: {
  service: ServiceProcess;
  cpuAtReady: number;
}): Promise<number> {
  return (await subject.service.metric(cpuMetric)) - subject.cpuAtReady;
}

/** One passthrough (own process, own group, own output topic) over `inputs`, timed until `expected` outputs. */
export async function measurePassthrough(options: {
  pipeline: BenchPipeline;
  mode: PassthroughMode;
  inputs: readonly string[];
  output: string;
  expected: number;
  timeoutMs: number;
  feed?: () => Promise<void>;
}): Promise<SubjectRun> {
  const { pipeline } = options;
  const name = `${pipeline.prefix}bench-passthrough-${options.mode}`;
  const run = await measureThroughput({
    kafka: pipeline.kafka,
    groupIdPrefix: pipeline.prefix,
    outputs: [options.output],
    expected: options.expected,
    timeoutMs: options.timeoutMs,
    ...(options.feed ? { feed: options.feed } : {}),
    start: () =>
      forkPassthrough({
        mode: options.mode,
        brokers: kafkaBrokers,
        inputs: options.inputs,
        output: options.output,
        groupId: name,
        transactionalId: name,
        inputTopicIds: Object.fromEntries(
          topicIds
            .filter((id) => options.inputs.includes(pipeline.names[id]))
            .map((id) => [pipeline.names[id], id]),
        ),
      }),
  });
  const stats = await run.subject.stop();
  return {
    seconds: run.seconds,
    firstOutputSeconds: run.firstOutputSeconds,
    batches: stats.batches,
    records: stats.records,
    meanBatchMs: stats.batchMs.reduce((sum, ms) => sum + ms, 0) / stats.batchMs.length,
    cpuSeconds: stats.cpuSeconds,
  };
}

/**
 * One service (its build, a process of its own) timed until `expected` outputs; its batches from
 * its own histograms, and its /metrics at the end for the caller to read more from.
 */
export async function measureService(options: {
  pipeline: BenchPipeline;
  name: ServiceName;
  env?: Record<string, string>;
  outputs: readonly string[];
  expected: number;
  timeoutMs: number;
  /** Histograms of records per batch and (if the service has one) seconds per batch. */
  batchSizeMetric: string;
  batchDurationMetric?: string;
}): Promise<SubjectRun & { metrics: string }> {
  const { pipeline } = options;
  const run = await measureThroughput({
    kafka: pipeline.kafka,
    groupIdPrefix: pipeline.prefix,
    outputs: options.outputs,
    expected: options.expected,
    timeoutMs: options.timeoutMs,
    start: async () => serviceSubject(await pipeline.startService(options.name, options.env)),
  });
  const cpuSeconds = await serviceCpuSeconds(run.subject);
  const metrics = await run.subject.service.metrics();
  await run.subject.stop();
  return {
    seconds: run.seconds,
    firstOutputSeconds: run.firstOutputSeconds,
    batches: metricValue(metrics, `${options.batchSizeMetric}_count`),
    records: metricValue(metrics, `${options.batchSizeMetric}_sum`),
    meanBatchMs: options.batchDurationMetric
      ? 1000 * histogramMean(metrics, options.batchDurationMetric)
      : NaN,
    cpuSeconds,
    metrics,
  };
}
