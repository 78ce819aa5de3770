import type { ServiceProcess } from '@driftwatch/demo';
import type { Kafka } from 'kafkajs';

import { kafkaBrokers } from '../../test/support/environment.js';
import {
  forkPassthrough,
  type PassthroughMode,
  type PassthroughStats,
} from './passthrough.js';
import { countRecords, type RecordCounter } from './record-counter.js';

/** Something being measured that runs elsewhere and can fail there. */
export interface Subject {
  /** Rejects when the subject dies before it was stopped. */
  readonly failed: Promise<never>;
  stop(): Promise<unknown>;
}

export interface ServiceSubject extends Subject {
  service: ServiceProcess;
}

export function serviceSubject(service: ServiceProcess): ServiceSubject {
  const failed = service.exited.then((code): never => {
    throw new Error(`${service.name} exited with ${String(code)}; see ${service.logFile}`);
  });
  failed.catch(() => undefined);
  return { service, failed, stop: () => service.stop() };
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

export interface PassthroughRun {
  mode: PassthroughMode;
  seconds: number;
  firstOutputSeconds: number;
  stats: PassthroughStats;
}

/** One passthrough (own process, own group, own output topic) over `inputs`, timed until `expected` outputs. */
export async function measurePassthrough(options: {
  kafka: Kafka;
  prefix: string;
  mode: PassthroughMode;
  inputs: readonly string[];
  output: string;
  expected: number;
  timeoutMs: number;
  feed?: () => Promise<void>;
}): Promise<PassthroughRun> {
  const name = `${options.prefix}bench-passthrough-${options.mode}`;
  const run = await measureThroughput({
    kafka: options.kafka,
    groupIdPrefix: options.prefix,
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
      }),
  });
  const stats = await run.subject.stop();
  return { mode: options.mode, seconds: run.seconds, firstOutputSeconds: run.firstOutputSeconds, stats };
}
