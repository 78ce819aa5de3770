/**
 * The four services together (their builds, as processes), against passthroughs in the same run.
 * - Throughput: N events of one SEA concept and their labels are produced in chunks (each chunk's
 *   labels with the next chunk's events) while the services run; timed from the first send until
 *   the bench has read N labeled predictions and the detector has committed past every one of
 *   them. The baseline reads the same workload, produced the same way, from topics of its own.
 * - Idle: the same services, after that run, for 10 s with no input: their CPU, % of a core.
 * - Alert latency: with the detector running alone, drifts fed straight to predictions-labeled
 *   (alert-latency.ts), against a produce → consume round trip and the exactly-once commit each
 *   hop adds (transaction-latency.ts); then the same through inference and joiner, from the label
 *   that completed the evidence to the alert.
 */
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

import { deploymentNames, type Producer } from '@driftwatch/bus';
import { metricValue, serviceNames, type ServiceName, type ServiceProcess } from '@driftwatch/demo';

import { withRatio, type BenchContext, type BenchRow } from '../report.js';
import { testKafka } from '../../test/support/environment.js';
import { publishModelVersion } from '../../test/support/pipeline.js';
import {
  detectorAlertLatencies,
  endToEndAlertLatencies,
  PACE_MS,
  STATIONARY,
  type AlertLatency,
} from './alert-latency.js';
import { createBenchPipeline, partitions, type BenchPipeline } from './bench-pipeline.js';
import { committedPast } from './committed-offsets.js';
import { sampleQuantile } from './prometheus-histogram.js';
import { roundTripLatencies } from './round-trip.js';
import { transactionLatencies } from './transaction-latency.js';
import {
  encodeEvents,
  encodeLabels,
  registeredSeaVersion,
  seaRows,
  type KeyedMessage,
} from './sea-workload.js';
import type { PassthroughMode } from './passthrough.js';
import {
  measurePassthrough,
  measureThroughput,
  serviceCpuSeconds,
  serviceSubject,
  type SubjectRun,
} from './throughput.js';
import { passthroughSubjects } from './throughput-rows.js';

const EVENTS = 50_000;
// Eleven of each: a median of three moved by a factor of two between runs, the machine's noise
// more than the pipeline's; eleven make the median one of the samples, and cost about 30 s.
const DRIFTS = 11;
const END_TO_END_DRIFTS = 11;
const ROUND_TRIPS = 200;
const LABEL_LAG_MS = 500;
const SUITE = 'pipeline: end to end';
const MODEL = 'sea';
const TIMEOUT_MS = 180_000;
const CHUNK = 1000;
/** How long the services sit idle after the throughput run, for the idle CPU row. */
const IDLE_SECONDS = 10;

