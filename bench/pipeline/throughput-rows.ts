import { withRatio, type BenchContext, type BenchRow } from '../report.js';
import type { PassthroughMode } from './passthrough.js';
import type { SubjectRun } from './throughput.js';

/** The passthroughs, then the service, in the order of the rows. */
export type SubjectKey = PassthroughMode | 'service';
export const subjectKeys: readonly SubjectKey[] = [
  'bare',
  'platformatic',
  'exactly-once',
  'bus',
  'codec',
  'service',
];

export const passthroughSubjects: Readonly<Record<PassthroughMode, string>> = {
  bare: 'kafkajs passthrough',
  platformatic: '@platformatic/kafka passthrough',
  'exactly-once': 'kafkajs exactly-once passthrough',
  bus: 'bus passthrough (identity handler)',
  codec: 'bus passthrough, each record JSON-decoded and encoded again',
};

/** What each subject's row is compared with: for a passthrough the layer below it, for the service the honest floor. */
const baselineOf: Readonly<Record<SubjectKey, PassthroughMode | undefined>> = {
  bare: undefined,
  platformatic: 'bare',
  'exactly-once': 'bare',
  bus: 'exactly-once',
  // As far as a service that decodes its records and encodes as much can get on the bus.
  codec: 'exactly-once',
  service: 'exactly-once',
};

/** Of several rounds, the run that finished soonest. */
export function fastest(runs: readonly SubjectRun[]): SubjectRun {
  const [first, ...rest] = runs;
  if (!first) throw new Error('no runs');
  return rest.reduce((best, run) => (run.seconds < best.seconds ? run : best), first);
}

export interface SubjectReport {
  suite: string;
  caseName: string;
  /** What each subject moved: events, records. */
  work: number;
  /** `events`, `records`. */
  workUnit: string;
  /** The service's subject name: `inference service`. */
  service: string;
  runs: ReadonlyMap<SubjectKey, SubjectRun>;
  /** How the runs were chosen, for the notes. */
  rounds: string;
}

/**
 * Throughput and CPU rows for the passthroughs and the service, each with its ratio to its
 * baseline, and the service's ratios to the other two passthroughs.
 */
export function reportSubjects(context: BenchContext, report: SubjectReport): void {
  const subjectName = (key: SubjectKey): string =>
    key === 'service' ? report.service : passthroughSubjects[key];
  const run = (key: SubjectKey): SubjectRun => {
    const found = report.runs.get(key);
    if (!found) throw new Error(`${subjectName(key)} did not run`);
    return found;
  };
  const rows = (
    caseName: string,
    unit: string,
    value: (run: SubjectRun) => number,
    note: (run: SubjectRun) => string,
  ): Map<SubjectKey, BenchRow> => {
    const made = new Map<SubjectKey, BenchRow>();
    for (const key of subjectKeys) {
      const row: BenchRow = {
        suite: report.suite,
        case: caseName,
        subject: subjectName(key),
        value: value(run(key)),
        unit,
        note: note(run(key)),
      };
      const baseline = baselineOf[key];
      const baselineRow = baseline === undefined ? undefined : made.get(baseline);
      made.set(
        key,
        baseline && baselineRow ? withRatio(row, subjectName(baseline), baselineRow.value) : row,
      );
    }
    for (const row of made.values()) context.report(row);
    return made;
  };

  const throughput = rows(
    report.caseName,
    `${report.workUnit}/s`,
    (r) => report.work / r.seconds,
    (r) =>
      `${String(r.batches)} batches of ${(r.records / r.batches).toFixed(0)} records on average${Number.isNaN(r.meanBatchMs) ? '' : `, ${r.meanBatchMs.toFixed(1)} ms each`}; first output ${r.firstOutputSeconds.toFixed(2)} s after ready; ${report.rounds}`,
  );
  const service = throughput.get('service');
  if (!service) throw new Error('no service row');
  const notes = {
    bare: '',
    bus: 'what the service does beyond the bus: its own work',
    codec: 'what the service does beyond decoding its records and encoding as much',
  };
  for (const key of ['bare', 'bus', 'codec'] as const) {
    const baseline = throughput.get(key);
    if (!baseline) continue;
    context.report({
      ...withRatio(service, baseline.subject, baseline.value),
      subject: `${report.service} / ${baseline.subject}`,
      note: notes[key],
    });
  }
  rows(
    `${report.caseName}: CPU per ${report.workUnit.replace(/s$/, '')}`,
    'µs',
    (r) => (1e6 * r.cpuSeconds) / report.work,
    (r) =>
      `${r.cpuSeconds.toFixed(2)} CPU s in the subject's process over ${r.seconds.toFixed(2)} s (the broker's not counted)`,
  );
}
