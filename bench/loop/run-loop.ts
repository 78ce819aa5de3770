/**
 * `npm run bench:loop [-- <stream filter>]`: the closed loop — the four services as processes on
 * the local stack, the replay flow-controlled (`maxLag`) — on each stream, next to two baselines
 * computed in the same run with the project's own model code: never retrained, and retrained
 * every 1,000 rows on the last 5,000 (`prequentialBaseline`). Prints strategy × prequential
 * accuracy × retrains × promoted × alerts × mean detection delay per stream, and writes the rows
 * to `bench-results/loop.json`.
 *
 * Streams: SEA (the demo's), ELEC2 (`ELEC2_CSV`, default ../shared/datasets/elec2.csv; skipped
 * with a message when absent) with the MLP and the logistic family, labels one event late, and
 * the three River streams of test/fixtures/river (see its README).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createKafkaClient } from '@driftwatch/bus';
import { readElec2, seaDemoConcepts, seaStream } from '@driftwatch/datasets';
import { repoRoot, runClosedLoop, type ReplayRow } from '@driftwatch/demo';
import { prequentialBaseline, type ModelFamily } from '@driftwatch/learn';
import { createLogger } from '@driftwatch/service-kit';

import { demoServiceEnv } from '../../packages/cli/src/commands/demo.js';
import { csvDemoStream } from '../../packages/cli/src/csv-demo-stream.js';
import { referenceSample } from '../../packages/cli/src/reference-sample.js';

interface LoopStream {
  name: string;
  family: ModelFamily;
  featureNames: readonly string[];
  reference: readonly ReplayRow[];
  rows: readonly ReplayRow[];
  knownDrifts: readonly number[];
  serviceEnv: Record<string, string>;
  rate: number;
  labelDelayMs: number;
}

interface LoopRow {
  stream: string;
  strategy: string;
  accuracy: number;
  retrains: number;
  promoted: number | null;
  alerts: number | null;
  meanDetectionDelay: number | null;
  missedDrifts: number | null;
}

const filter = process.argv[2] ?? '';
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const elec2Csv =
  process.env['ELEC2_CSV'] ?? join(repoRoot, '..', 'shared', 'datasets', 'elec2.csv');
/** The trainer's defaults (services/trainer/src/config.ts): the baselines train the same models. */
const trainerOptions = {
  logistic: { l2: 1e-4 },
  mlp: { l2: 1e-4, hiddenUnits: 16, epochs: 30, seed: 42 },
};

async function streams(): Promise<LoopStream[]> {
  const all: LoopStream[] = [];
  const concepts = seaDemoConcepts(20_000);
  const sea = await referenceSample({ dataset: 'sea', rows: 2000, seed: 1 });
  all.push({
    name: 'sea',
    family: 'logistic',
    featureNames: sea.featureNames,
    reference: sea.rows,
    rows: [...seaStream({ seed: 1, length: 20_000, concepts })],
    knownDrifts: [...seaStream({ seed: 1, length: 20_000, concepts }).drifts],
    serviceEnv: demoServiceEnv,
    rate: 1000,
    labelDelayMs: 500,
  });
  if (existsSync(elec2Csv)) {
    const rows = await readElec2(elec2Csv);
    for (const family of ['mlp', 'logistic'] as const) {
      all.push({
        name: `elec2-${family}`,
        family,
        featureNames: Object.keys(rows[0]?.features ?? {}),
        reference: rows.slice(0, 2000),
        rows: rows.slice(2000),
        knownDrifts: [],
        // As the demo runs ELEC2: prices move all the time, so volume retrains too.
        serviceEnv: {
          ...demoServiceEnv,
          DETECTOR_BLOCK_ACCURACY_THRESHOLD: '0',
          RETRAIN_AFTER_LABELED: '4000',
        },
        rate: 1000,
        // One event late.
        labelDelayMs: 1,
      });
    }
  } else {
    console.log(`elec2: skipped — ${elec2Csv} not found (set ELEC2_CSV)`);
  }
  const river = JSON.parse(
    await readFile(join(repoRoot, 'test', 'fixtures', 'river', 'streams.json'), 'utf8'),
  ) as { streams: { name: string; file: string; drifts: { position: number }[] }[] };
  for (const entry of river.streams) {
    const stream = await csvDemoStream({
      file: join(repoRoot, 'test', 'fixtures', 'river', entry.file),
      labelColumn: 'label',
      drifts: entry.drifts.map((drift) => drift.position),
      serviceEnv: demoServiceEnv,
    });
    all.push({
      name: entry.name,
      family: 'logistic',
      featureNames: stream.featureNames,
      reference: stream.reference,
      rows: stream.rows,
      knownDrifts: stream.knownDrifts,
      serviceEnv: stream.serviceEnv,
      rate: 2000,
      labelDelayMs: 500,
    });
  }
  return all.filter((stream) => stream.name.includes(filter));
}

