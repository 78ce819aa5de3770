/**
 * `npm run bench:detectors`: how well each drift detector finds known changes.
 *
 * Every detector, with its default options, runs on seeded synthetic streams
 * (`syntheticStream`): abrupt, gradual and incremental changes and stationary controls, each both
 * real-valued (a Gaussian mean alternating between 0 and 1σ) and binary (classifier errors whose
 * rate rises 0.1 → 0.2 → 0.3 → 0.4). Ddm, Fhddm, Fhddms and HddmA only see the binary streams
 * (Fhddm and Fhddms read 1 = correct, so they are fed 1 − error). Detections are matched to
 * change points by `scoreDetections`: a change counts as caught by the first detection within
 * `transitionWidth + TOLERANCE` elements of its start; every other detection is a false alarm
 * (`repeats` counts those that re-fire on an already caught change). Prints one table and writes
 * `bench-results/detectors.json`. `BENCH_SCALE=0.1` runs a tenth of the streams.
 *
 * The same four error-stream detectors also run on a false-alarm budget (`… @ budget`): each
 * one's sensitivity calibrated by `parameterForRunLength`, as the detector service does, to one
 * false alarm every `BUDGET` errors of the first concept (rate 0.1). At equal false alarms their
 * detection delays compare fairly; a second table sets the measured run length on the binary
 * stationary control next to the target.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  Adwin,
  Ddm,
  Fhddm,
  Fhddms,
  HddmA,
  Kswin,
  PageHinkley,
  detectedIndices,
  mulberry32,
  parameterForRunLength,
  scoreDetections,
  summarizeScores,
  syntheticStream,
  type DetectionScore,
  type DetectionSummary,
  type DriftDetector,
  type StreamFamily,
  type StreamKind,
} from '@driftwatch/drift';

import { formatNumber } from '../report.js';

const LENGTH = 20_000;
const CHANGE_EVERY = 5_000;
const TRANSITION_WIDTH = 1_000;
/** Elements after a change is complete within which a detection still counts as catching it. */
const TOLERANCE = 1_000;
const scale = Number(process.env['BENCH_SCALE'] ?? '1');
if (!(scale > 0)) {
  throw new Error(`BENCH_SCALE must be a positive number, got ${process.env['BENCH_SCALE'] ?? ''}`);
}
const RUNS = Math.max(1, Math.round(20 * scale));

interface DetectorSpec {
  name: string;
  kinds: readonly StreamKind[];
  create: (seed: number) => DriftDetector<number>;
}

/** The false-alarm budget of the calibrated rows: errors between false alarms, on average. */
const BUDGET = 20_000;

/** Each error-stream detector as a function of its sensitivity (larger fires more). */
const sensitivities = {
  Adwin: (delta: number) => new Adwin({ delta }),
  Fhddm: (delta: number) => fedCorrectness(new Fhddm({ delta })),
  Fhddms: (delta: number) => fedCorrectness(new Fhddms({ delta })),
  HddmA: (driftConfidence: number) =>
    new HddmA({ driftConfidence, warningConfidence: Math.max(driftConfidence, 0.005) }),
} satisfies Record<string, (sensitivity: number) => DriftDetector<number>>;

const calibrationStarted = process.hrtime.bigint();
const budgeted = Object.entries(sensitivities).map(([name, create]) => {
  const { parameter, expectedRunLength } = parameterForRunLength({
    create: (sensitivity) => {
      const detector = create(sensitivity);
      return (error) => detector.update(error);
    },
    errorRate: 0.1,
    low: 1e-12,
    high: 0.99,
    eventsPerAlarm: BUDGET,
    events: 100 * BUDGET,
    random: mulberry32(99),
  });
  return { name, parameter, expectedRunLength, create: () => create(parameter) };
});
const calibrationSeconds = Number(process.hrtime.bigint() - calibrationStarted) / 1e9;

const detectors: readonly DetectorSpec[] = [
  { name: 'Adwin', kinds: ['real', 'binary'], create: () => new Adwin() },
  { name: 'Fhddm', kinds: ['binary'], create: () => fedCorrectness(new Fhddm()) },
  { name: 'Fhddms', kinds: ['binary'], create: () => fedCorrectness(new Fhddms()) },
  { name: 'HddmA', kinds: ['binary'], create: () => new HddmA() },
  { name: 'PageHinkley', kinds: ['real', 'binary'], create: () => new PageHinkley() },
  { name: 'Kswin', kinds: ['real', 'binary'], create: (seed) => new Kswin({ seed }) },
  { name: 'Ddm', kinds: ['binary'], create: () => new Ddm() },
  ...budgeted.map(({ name, create }) => ({
    name: `${name} @ budget`,
    kinds: ['binary'] as const,
    create,
  })),
];
const families: readonly StreamFamily[] = ['abrupt', 'gradual', 'incremental', 'stationary'];
const kinds: readonly StreamKind[] = ['real', 'binary'];

interface ResultRow extends DetectionSummary {
  detector: string;
  family: StreamFamily;
  kind: StreamKind;
  seconds: number;
}

