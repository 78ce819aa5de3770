/**
 * Records/s through the joiner service (its build, as a process; join state in the local Redis)
 * next to the three passthroughs of passthrough.ts reading the same two topics in the same run.
 * N predictions and N labels — the labels in a shuffled order — are produced before any subject
 * starts; each reads both topics from the beginning in a new group and is timed from ready until
 * the bench has read its outputs (read committed): N joined records for the joiner, 2N copies for
 * a passthrough. The unit is input records (predictions + labels) per second for every subject.
 * Two rounds on fresh topics, the second in reverse order: each subject's faster run counts.
 */
import type { BenchContext } from '../report.js';
import { testKafka } from '../../test/support/environment.js';
import { sendAll } from '../../test/support/pipeline.js';
import { createBenchPipeline, partitions } from './bench-pipeline.js';
import { encodeLabels, encodePredictions, seaRows, shuffled } from './sea-workload.js';
import { measurePassthrough, measureService, type SubjectRun } from './throughput.js';
import { fastest, reportSubjects, subjectKeys, type SubjectKey } from './throughput-rows.js';

const PAIRS = 50_000;
const ROUNDS = 2;
const SUITE = 'pipeline: joiner';
const MODEL = 'sea';
const TIMEOUT_MS = 120_000;

export default async function joinerBench(context: BenchContext): Promise<void> {
  const pairs = Math.max(1000, Math.round(PAIRS * context.scale));
  const records = 2 * pairs;
  const kafka = testKafka();
  const rows = seaRows({ seed: 12, length: pairs });
  const caseName = `${pairs.toLocaleString('en-US')} predictions + ${pairs.toLocaleString('en-US')} shuffled labels, ${String(partitions)} partitions`;
  context.log(
    `${caseName}, produced before each subject starts; each reads both topics from the beginning in a new group`,
  );

  const runs = new Map<SubjectKey, SubjectRun[]>();
  for (let round = 0; round < ROUNDS; round++) {
    const pipeline = await createBenchPipeline(kafka);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    try {
      const baseTs = Date.now() - 3_600_000;
      await sendAll(
        producer,
        pipeline.names.predictions,
        await encodePredictions(pipeline.codecs, MODEL, 'sea', rows, baseTs),
      );
      await sendAll(
        producer,
        pipeline.names.labels,
        await encodeLabels(pipeline.codecs, MODEL, 'sea', shuffled(rows, 12), baseTs),
      );
      const inputs = [pipeline.names.predictions, pipeline.names.labels];
      const order = round % 2 === 0 ? subjectKeys : [...subjectKeys].reverse();
      for (const key of order) {
        let run: SubjectRun;
        if (key === 'service') {
          run = await measureService({
            pipeline,
            name: 'joiner',
            // Only bounds what Redis keeps should the cleanup not run.
            env: { JOIN_TTL_SECONDS: '3600' },
            outputs: [pipeline.names.predictionsLabeled],
            expected: pairs,
            timeoutMs: TIMEOUT_MS,
            batchSizeMetric: 'driftwatch_joiner_batch_size_records',
          });
        } else {
          const [output] = await pipeline.createTopics([`bench-out-${key}`]);
          run = await measurePassthrough({
            pipeline,
            mode: key,
            inputs,
            output: output ?? '',
            expected: records,
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

  reportSubjects(context, {
    suite: SUITE,
    caseName,
    work: records,
    workUnit: 'records',
    service: 'joiner service',
    runs: new Map([...runs].map(([key, keyRuns]) => [key, fastest(keyRuns)])),
    rounds: `faster of ${String(ROUNDS)} rounds`,
  });
}