export default async function endToEndBench(context: BenchContext): Promise<void> {
  const events = Math.max(1000, Math.round(EVENTS * context.scale));
  const kafka = testKafka();
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const pipelines: BenchPipeline[] = [];
  try {
    const pipeline = await createBenchPipeline(kafka);
    pipelines.push(pipeline);
    const { services, scaleOut } = await measurePipelineThroughput(
      context,
      pipeline,
      producer,
      events,
    );

    const endToEndDrifts = Math.max(1, Math.round(END_TO_END_DRIFTS * context.scale));
    const endToEnd = await endToEndAlertLatencies(
      pipeline,
      services.inference,
      producer,
      endToEndDrifts,
      LABEL_LAG_MS,
    );
    await Promise.all(Object.values(services).map((service) => service.stop()));
    const scaled = await createBenchPipeline(kafka);
    pipelines.push(scaled);
    await scaleOut(scaled);

    // The detector alone, on a pipeline of its own.
    const alone = await createBenchPipeline(kafka);
    pipelines.push(alone);
    const detector = await alone.startService('detector');
    const drifts = Math.max(2, Math.round(DRIFTS * context.scale));
    const direct = await detectorAlertLatencies(alone, detector, producer, drifts);
    const roundTrips = await roundTripLatencies(
      alone,
      producer,
      Math.max(50, Math.round(ROUND_TRIPS * context.scale)),
    );
    const commits = await transactionLatencies(
      alone,
      Math.max(50, Math.round(ROUND_TRIPS * context.scale)),
    );
    await detector.stop();

    const caseName = `alert latency, one record every ${String(PACE_MS)} ms`;
    context.log(
      `${caseName}: ${String(drifts)} drifts straight to predictions-labeled (${String(STATIONARY)} labeled at 5% error, then 50% until the alert), ${String(endToEndDrifts)} through inference and joiner (${String(STATIONARY)} SEA events, then the concept flipped; labels ${String(LABEL_LAG_MS)} ms after their events)`,
    );
    const roundTripMedian = sampleQuantile(roundTrips, 0.5);
    const roundTripMax = Math.max(...roundTrips);
    const roundTripSubject = 'produce → consume round trip';
    const roundTripNote = `${String(roundTrips.length)} records, one every ${String(PACE_MS)} ms, to a fresh ${String(partitions)}-partition topic`;
    context.report({
      suite: SUITE,
      case: caseName,
      subject: `${roundTripSubject} (median)`,
      value: roundTripMedian,
      unit: 'ms',
      note: roundTripNote,
    });
    context.report({
      suite: SUITE,
      case: caseName,
      subject: `${roundTripSubject} (max)`,
      value: roundTripMax,
      unit: 'ms',
      note: roundTripNote,
    });
    context.report(
      withRatio(
        {
          suite: SUITE,
          case: caseName,
          subject: 'exactly-once commit of one record: send + offsets + commit (median)',
          value: sampleQuantile(commits.latencies, 0.5),
          unit: 'ms',
          note: `${String(commits.latencies.length)} transactions, one every ${String(PACE_MS)} ms; ${commits.requestsPerTransaction.toFixed(1)} broker requests each, one after another: every service hop pays this after its fetch`,
        },
        `${roundTripSubject} (median)`,
        roundTripMedian,
      ),
    );
    const latencyRows = (
      subject: string,
      latencies: readonly AlertLatency[],
      extra: string,
    ): BenchRow[] => {
      const values = latencies.map((latency) => latency.latencyMs);
      const note = `${String(latencies.length)} drift${latencies.length === 1 ? '' : 's'}; evidence complete after ${latencies.map((l) => l.evidence).join(', ')} drifted records; ${latencies.map((l) => l.producedAfter).join(', ')} produced after it before the alert was read${extra}`;
      return [
        withRatio(
          {
            suite: SUITE,
            case: caseName,
            subject: `${subject} (median)`,
            value: sampleQuantile(values, 0.5),
            unit: 'ms',
            note,
          },
          `${roundTripSubject} (median)`,
          roundTripMedian,
        ),
        withRatio(
          {
            suite: SUITE,
            case: caseName,
            subject: `${subject} (max)`,
            value: Math.max(...values),
            unit: 'ms',
          },
          `${roundTripSubject} (max)`,
          roundTripMax,
        ),
      ];
    };
    for (const row of latencyRows(
      'detector: labeled record → alert',
      direct.latencies,
      direct.falseAlarms > 0
        ? `; ${String(direct.falseAlarms)} drifts skipped after a false alarm`
        : '',
    ))
      context.report(row);
    for (const row of latencyRows(
      'inference + joiner + detector: label → alert',
      endToEnd.latencies,
      (endToEnd.falseAlarms > 0
        ? `; ${String(endToEnd.falseAlarms)} skipped after a false alarm`
        : '') +
        (endToEnd.ambiguous > 0
          ? `; ${String(endToEnd.ambiguous)} completing records not told apart by alert id`
          : ''),
    ))
      context.report(row);
    const joined = endToEnd.latencies.map((latency) => latency.joinedMs ?? NaN);
    const detected = endToEnd.latencies.map(
      (latency) => latency.latencyMs - (latency.joinedMs ?? NaN),
    );
    for (const [subject, values] of [
      ['… of which label → labeled record read (joiner)', joined],
      ['… of which labeled record read → alert read (detector)', detected],
    ] as const) {
      context.report(
        withRatio(
          {
            suite: SUITE,
            case: caseName,
            subject: `${subject} (median)`,
            value: sampleQuantile(values, 0.5),
            unit: 'ms',
            note: values.map((value) => value.toFixed(0)).join(', '),
          },
          `${roundTripSubject} (median)`,
          roundTripMedian,
        ),
      );
    }
  } finally {
    await producer.disconnect();
    for (const pipeline of pipelines) await pipeline.cleanup();
  }
}

/** Events and labels in chunks, each chunk's labels sent with the next chunk's events. */
function feedInChunks(
  producer: Producer,
  topics: { events: string; labels: string },
  events: readonly KeyedMessage[],
  labels: readonly KeyedMessage[],
): () => Promise<void> {
  return async () => {
    for (let start = 0; start < events.length + CHUNK; start += CHUNK) {
      const topicMessages = [
        { topic: topics.events, messages: events.slice(start, start + CHUNK) },
        { topic: topics.labels, messages: start > 0 ? labels.slice(start - CHUNK, start) : [] },
      ].filter((entry) => entry.messages.length > 0);
      if (topicMessages.length > 0) await producer.sendBatch({ topicMessages });
    }
  };
}

type RunningServices = Record<ServiceName, ServiceProcess>;

