/**
 * `npm run bench:detectors`, second part: how many alerts the detector's rules raise per 10,000
 * events with raw thresholds (`DETECTOR_FALSE_ALARM_EVERY=0`), on a small false-alarm budget
 * (`SMALL_BUDGET` below) and on the service's default budget, on two streams:
 *
 * - the SEA stationary control: one concept throughout, so every alert is a false alarm;
 * - ELEC2 (`ELEC2_CSV`, default ../shared/datasets/elec2.csv; skipped with a message when absent),
 *   where the world keeps changing and most alerts are real.
 *
 * Version 1 is trained as the demo trains it (logistic regression on the first 2,000 rows, the
 * last fifth held out for its metrics and calibration) and never retrained, and the service's
 * monitors (`ConceptMonitor`, `DataMonitor`) see every later row with its label at once. The
 * rules are the service's defaults: ADWIN on the error stream, PSI of each feature and of the
 * score over tumbling windows of 1,000, and CBPE's floor (`detectorOptions` of an empty
 * environment); on a budget each is calibrated to it, as the trainer would calibrate the version.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { calibrateConceptRules } from '@driftwatch/alarms';
import { readElec2, seaStream, type StreamRow } from '@driftwatch/datasets';
import { ConceptMonitor, DataMonitor, detectorEnv, detectorOptions } from '@driftwatch/detector';
import { predictProbabilities, type BinaryModel } from '@driftwatch/learn';
import { bootstrapVersion, buildCandidate } from '@driftwatch/model';
import { parseEnv } from '@driftwatch/service-kit';

const SMALL_BUDGET = 50_000;
const REFERENCE_ROWS = 2000;
const repoRoot = join(import.meta.dirname, '..', '..');
const elec2Csv =
  process.env['ELEC2_CSV'] ?? join(repoRoot, '..', 'shared', 'datasets', 'elec2.csv');

/** The service's own defaults: what a user who sets nothing runs. */
const { concept, data } = detectorOptions(parseEnv(detectorEnv, {}));
const defaultBudget = concept.falseAlarmEvery ?? 0;

interface Run {
  stream: string;
  events: number;
  thresholds: string;
  alerts: number;
  byDetector: Record<string, number>;
  calibrationSeconds: number;
}

async function alertsOn(stream: string, rows: readonly StreamRow[]): Promise<Run[]> {
  const featureNames = Object.keys(rows[0]?.features ?? {});
  const matrix = (part: readonly StreamRow[]) =>
    part.map((row) => featureNames.map((name) => row.features[name] ?? NaN));
  const reference = rows.slice(0, REFERENCE_ROWS);
  const candidate = { family: 'logistic', training: {}, referenceBins: 10 } as const;
  const version = await bootstrapVersion({
    model: stream,
    featureNames,
    rows: matrix(reference),
    labels: reference.map((row) => row.label),
    candidate,
    createdAt: 0,
  });
  // The same training as the version's, to score the stream in memory.
  const cut = Math.round(REFERENCE_ROWS * 0.8);
  const trained = (
    await buildCandidate(
      featureNames,
      {
        rows: matrix(reference.slice(0, cut)),
        labels: reference.slice(0, cut).map((r) => r.label),
      },
      { rows: matrix(reference.slice(cut)), labels: reference.slice(cut).map((r) => r.label) },
      candidate,
    )
  ).trained as BinaryModel;
  const live = rows.slice(REFERENCE_ROWS);
  const scores = predictProbabilities(trained, matrix(live));
  const runs: Run[] = [];
  for (const budget of [0, SMALL_BUDGET, defaultBudget]) {
    const started = process.hrtime.bigint();
    const calibration =
      budget > 0
        ? calibrateConceptRules(
            version.metrics.challenger['accuracy'] ?? NaN,
            { ...concept, conceptDetector: concept.conceptDetector ?? 'adwin' },
            budget,
            version.trainingWindow.holdoutRows,
          )
        : null;
    const conceptMonitor = new ConceptMonitor({ ...concept, falseAlarmEvery: budget, calibration });
    const dataMonitor = new DataMonitor(version.reference, { ...data, falseAlarmEvery: budget });
    const calibrationSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const byDetector: Record<string, number> = {};
    live.forEach((row, i) => {
      const score = scores[i] ?? NaN;
      const predicted = score >= version.threshold ? 1 : 0;
      const signals = [
        ...dataMonitor.observe({ features: row.features, score, ts: i }),
        ...conceptMonitor.observe({ label: row.label, predicted, score, ts: i }),
      ];
      for (const signal of signals)
        byDetector[signal.detector] = (byDetector[signal.detector] ?? 0) + 1;
    });
    runs.push({
      stream,
      events: live.length,
      thresholds: budget === 0 ? 'raw' : `budget ${budget.toLocaleString('en-US')}`,
      alerts: Object.values(byDetector).reduce((sum, count) => sum + count, 0),
      byDetector,
      calibrationSeconds,
    });
  }
  return runs;
}

const runs: Run[] = [];
const sea = [
  ...seaStream({
    seed: 1,
    length: REFERENCE_ROWS + 50_000,
    concepts: [{ start: 0, threshold: 8 }],
  }),
];
runs.push(...(await alertsOn('SEA stationary', sea)));
if (existsSync(elec2Csv)) {
  runs.push(...(await alertsOn('ELEC2', await readElec2(elec2Csv))));
} else {
  console.log(`ELEC2 skipped: no CSV at ${elec2Csv} (set ELEC2_CSV)`);
}

console.log(
  `\nAlerts per 10,000 events, version 1 never retrained; raw thresholds vs budgets of one false alarm per ${SMALL_BUDGET.toLocaleString('en-US')} and per ${defaultBudget.toLocaleString('en-US')} (the default) events per rule:`,
);
for (const run of runs) {
  const per10k = (10_000 * run.alerts) / run.events;
  const detail = Object.entries(run.byDetector)
    .map(([detector, count]) => `${detector} ${count}`)
    .join(', ');
  console.log(
    `  ${run.stream.padEnd(15)} ${run.thresholds.padEnd(17)} ${String(run.alerts).padStart(4)} alerts in ${run.events.toLocaleString('en-US')} events = ${per10k.toFixed(2)} per 10,000 (${detail || 'none'})${run.calibrationSeconds > 0.05 ? `; calibrated in ${run.calibrationSeconds.toFixed(1)} s` : ''}`,
  );
}
