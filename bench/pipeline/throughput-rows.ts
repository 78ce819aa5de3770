import { withRatio, type BenchRow } from '../report.js';
import type { PassthroughMode } from './passthrough.js';
import type { PassthroughRun } from './throughput.js';

export const passthroughSubjects: Readonly<Record<PassthroughMode, string>> = {
  bare: 'kafkajs passthrough',
  'exactly-once': 'kafkajs exactly-once passthrough',
  bus: 'bus passthrough (identity handler)',
};

/** What each passthrough is compared with: the layer below it. */
const layerBelow: Readonly<Partial<Record<PassthroughMode, PassthroughMode>>> = {
  'exactly-once': 'bare',
  bus: 'exactly-once',
};

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * One row per passthrough: `work` (events, records) over its time; each passthrough but the bare
 * one with its ratio to the layer below it.
 */
export function passthroughRows(
  suite: string,
  caseName: string,
  runs: readonly PassthroughRun[],
  work: number,
  unit: string,
): Map<PassthroughMode, BenchRow> {
  const rows = new Map<PassthroughMode, BenchRow>();
  for (const run of runs) {
    const row: BenchRow = {
      suite,
      case: caseName,
      subject: passthroughSubjects[run.mode],
      value: work / run.seconds,
      unit,
      note: `${String(run.stats.batches)} batches of ${(run.stats.records / run.stats.batches).toFixed(0)} records on average, each ${mean(run.stats.batchMs).toFixed(1)} ms; first output ${run.firstOutputSeconds.toFixed(2)} s after ready`,
    };
    const below = layerBelow[run.mode];
    const baseline = below === undefined ? undefined : rows.get(below);
    rows.set(
      run.mode,
      baseline && below ? withRatio(row, passthroughSubjects[below], baseline.value) : row,
    );
  }
  return rows;
}
