/**
 * Events/s through the inference service (its build, as a process) next to three passthroughs
 * measured in the same run on the same input topic (see passthrough.ts): bare kafkajs,
 * exactly-once kafkajs, and driftwatch's own transactional processor with an identity handler.
 * The events are produced before any of them starts; each reads them from the beginning in a new
 * group and is timed from ready (in its group) until the bench has read N outputs, read committed.
 */
import { metricValue } from '@driftwatch/demo';

import { withRatio, type BenchContext, type BenchRow } from '../report.js';
import { testKafka } from '../../test/support/environment.js';
import { publishModelVersion, seaModelVersion, sendAll } from '../../test/support/pipeline.js';
import { createBenchPipeline, partitions } from './bench-pipeline.js';
import type { PassthroughMode } from './passthrough.js';
import { histogramMean, histogramQuantile } from './prometheus-histogram.js';
import { encodeEvents, seaRows } from './sea-workload.js';
import {
  measurePassthrough,
  measureThroughput,
  serviceSubject,
  type PassthroughRun,
} from './throughput.js';
import { mean, passthroughRows, passthroughSubjects } from './throughput-rows.js';

const EVENTS = 100_000;
const SUITE = 'pipeline: inference';
const MODEL = 'sea';
const TIMEOUT_MS = 120_000;

export default async function inferenceBench(context: BenchContext): Promise<void> {
  const events = Math.max(1000, Math.round(EVENTS * context.scale));
  const kafka = testKafka();
  const pipeline = await createBenchPipeline(kafka);
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  try {
    await publishModelVersion(producer, pipeline, await seaModelVersion({ model: MODEL, version: 1 }));
    const rows = seaRows({ seed: 11, length: events });
    await sendAll(
      producer,
      pipeline.names.events,
      await encodeEvents(pipeline.codecs, MODEL, 'sea', rows, Date.now() - 3_600_000),
    );
    const caseName = `${events.toLocaleString('en-US')} SEA events, ${String(partitions)} partitions`;
    context.log(
      `${caseName} (pre-produced to ${pipeline.names.events}); each subject reads them from the beginning in a new group`,
    );

    const modes: PassthroughMode[] = ['bare', 'exactly-once', 'bus'];
    const outputs = await pipeline.createTopics(modes.map((mode) => `bench-out-${mode}`));
    const runs: PassthroughRun[] = [];
    for (const [index, mode] of modes.entries()) {
      runs.push(
        await measurePassthrough({
          kafka,
          prefix: pipeline.prefix,
          mode,
          inputs: [pipeline.names.events],
          output: outputs[index] ?? '',
          expected: events,
          timeoutMs: TIMEOUT_MS,
        }),
      );
    }

    const run = await measureThroughput({
      kafka,
      groupIdPrefix: pipeline.prefix,
      outputs: [pipeline.names.predictions],
      expected: events,
      timeoutMs: TIMEOUT_MS,
      start: async () => serviceSubject(await pipeline.startService('inference')),
    });
    const metrics = await run.subject.service.metrics();
    await run.subject.stop();

    const baselines = passthroughRows(SUITE, caseName, runs, events, 'events/s');
    for (const row of baselines.values()) context.report(row);
    const bare = baselines.get('bare');
    const exactlyOnce = baselines.get('exactly-once');
    const bus = baselines.get('bus');
    if (!bare || !exactlyOnce || !bus) throw new Error('a passthrough did not run');

    const batches = metricValue(metrics, "driftwatch_inference_batch_size_events_count");
    const inference: BenchRow = {
      suite: SUITE,
      case: caseName,
      subject: 'inference service',
      value: events / run.seconds,
      unit: 'events/s',
      note: `${String(batches)} batches of ${histogramMean(metrics, 'driftwatch_inference_batch_size_events').toFixed(0)} events on average, each ${(1000 * histogramMean(metrics, 'driftwatch_inference_batch_duration_seconds')).toFixed(1)} ms; first output ${run.firstOutputSeconds.toFixed(2)} s after ready`,
    };
    context.report(withRatio(inference, passthroughSubjects['exactly-once'], exactlyOnce.value));
    context.report({
      ...withRatio(inference, passthroughSubjects.bare, bare.value),
      subject: 'inference / kafkajs passthrough',
      note: '',
    });
    context.report({
      ...withRatio(inference, passthroughSubjects.bus, bus.value),
      subject: 'inference / bus passthrough',
      note: "the service's own work: decode, score, encode",
    });

    // Where a batch's time goes: the same transaction as the passthroughs, plus scoring.
    const batchCase = `${caseName}: time per batch`;
    const eosBatchMs = mean(runs.find((r) => r.mode === 'exactly-once')?.stats.batchMs ?? []);
    const eosBatch: BenchRow = {
      suite: SUITE,
      case: batchCase,
      subject: `${passthroughSubjects['exactly-once']} batch (mean)`,
      value: eosBatchMs,
      unit: 'ms',
    };
    context.report(eosBatch);
    const inferenceBatch: BenchRow = {
      suite: SUITE,
      case: batchCase,
      subject: 'inference batch, arrival to commit (mean)',
      value: 1000 * histogramMean(metrics, 'driftwatch_inference_batch_duration_seconds'),
      unit: 'ms',
    };
    context.report(withRatio(inferenceBatch, eosBatch.subject, eosBatchMs));
    const scoring = 'driftwatch_inference_scoring_duration_seconds';
    context.report(
      withRatio(
        {
          suite: SUITE,
          case: batchCase,
          subject: 'ONNX scoring call (mean)',
          value: 1000 * histogramMean(metrics, scoring),
          unit: 'ms',
          note: 'one call per batch and model',
        },
        inferenceBatch.subject,
        inferenceBatch.value,
      ),
    );
    for (const quantile of [0.5, 0.99]) {
      context.report({
        suite: SUITE,
        case: batchCase,
        subject: `ONNX scoring call p${String(quantile * 100)}`,
        value: 1000 * histogramQuantile(metrics, scoring, quantile),
        unit: 'ms',
        note: 'interpolated within the histogram buckets of /metrics',
      });
    }
  } finally {
    await producer.disconnect();
    await pipeline.cleanup();
  }
}