async function measurePipelineThroughput(
  context: BenchContext,
  pipeline: BenchPipeline,
  producer: Producer,
  events: number,
): Promise<{ services: RunningServices; scaleOut: (scaled: BenchPipeline) => Promise<void> }> {
  await publishModelVersion(producer, pipeline, await registeredSeaVersion(MODEL));
  const rows = seaRows({ seed: 13, length: events });
  const baseTs = Date.now() - 3_600_000;
  const eventMessages = await encodeEvents(pipeline.codecs, MODEL, 'sea', rows, baseTs);
  const labelMessages = await encodeLabels(pipeline.codecs, MODEL, 'sea', rows, baseTs);
  const caseName = `${events.toLocaleString('en-US')} SEA events + their labels, ${String(partitions)} partitions`;
  context.log(
    `${caseName}, produced in chunks of ${String(CHUNK)} while the subject runs; timed from the first send`,
  );

  const runs = new Map<PassthroughMode, SubjectRun>();
  for (const mode of ['bare', 'exactly-once'] as const) {
    const [eventsTopic, labelsTopic, output] = await pipeline.createTopics([
      `bench-${mode}-events`,
      `bench-${mode}-labels`,
      `bench-out-${mode}`,
    ]);
    if (!eventsTopic || !labelsTopic || !output) throw new Error('no passthrough topics');
    runs.set(
      mode,
      await measurePassthrough({
        pipeline,
        mode,
        inputs: [eventsTopic, labelsTopic],
        output,
        expected: 2 * events,
        timeoutMs: TIMEOUT_MS,
        feed: feedInChunks(
          producer,
          { events: eventsTopic, labels: labelsTopic },
          eventMessages,
          labelMessages,
        ),
      }),
    );
  }

  const single = await runServices(pipeline, producer, events, eventMessages, labelMessages, 1);
  const { run, labeledSeconds, cpu } = single;
  const services = Object.fromEntries(
    run.subject.subjects.map((subject) => [subject.service.name, subject.service]),
  ) as Record<ServiceName, ServiceProcess>;
  const alerts = metricValue(await services.detector.metrics(), 'driftwatch_detector_alerts_total');

  const bare = runs.get('bare');
  const exactlyOnce = runs.get('exactly-once');
  if (!bare || !exactlyOnce) throw new Error('a passthrough did not run');
  const passthroughNote = (r: SubjectRun): string =>
    `${String(r.batches)} batches of ${(r.records / r.batches).toFixed(0)} records on average, ${r.meanBatchMs.toFixed(1)} ms each`;
  const bareRow: BenchRow = {
    suite: SUITE,
    case: caseName,
    subject: passthroughSubjects.bare,
    value: events / bare.seconds,
    unit: 'events/s',
    note: `${passthroughNote(bare)}; reads events and labels (2N records)`,
  };
  const exactlyOnceRow: BenchRow = {
    ...bareRow,
    subject: passthroughSubjects['exactly-once'],
    value: events / exactlyOnce.seconds,
    note: passthroughNote(exactlyOnce),
  };
  const pipelineRow: BenchRow = {
    suite: SUITE,
    case: caseName,
    subject: 'inference → joiner → detector (+ trainer)',
    value: events / run.seconds,
    unit: 'events/s',
    note: `until the detector committed past the last labeled prediction, ${(run.seconds - labeledSeconds).toFixed(2)} s after the bench read it (polled every 50 ms); ${String(alerts)} alerts on the way`,
  };
  context.report(bareRow);
  context.report(withRatio(exactlyOnceRow, bareRow.subject, bareRow.value));
  context.report(withRatio(pipelineRow, bareRow.subject, bareRow.value));
  context.report({
    ...withRatio(pipelineRow, exactlyOnceRow.subject, exactlyOnceRow.value),
    subject: `pipeline / ${exactlyOnceRow.subject}`,
    note: '',
  });

  const cpuCase = `${caseName}: CPU per event`;
  const cpuRow = (subject: string, seconds: number, note: string): BenchRow => ({
    suite: SUITE,
    case: cpuCase,
    subject,
    value: (1e6 * seconds) / events,
    unit: 'µs',
    note,
  });
  const bareCpu = cpuRow(
    bareRow.subject,
    bare.cpuSeconds,
    "the subject's processes; the broker's not counted",
  );
  const exactlyOnceCpu = cpuRow(exactlyOnceRow.subject, exactlyOnce.cpuSeconds, '');
  const totalCpu = cpu.reduce((sum, service) => sum + service.seconds, 0);
  context.report(bareCpu);
  context.report(withRatio(exactlyOnceCpu, bareCpu.subject, bareCpu.value));
  context.report(
    withRatio(
      cpuRow(pipelineRow.subject, totalCpu, perService(cpu, events)),
      exactlyOnceCpu.subject,
      exactlyOnceCpu.value,
    ),
  );

  // The same services with nothing to do: fetch polls, heartbeats and timers. Unpatched, kafkajs
  // 2.2.4 also ran a 1 ms timer on every connection for the client's whole life
  // (patches/kafkajs+2.2.4.patch); this row shows if such a cost comes back.
  const idleSeconds = Math.max(3, Math.round(IDLE_SECONDS * context.scale));
  const idleFrom = await Promise.all(run.subject.subjects.map(serviceCpuSeconds));
  await sleep(idleSeconds * 1000);
  const idle = await Promise.all(
    run.subject.subjects.map(async (subject, index) => ({
      name: subject.service.name,
      percent: (100 * ((await serviceCpuSeconds(subject)) - (idleFrom[index] ?? 0))) / idleSeconds,
    })),
  );
  context.report({
    suite: SUITE,
    case: `${caseName}: idle for ${String(idleSeconds)} s after it`,
    subject: pipelineRow.subject,
    value: idle.reduce((sum, service) => sum + service.percent, 0),
    unit: '% of a core',
    note: idle.map(({ name, percent }) => `${name} ${percent.toFixed(1)}`).join(', '),
  });

  // Scaled out on this machine, once these services have stopped (they serve the latencies
  // first): two instances of every service, on a pipeline of their own. The caller cleans it up
  // with the others, at the end: a kafkajs producer keeps asking for every topic it ever sent to,
  // so deleting them while the bench's producer lives fails its next send.
  const scaleOut = async (scaled: BenchPipeline): Promise<void> => {
    await publishModelVersion(producer, scaled, await registeredSeaVersion(MODEL));
    const two = await runServices(scaled, producer, events, eventMessages, labelMessages, 2);
    await two.run.subject.stop();
    const twoSeconds = two.cpu.reduce((sum, service) => sum + service.seconds, 0);
    const instancesSubject = 'the same, two instances of each service';
    context.report(
      withRatio(
        {
          ...pipelineRow,
          subject: instancesSubject,
          value: events / two.run.seconds,
          note: `every service's group split over two processes on this ${String(cpus().length)}-core machine`,
        },
        pipelineRow.subject,
        pipelineRow.value,
      ),
    );
    context.report(
      withRatio(
        cpuRow(instancesSubject, twoSeconds, perService(two.cpu, events)),
        pipelineRow.subject,
        (1e6 * totalCpu) / events,
      ),
    );
  };
  return { services, scaleOut };
}

