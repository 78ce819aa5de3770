import { readFile } from 'node:fs/promises';

import { csvRecords, type CsvRecord } from './csv-records.js';
import { DatasetError } from './errors.js';
import { isDecimal } from './is-decimal.js';
import type { StreamRow } from './stream-row.js';

/** The numeric columns of ELEC2, in file order; any of them can be a feature. */
export type Elec2Feature =
  'date' | 'day' | 'period' | 'nswprice' | 'nswdemand' | 'vicprice' | 'vicdemand' | 'transfer';

/** The header ELEC2 files must have, exactly. */
export const elec2Columns: readonly string[] = [
  'date',
  'day',
  'period',
  'nswprice',
  'nswdemand',
  'vicprice',
  'vicdemand',
  'transfer',
  'class',
];

const numericColumns: readonly Elec2Feature[] = [
  'date',
  'day',
  'period',
  'nswprice',
  'nswdemand',
  'vicprice',
  'vicdemand',
  'transfer',
];

/**
 * Every numeric column but `date`, which is a normalized time index rising through the file: as a
 * feature it would let a model learn "when", which no future row can use.
 */
export const elec2DefaultFeatures: readonly Elec2Feature[] = numericColumns.filter(
  (column) => column !== 'date',
);

export interface Elec2Row extends StreamRow {
  /** The row's normalized date (0 for 7 May 1996, 1 for 5 December 1998), feature or not. */
  readonly date: number;
}

export interface Elec2Options {
  /** Columns to put in `features`, in this order. Default `elec2DefaultFeatures`. */
  readonly features?: readonly Elec2Feature[];
}

export interface ParseElec2Options extends Elec2Options {
  /** What to call the text in error messages (a path). Default `'ELEC2 CSV'`. */
  readonly source?: string;
}

/**
 * Reads the normalized ELEC2 (Electricity, a.k.a. elecNormNew) CSV at `path`: 45,312 half-hourly
 * rows of the New South Wales electricity market, 7 May 1996 to 5 December 1998, in time order,
 * with header `date,day,period,nswprice,nswdemand,vicprice,vicdemand,transfer,class`. `class` is
 * `UP` or `DOWN` (the NSW price against its average over the last 24 hours); `label` is 1 for UP.
 *
 * The dataset is not bundled. A missing file throws `DW_DATASET_NOT_FOUND` naming the path and
 * where to get it; a wrong header, a value that is not a number, a wrong number of fields or a
 * class other than UP/DOWN throws `DW_DATASET_FORMAT` naming the line (1 = the header) and column.
 * The parsing is `parseElec2`'s.
 *
 * Options: `features` (`elec2DefaultFeatures`: all numeric columns but `date`), a non-empty list
 * of distinct numeric columns, put in `features` in that order. Every row also carries `date`.
 *
 * @example
 * ```ts
 * const error = await readElec2('/nonexistent/elec2.csv').catch((error) => error);
 * error.code; // => "DW_DATASET_NOT_FOUND"
 * ```
 *
 * @see Michael Harries, "Splice-2 comparative evaluation: Electricity pricing", Technical Report
 * UNSW-CSE-TR-9905, University of New South Wales, 1999. Normalized by Albert Bifet for MOA.
 */
export async function readElec2(path: string, options: Elec2Options = {}): Promise<Elec2Row[]> {
  if (typeof path !== 'string' || path === '') {
    throw new DatasetError(
      'DW_DATASET_INVALID_OPTION',
      'readElec2 needs the path of the ELEC2 CSV',
    );
  }
  const features = resolveFeatures(options.features);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DatasetError(
        'DW_DATASET_NOT_FOUND',
        `ELEC2 not found at ${path}. The dataset is not bundled with driftwatch: download the ` +
          'normalized Electricity dataset (elecNormNew, 45,312 rows), e.g. OpenML data set 151 ' +
          '"electricity" as CSV (https://www.openml.org/d/151) or MOA\'s elecNormNew.arff with its ' +
          `ARFF header replaced by the CSV header ${elec2Columns.join(',')}, and pass its path.`,
        { path, cause: error },
      );
    }
    throw new DatasetError(
      'DW_DATASET_UNREADABLE',
      `ELEC2 at ${path} could not be read: ${(error as Error).message}`,
      { path, cause: error },
    );
  }
  return parseRows(text, features, path, path);
}

/**
 * Parses ELEC2 CSV text, as `readElec2` does with the file's content (see there).
 *
 * @example
 * ```ts
 * const csv = 'date,day,period,nswprice,nswdemand,vicprice,vicdemand,transfer,class\n' +
 *   '0,2,0,0.056443,0.439155,0.003467,0.422915,0.414912,UP\n' +
 *   '0,2,0.021277,0.051699,0.415055,0.003467,0.422915,0.414912,DOWN';
 * const rows = parseElec2(csv, { features: ['nswprice', 'period'] });
 * rows[1]; // => {"index": 1, "features": {"nswprice": 0.051699, "period": 0.021277}, "label": 0, "date": 0}
 * let error;
 * try { parseElec2(csv.replace('UP', 'FLAT')); } catch (thrown) { error = thrown; }
 * [error.code, error.line, error.column]; // => ["DW_DATASET_FORMAT", 2, "class"]
 * ```
 */