function baselines(stream: LoopStream): LoopRow[] {
  const matrix = (rows: readonly ReplayRow[]) =>
    rows.map((row) => stream.featureNames.map((name) => row.features[name] ?? NaN));
  const labels = (rows: readonly ReplayRow[]) => rows.map((row) => Number(row.label));
  const common = {
    family: stream.family,
    trainOptions: trainerOptions,
    classCount: 2,
    featureNames: stream.featureNames,
    reference: { rows: matrix(stream.reference), labels: labels(stream.reference) },
    stream: { rows: matrix(stream.rows), labels: labels(stream.rows) },
  };
  const never = prequentialBaseline(common);
  const periodic = prequentialBaseline({ ...common, retrain: { every: 1000, window: 5000 } });
  const row = (strategy: string, result: { accuracy: number; retrains: number }): LoopRow => ({
    stream: stream.name,
    strategy,
    accuracy: result.accuracy,
    retrains: result.retrains,
    promoted: null,
    alerts: null,
    meanDetectionDelay: null,
    missedDrifts: null,
  });
  return [row('never retrained', never), row('every 1000 on last 5000', periodic)];
}

async function loop(stream: LoopStream): Promise<LoopRow> {
  const kafka = createKafkaClient({
    brokers,
    clientId: 'bench-loop',
    logger: createLogger('bench-loop', 'silent'),
  });
  const { summary } = await runClosedLoop({
    kafka,
    redisUrl,
    brokers,
    model: stream.name.replace(/[^A-Za-z0-9_-]/g, '-'),
    streamName: stream.name,
    featureNames: stream.featureNames,
    reference: stream.reference,
    rows: stream.rows,
    knownDrifts: stream.knownDrifts,
    rate: stream.rate,
    maxLag: 500,
    labelDelayMs: stream.labelDelayMs,
    seed: 1,
    serviceEnv: { ...stream.serviceEnv, TRAINER_MODEL_FAMILY: stream.family },
    from: 'source',
    logDir: join(repoRoot, '.cache', 'bench-loop-logs'),
    keepTopics: false,
    settleTimeoutMs: 300_000,
  });
  const delays = summary.drifts.flatMap((drift) => (drift.delay === null ? [] : [drift.delay]));
  return {
    stream: stream.name,
    strategy: 'driftwatch loop',
    accuracy: summary.accuracy.adaptive,
    retrains: summary.retrains.requested,
    promoted: summary.retrains.promoted,
    alerts: summary.alerts.total,
    meanDetectionDelay:
      delays.length > 0 ? delays.reduce((a, b) => a + b, 0) / delays.length : null,
    missedDrifts: summary.drifts.length - delays.length,
  };
}

const rows: LoopRow[] = [];
for (const stream of await streams()) {
  console.log(`${stream.name}: ${stream.rows.length} events, ${stream.family}`);
  rows.push(...baselines(stream), await loop(stream));
  const mine = rows.filter((row) => row.stream === stream.name);
  console.table(
    mine.map((row) => ({
      strategy: row.strategy,
      accuracy: row.accuracy.toFixed(4),
      retrains: row.retrains,
      promoted: row.promoted ?? '',
      alerts: row.alerts ?? '',
      'mean detection delay': row.meanDetectionDelay?.toFixed(0) ?? '',
      'missed drifts': row.missedDrifts ?? '',
    })),
  );
}
await mkdir(join(repoRoot, 'bench-results'), { recursive: true });
await writeFile(join(repoRoot, 'bench-results', 'loop.json'), `${JSON.stringify(rows, null, 2)}\n`);