/** Each service's CPU µs per event, its instances summed: `inference 61, joiner 108, …`. */
function perService(cpu: readonly { name: string; seconds: number }[], events: number): string {
  const byName = new Map<string, number>();
  for (const { name, seconds } of cpu) byName.set(name, (byName.get(name) ?? 0) + seconds);
  return [...byName]
    .map(([name, seconds]) => `${name} ${((1e6 * seconds) / events).toFixed(0)}`)
    .join(', ');
}

/**
 * Times `instances` of every service over the workload, produced in chunks as it runs, until the
 * detector has committed past the last labeled prediction; leaves them running.
 */
async function runServices(
  pipeline: BenchPipeline,
  producer: Producer,
  events: number,
  eventMessages: readonly KeyedMessage[],
  labelMessages: readonly KeyedMessage[],
  instances: number,
) {
  let labeledSeconds = NaN;
  const run = await measureThroughput({
    kafka: pipeline.kafka,
    groupIdPrefix: pipeline.prefix,
    outputs: [pipeline.names.predictionsLabeled],
    expected: events,
    timeoutMs: TIMEOUT_MS,
    start: async () => {
      const subjects = await Promise.all(
        serviceNames.flatMap((name) =>
          Array.from({ length: instances }, async (_, instance) =>
            serviceSubject(
              await pipeline.startService(name, { INSTANCE_ID: `bench-${String(instance)}` }),
            ),
          ),
        ),
      );
      const failed = Promise.race(subjects.map((subject) => subject.failed));
      failed.catch(() => undefined);
      return {
        subjects,
        failed,
        stop: () => Promise.all(subjects.map((subject) => subject.stop())),
      };
    },
    feed: feedInChunks(producer, pipeline.names, eventMessages, labelMessages),
    done: async (counter) => {
      const started = performance.now();
      await counter.reached(events);
      labeledSeconds = (performance.now() - started) / 1000;
      return committedPast(
        pipeline.kafka,
        deploymentNames(pipeline.prefix).consumerGroup('detector'),
        counter.lastOffsets,
        { timeoutMs: TIMEOUT_MS },
      );
    },
  });
  const cpu = await Promise.all(
    run.subject.subjects.map(async (subject) => ({
      name: subject.service.name,
      seconds: await serviceCpuSeconds(subject),
    })),
  );
  return { run, labeledSeconds, cpu };
}