export function parseElec2(csv: string, options: ParseElec2Options = {}): Elec2Row[] {
  if (typeof csv !== 'string') {
    throw new DatasetError(
      'DW_DATASET_INVALID_OPTION',
      'parseElec2 needs the CSV text as a string',
    );
  }
  return parseRows(csv, resolveFeatures(options.features), options.source ?? 'ELEC2 CSV');
}

function resolveFeatures(features: readonly Elec2Feature[] | undefined): readonly Elec2Feature[] {
  if (features === undefined) return elec2DefaultFeatures;
  const given: unknown = features;
  if (!Array.isArray(given) || given.length === 0) {
    throw new DatasetError(
      'DW_DATASET_INVALID_OPTION',
      'option features must be a non-empty array',
    );
  }
  const seen = new Set<string>();
  for (const feature of features) {
    if (!(numericColumns as readonly unknown[]).includes(feature)) {
      throw new DatasetError(
        'DW_DATASET_INVALID_OPTION',
        `option features names ${JSON.stringify(feature)}, which is not a numeric ELEC2 column (${numericColumns.join(', ')})`,
      );
    }
    if (seen.has(feature)) {
      throw new DatasetError('DW_DATASET_INVALID_OPTION', `option features names ${feature} twice`);
    }
    seen.add(feature);
  }
  return [...features];
}

function parseRows(
  text: string,
  features: readonly Elec2Feature[],
  source: string,
  path?: string,
): Elec2Row[] {
  const located = (
    line: number,
    column?: string,
  ): { path?: string; line: number; column?: string } => ({
    ...(path === undefined ? {} : { path }),
    line,
    ...(column === undefined ? {} : { column }),
  });
  const records = csvRecords(text, source, (line) => located(line));

  const header = records[0];
  if (header === undefined) {
    throw new DatasetError(
      'DW_DATASET_FORMAT',
      `${source} line 1: the file is empty; expected the header ${elec2Columns.join(',')}`,
      located(1),
    );
  }
  const headerWidth = Math.max(header.record.length, elec2Columns.length);
  for (let column = 0; column < headerWidth; column++) {
    const expected = elec2Columns[column];
    const found = header.record[column];
    if (found !== expected) {
      throw new DatasetError(
        'DW_DATASET_FORMAT',
        `${source} line ${header.info.lines}, column ${column + 1}: expected ${expected ?? 'no column'}, got ${found === undefined ? 'none' : JSON.stringify(found)} (the header must be ${elec2Columns.join(',')})`,
        located(header.info.lines, expected ?? found),
      );
    }
  }

  const featureColumns = features.map(
    (feature) => [feature, numericColumns.indexOf(feature)] as const,
  );
  const classColumn = elec2Columns.length - 1;
  const rows: Elec2Row[] = [];
  for (let at = 1; at < records.length; at++) {
    const current = records[at];
    if (current === undefined) break;
    checkFieldCount(current, source, located);
    const { record, info } = current;
    const value = (column: number): number => {
      const text = record[column] ?? '';
      if (!isDecimal(text)) {
        const name = elec2Columns[column] ?? '?';
        throw new DatasetError(
          'DW_DATASET_FORMAT',
          `${source} line ${info.lines}, column ${column + 1} (${name}): expected a number, got ${JSON.stringify(text)}`,
          located(info.lines, name),
        );
      }
      return Number(text);
    };
    const values = numericColumns.map((_, column) => value(column));
    const label = record[classColumn];
    if (label !== 'UP' && label !== 'DOWN') {
      throw new DatasetError(
        'DW_DATASET_FORMAT',
        `${source} line ${info.lines}, column ${classColumn + 1} (class): expected UP or DOWN, got ${JSON.stringify(label)}`,
        located(info.lines, 'class'),
      );
    }
    const row: Record<string, number> = {};
    for (const [feature, column] of featureColumns) row[feature] = values[column] ?? NaN;
    rows.push({
      index: rows.length,
      features: row,
      label: label === 'UP' ? 1 : 0,
      date: values[0] ?? NaN,
    });
  }
  return rows;
}

function checkFieldCount(
  current: CsvRecord,
  source: string,
  located: (line: number) => { path?: string; line: number },
): void {
  if (current.record.length !== elec2Columns.length) {
    throw new DatasetError(
      'DW_DATASET_FORMAT',
      `${source} line ${current.info.lines}: expected ${elec2Columns.length} fields (${elec2Columns.join(',')}), got ${current.record.length}`,
      located(current.info.lines),
    );
  }
}
