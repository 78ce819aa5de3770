/**
 * One measured number. A row that has a `baseline` also carries `ratio = value / baselineValue`
 * measured in the same run, so a reader never compares numbers taken on different days.
 */
export interface BenchRow {
  suite: string;
  case: string;
  subject: string;
  value: number;
  unit: string;
  baseline?: string;
  baselineValue?: number;
  ratio?: number;
  note?: string;
}

export interface BenchContext {
  /** Records a row; the runner prints every suite's rows as a table and writes them all as JSON. */
  report(row: BenchRow): void;
  log(message: string): void;
  /** Scale factor from `BENCH_SCALE` (default 1) for quick smoke runs: `BENCH_SCALE=0.01`. */
  scale: number;
}

export function withRatio(row: BenchRow, baseline: string, baselineValue: number): BenchRow {
  return { ...row, baseline, baselineValue, ratio: row.value / baselineValue };
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(4);
}

export function renderTable(rows: readonly BenchRow[]): string {
  const header = ['case', 'subject', 'value', 'unit', 'baseline', 'ratio', 'note'];
  const body = rows.map((row) => [
    row.case,
    row.subject,
    formatNumber(row.value),
    row.unit,
    row.baseline === undefined ? '' : `${row.baseline} (${formatNumber(row.baselineValue ?? NaN)})`,
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`,
    row.note ?? '',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join(
    '\n',
  );
}

/** Wall-clock seconds of `work`, with a GC first when exposed so one case's garbage is not billed to the next. */
export async function timeSeconds(work: () => unknown): Promise<number> {
  globalThis.gc?.();
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}