const rows: ResultRow[] = [];
const started = process.hrtime.bigint();
for (const kind of kinds) {
  for (const family of families) {
    const streams = Array.from({ length: RUNS }, (_, run) =>
      syntheticStream({
        family,
        kind,
        random: mulberry32(seedOf(family, kind, run)),
        length: LENGTH,
        changeEvery: CHANGE_EVERY,
        transitionWidth: TRANSITION_WIDTH,
      }),
    );
    for (const detector of detectors) {
      if (!detector.kinds.includes(kind)) continue;
      const start = process.hrtime.bigint();
      const scores: DetectionScore[] = streams.map((stream, run) =>
        scoreDetections({
          detections: detectedIndices(detector.create(run + 1), stream.values),
          changePoints: stream.changePoints,
          length: stream.values.length,
          tolerance: stream.transitionWidth + TOLERANCE,
        }),
      );
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      rows.push({ detector: detector.name, family, kind, seconds, ...summarizeScores(scores) });
    }
  }
}
const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;

console.log(
  `${RUNS} streams of ${LENGTH.toLocaleString('en-US')} per family and kind; changes every ` +
    `${CHANGE_EVERY.toLocaleString('en-US')}, transitions of ${TRANSITION_WIDTH} (gradual, ` +
    `incremental), tolerance transition + ${TOLERANCE}; default options\n`,
);
console.log(renderRows(rows));
console.log(
  `\nOn a budget of one false alarm every ${BUDGET.toLocaleString('en-US')} errors at rate 0.1 ` +
    `(calibrated in ${calibrationSeconds.toFixed(1)} s by simulating ${(100 * BUDGET).toLocaleString('en-US')} of them):`,
);
const budgetRows = budgeted.map(({ name, parameter, expectedRunLength }) => {
  const control = rows.find(
    (row) =>
      row.detector === `${name} @ budget` && row.kind === 'binary' && row.family === 'stationary',
  );
  const measured =
    control && control.falseAlarmsPer100k > 0 ? 100_000 / control.falseAlarmsPer100k : Infinity;
  const abrupt = rows.find(
    (row) =>
      row.detector === `${name} @ budget` && row.kind === 'binary' && row.family === 'abrupt',
  );
  return {
    detector: name,
    sensitivity: parameter,
    simulatedRunLength: expectedRunLength,
    measuredRunLength: measured,
    ratioToTarget: measured / BUDGET,
    abruptMeanDelay: abrupt?.meanDelay ?? null,
  };
});
console.log(
  budgetRows
    .map(
      (row) =>
        `  ${row.detector.padEnd(7)} sensitivity ${row.sensitivity.toPrecision(3).padStart(9)}  ` +
        `run length: simulated ${formatNumber(row.simulatedRunLength)}, measured on the stationary control ` +
        `${Number.isFinite(row.measuredRunLength) ? formatNumber(row.measuredRunLength) : 'none seen'} ` +
        `(${row.ratioToTarget.toFixed(2)}× target); mean delay on abrupt changes ${row.abruptMeanDelay === null ? '-' : formatNumber(row.abruptMeanDelay)}`,
    )
    .join('\n'),
);
console.log(`\n${totalSeconds.toFixed(1)} s`);

const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
const resultsDir = join(benchDir, '..', 'bench-results');
await mkdir(resultsDir, { recursive: true });
const output = join(resultsDir, 'detectors.json');
await writeFile(
  output,
  JSON.stringify(
    {
      measuredAt: new Date().toISOString(),
      node: process.version,
      scale,
      settings: {
        runs: RUNS,
        length: LENGTH,
        changeEvery: CHANGE_EVERY,
        transitionWidth: TRANSITION_WIDTH,
        toleranceAfterTransition: TOLERANCE,
        detectorOptions: 'defaults; `@ budget` rows calibrated to the budget',
        budget: BUDGET,
      },
      rows,
      budgetRows,
    },
    null,
    2,
  ),
);
console.log(`wrote ${relative(process.cwd(), output)}`);

/** FHDDM watches accuracy (1 = correct); the binary streams are errors (1 = wrong). */
function fedCorrectness(detector: DriftDetector<number>): DriftDetector<number> {
  return { update: (error) => detector.update(1 - error) };
}

/** A distinct, stable seed per stream, so adding a family or a run leaves the others unchanged. */
function seedOf(family: StreamFamily, kind: StreamKind, run: number): number {
  return (families.indexOf(family) * 2 + kinds.indexOf(kind)) * 10_000 + run + 1;
}

function renderRows(results: readonly ResultRow[]): string {
  const header = [
    'detector',
    'stream',
    'changes',
    'detections',
    'mean delay',
    'FA / 1e5',
    'repeats',
    'missed',
    'precision',
    'recall',
    'seconds',
  ];
  const optional = (value: number | null): string => (value === null ? '-' : formatNumber(value));
  const body = results.map((row) => [
    row.detector,
    `${row.kind} ${row.family}`,
    String(row.changePoints),
    String(row.detections),
    optional(row.meanDelay),
    formatNumber(row.falseAlarmsPer100k),
    String(row.repeatAlarms),
    String(row.missedChanges),
    optional(row.precision),
    optional(row.recall),
    row.seconds.toFixed(2),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join(
    '\n',
  );
}
