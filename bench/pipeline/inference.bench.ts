/**
 * Events/s through the inference service (its build, as a process) next to three passthroughs
 * measured in the same run on the same input topic (see passthrough.ts): bare kafkajs,
 * exactly-once kafkajs, and driftwatch's own transactional processor with an identity handler.
 * The events are produced before any subject starts; each reads them from the beginning in a new
 * group and is timed from ready (in its group) until the bench has read N outputs, read committed.
 * Two rounds on fresh topics, the second in reverse order (whoever goes first in a round is
 * slower): each subject's faster run counts.
 */
import { withRatio, type BenchContext, type BenchRow } from '../report.js';
import { testKafka } from '../../test/support/environment.js';
import { publishModelVersion, seaModelVersion, sendAll } from '../../test/support/pipeline.js';
import { createBenchPipeline, partitions } from './bench-pipeline.js';
import { histogramMean, histogramQuantile } from './prometheus-histogram.js';
import { encodeEvents, seaRows } from './sea-workload.js';
import { measurePassthrough, measureService, type SubjectRun } from './throughput.js';
import {
  fastest,
  passthroughSubjects,
  reportSubjects,
  subjectKeys,
  type SubjectKey,
} from './throughput-rows.js';

const EVENTS = 100_000;
const ROUNDS = 2;
const SUITE = 'pipeline: inference';
const MODEL = 'sea';
const TIMEOUT_MS = 120_000;
const SCORING = 'driftwatch_inference_scoring_duration_seconds';

export default async function inferenceBench(context: BenchContext): Promise<void> {
  const events = Math.max(1000, Math.round(EVENTS * context.scale));
  const kafka = testKafka();
  const rows = seaRows({ seed: 11, length: events });
  const version = await seaModelVersion({ model: MODEL, version: 1 });
  const caseName = `${events.toLocaleString('en-US')} SEA events, ${String(partitions)} partitions`;
  context.log(
    `${caseName}, produced before each subject starts; each reads them from the beginning in a new group`,
  );

  const runs = new Map<SubjectKey, SubjectRun[]>();
  let inferenceMetrics = { seconds: Infinity, metrics: '' };
  for (let round = 0; round < ROUNDS; round++) {
    const pipeline = await createBenchPipeline(kafka);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    try {
      await publishModelVersion(producer, pipeline, version);
      await sendAll(
        producer,
        pipeline.names.events,
        await encodeEvents(pipeline.codecs, MODEL, 'sea', rows, Date.now() - 3_600_000),
      );
      const order = round % 2 === 0 ? subjectKeys : [...subjectKeys].reverse();
      for (const key of order) {
        let run: SubjectRun;
        if (key === 'service') {
          const service = await measureService({
            pipeline,
            name: 'inference',
            outputs: [pipeline.names.predictions],
            expected: events,
            timeoutMs: TIMEOUT_MS,
            batchSizeMetric: 'driftwatch_inference_batch_size_events',
            batchDurationMetric: 'driftwatch_inference_batch_duration_seconds',
          });
          if (service.seconds < inferenceMetrics.seconds) inferenceMetrics = service;
          run = service;
        } else {
          const [output] = await pipeline.createTopics([`bench-out-${key}`]);
          run = await measurePassthrough({
            pipeline,
            mode: key,
            inputs: [pipeline.names.events],
            output: output ?? '',
            expected: events,
            timeoutMs: TIMEOUT_MS,
          });
        }
        runs.set(key, [...(runs.get(key) ?? []), run]);
      }
    } finally {
      await producer.disconnect();
      await pipeline.cleanup();
    }
  }

  const best = new Map([...runs].map(([key, keyRuns]) => [key, fastest(keyRuns)]));
  reportSubjects(context, {
    suite: SUITE,
    caseName,
    work: events,
    workUnit: 'events',
    service: 'inference service',
    runs: best,
    rounds: `faster of ${String(ROUNDS)} rounds`,
  });

  // Where a batch's time goes: the same transaction as the exactly-once passthrough, plus the
  // service's work, of which the ONNX call is a part.
  const { metrics } = inferenceMetrics;
  const batchCase = `${caseName}: time per batch`;
  const exactlyOnce = best.get('exactly-once');
  const inference = best.get('service');
  if (!exactlyOnce || !inference) throw new Error('a subject did not run');
  const eosBatch: BenchRow = {
    suite: SUITE,
    case: batchCase,
    subject: `${passthroughSubjects['exactly-once']} batch (mean)`,
    value: exactlyOnce.meanBatchMs,
    unit: 'ms',
    note: `${(exactlyOnce.records / exactlyOnce.batches).toFixed(0)} records per batch on average`,
  };
  context.report(eosBatch);
  const inferenceBatch: BenchRow = {
    suite: SUITE,
    case: batchCase,
    subject: 'inference batch, arrival to commit (mean)',
    value: inference.meanBatchMs,
    unit: 'ms',
    note: `${(inference.records / inference.batches).toFixed(0)} events per batch on average`,
  };
  context.report(withRatio(inferenceBatch, eosBatch.subject, eosBatch.value));
  context.report(
    withRatio(
      {
        suite: SUITE,
        case: batchCase,
        subject: 'ONNX scoring call (mean)',
        value: 1000 * histogramMean(metrics, SCORING),
        unit: 'ms',
        note: 'one call per batch and model',
      },
      inferenceBatch.subject,
      inferenceBatch.value,
    ),
  );
  for (const quantile of [0.5, 0.99]) {
    context.report(
      withRatio(
        {
          suite: SUITE,
          case: batchCase,
          subject: `ONNX scoring call p${String(quantile * 100)}`,
          value: 1000 * histogramQuantile(metrics, SCORING, quantile),
          unit: 'ms',
          note: 'interpolated within the buckets of the /metrics histogram',
        },
        inferenceBatch.subject,
        inferenceBatch.value,
      ),
    );
  }
}
