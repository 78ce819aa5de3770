import { readFile } from 'node:fs/promises';

import { csvRecords } from './csv-records.js';
import { DatasetError, type DatasetErrorLocation } from './errors.js';
import { isDecimal } from './is-decimal.js';

export interface LabeledCsvOptions {
  /** The column holding each row's label. */
  readonly labelColumn: string;
  /**
   * `required` (the default): a file without `labelColumn` is refused. `optional`: such a file is
   * read without labels (every row's `label` undefined).
   */
  readonly labels?: 'required' | 'optional';
  /**
   * The column holding each row's id. Default: `id` when the header has that column, else none.
   * A column named here must exist.
   */
  readonly idColumn?: string;
  /** The column holding each row's time, epoch ms or ISO 8601. Default none. */
  readonly timeColumn?: string;
  /**
   * The feature columns, in the order given; each must exist and hold a number in every row.
   * Default: every column but the label, id and time columns, in file order.
   */
  readonly features?: readonly string[];
}

export interface ParseLabeledCsvOptions extends LabeledCsvOptions {
  /** What to call the text in error messages (a path). Default `'CSV'`. */
  readonly source?: string;
}

/** One data row of a labeled CSV. */
export interface LabeledCsvRow {
  /** 0-based position among the data rows. */
  readonly index: number;
  /**
   * The row's 1-based line in the file (the header is line 1); where a quoted cell holds line
   * breaks, the line the row ends on, as csv-parse counts.
   */
  readonly line: number;
  /** The feature columns' values, by column name. */
  readonly features: Readonly<Record<string, number>>;
  /**
   * The label as the file writes it: a cell of decimal digits (`-?(0|[1-9][0-9]*)`) as that
   * integer, any other text as the string; undefined for an empty cell or a file without labels.
   * Either way `String(label)` is the cell's text.
   */
  readonly label: number | string | undefined;
  /** The id column's text, when there is an id column. */
  readonly id?: string;
  /** The time column's value in epoch ms, when there is a time column. */
  readonly ts?: number;
}

export interface LabeledCsv {
  /** The file's columns, in order. */
  readonly header: readonly string[];
  /** The columns read as features, in the order of each row's `features`. */
  readonly featureNames: readonly string[];
  /** The label column; null when labels are optional and the file has none. */
  readonly labelColumn: string | null;
  readonly idColumn: string | null;
  readonly timeColumn: string | null;
  /** At least one. */
  readonly rows: readonly LabeledCsvRow[];
}

/**
 * Reads a CSV of labeled examples at `path` — a user's reference data or stream — with a header
 * naming the columns: features, a label, optionally an id and a time. Parsed by `csv-parse`
 * (RFC 4180: quoted cells may hold commas, quotes and line breaks; a UTF-8 BOM is skipped;
 * blank lines are skipped; spaces around cells are trimmed).
 *
 * Every refusal is a one-line `DatasetError` with the file's 1-based `line` (the header is line
 * 1) and, where one is at fault, the `column`: `DW_DATASET_NOT_FOUND` / `DW_DATASET_UNREADABLE`
 * for the file; `DW_DATASET_FORMAT` for a header without a named column, a repeated column name,
 * a row with more or fewer cells than the header, a feature cell that is not a decimal number,
 * an empty or repeated id, a time that is neither epoch ms nor ISO 8601, or no data row at all;
 * `DW_DATASET_INVALID_OPTION` for a column named twice in the options. Labels are kept as
 * written (see `LabeledCsvRow.label`); an ISO 8601 time without an offset is read as UTC.
 *
 * Options: `labelColumn` (required); `labels` (`required`); `idColumn` (`id` when present);
 * `timeColumn` (none); `features` (every other column). See `LabeledCsvOptions`.
 *
 * @example
 * ```ts
 * const error = await readLabeledCsv('/nonexistent/stream.csv', { labelColumn: 'label' }).catch((error) => error);
 * [error.code, error.path]; // => ["DW_DATASET_NOT_FOUND", "/nonexistent/stream.csv"]
 * ```
 */
export async function readLabeledCsv(
  path: string,
  options: LabeledCsvOptions,
): Promise<LabeledCsv> {
  if (typeof path !== 'string' || path === '') {
    throw new DatasetError('DW_DATASET_INVALID_OPTION', 'readLabeledCsv needs the path of a CSV');
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DatasetError(
      missing ? 'DW_DATASET_NOT_FOUND' : 'DW_DATASET_UNREADABLE',
      missing ? `${path}: no such file` : `${path} could not be read: ${(error as Error).message}`,
      { path, cause: error },
    );
  }
  return parseRows(text, options, path, path);
}

/**
 * Parses labeled CSV text, as `readLabeledCsv` does with a file's content (see there).
 *
 * @example
 * ```ts
 * const csv = 'id,petal_length,"petal, width",label\n' +
 *   'f-1,1.4,0.2,setosa\n' +
 *   'f-2,4.7,1.4,1\n';
 * const table = parseLabeledCsv(csv, { labelColumn: 'label' });
 * table.featureNames; // => ["petal_length", "petal, width"]
 * table.rows.map((row) => row.label); // => ["setosa", 1]
 * table.rows[1]; // => {"index": 1, "line": 3, "features": {"petal_length": 4.7, "petal, width": 1.4}, "label": 1, "id": "f-2"}
 * let error;
 * try { parseLabeledCsv(csv.replace('4.7', 'n/a'), { labelColumn: 'label', source: 'iris.csv' }); } catch (thrown) { error = thrown; }
 * error.message; // => "iris.csv line 3 (data row 2), column petal_length: expected a number, got \"n/a\""
 * ```
 */
export function parseLabeledCsv(csv: string, options: ParseLabeledCsvOptions): LabeledCsv {
  if (typeof csv !== 'string') {
    throw new DatasetError(
      'DW_DATASET_INVALID_OPTION',
      'parseLabeledCsv needs the CSV text as a string',
    );
  }
  return parseRows(csv, options, options.source ?? 'CSV');
}

/** A label cell that is an integer, written the way `String(integer)` writes it. */
const INTEGER_LABEL = /^-?(?:0|[1-9]\d*)$/;
const EPOCH_MS = /^\d+$/;
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?<offset>Z|[+-]\d{2}:?\d{2})?)?$/;

function parseRows(
  text: string,
  options: LabeledCsvOptions,
  source: string,
  path?: string,
): LabeledCsv {
  const at = (line: number, column?: string): DatasetErrorLocation => ({
    ...(path === undefined ? {} : { path }),
    line,
    ...(column === undefined ? {} : { column }),
  });
  const refuse = (line: number, message: string, column?: string): DatasetError =>
    new DatasetError('DW_DATASET_FORMAT', `${source} line ${line}: ${message}`, at(line, column));
  checkOptions(options);

  const records = csvRecords(text, source, (line) => at(line));

  const [headerRecord, ...dataRecords] = records;
  if (headerRecord === undefined) {
    throw refuse(1, 'the file is empty; expected a header naming the columns');
  }
  const header = headerRecord.record;
  const headerLine = headerRecord.info.lines;
  const columnOf = new Map<string, number>();
  header.forEach((name, column) => {
    if (name === '') throw refuse(headerLine, `column ${column + 1} of the header has no name`);
    const previous = columnOf.get(name);
    if (previous !== undefined) {
      throw refuse(
        headerLine,
        `the header names column ${JSON.stringify(name)} twice (columns ${previous + 1} and ${column + 1})`,
        name,
      );
    }
    columnOf.set(name, column);
  });
  const shownHeader = header.join(', ');
  const required = (name: string, what: string): number => {
    const column = columnOf.get(name);
    if (column === undefined) {
      throw refuse(
        headerLine,
        `no ${what} column ${JSON.stringify(name)}; the header has ${shownHeader}`,
        name,
      );
    }
    return column;
  };

  const labelColumn =
    options.labels === 'optional' && !columnOf.has(options.labelColumn)
      ? null
      : options.labelColumn;
  const labelAt = labelColumn === null ? undefined : required(labelColumn, 'label');
  const idColumn = options.idColumn ?? (columnOf.has('id') ? 'id' : null);
  const idAt = idColumn === null ? undefined : required(idColumn, 'id');
  const timeColumn = options.timeColumn ?? null;
  const timeAt = timeColumn === null ? undefined : required(timeColumn, 'time');
  const notFeatures = new Set([labelColumn, idColumn, timeColumn]);
  const featureNames = options.features
    ? [...options.features]
    : header.filter((name) => !notFeatures.has(name));
  const featureColumns = featureNames.map((name) => [name, required(name, 'feature')] as const);

  const rows: LabeledCsvRow[] = [];
  const idLines = new Map<string, number>();
  for (const { record, info } of dataRecords) {
    const line = info.lines;
    const index = rows.length;
    const where = `${source} line ${line} (data row ${index + 1})`;
    const cellError = (column: string, message: string): DatasetError =>
      new DatasetError(
        'DW_DATASET_FORMAT',
        `${where}, column ${column}: ${message}`,
        at(line, column),
      );
    if (record.length !== header.length) {
      throw refuse(
        line,
        `expected ${header.length} cells, one per column of the header, got ${record.length}`,
      );
    }
    const features: Record<string, number> = {};
    for (const [name, column] of featureColumns) {
      const cell = record[column] ?? '';
      if (!isDecimal(cell)) throw cellError(name, `expected a number, got ${JSON.stringify(cell)}`);
      features[name] = Number(cell);
    }
    const labelCell = labelAt === undefined ? '' : (record[labelAt] ?? '');
    const row: { -readonly [K in keyof LabeledCsvRow]: LabeledCsvRow[K] } = {
      index,
      line,
      features,
      label: labelCell === '' ? undefined : labelValue(labelCell),
    };
    if (idAt !== undefined && idColumn !== null) {
      const id = record[idAt] ?? '';
      if (id === '') throw cellError(idColumn, 'expected an id, got an empty cell');
      const first = idLines.get(id);
      if (first !== undefined) {
        throw cellError(idColumn, `id ${JSON.stringify(id)} repeats the id of line ${first}`);
      }
      idLines.set(id, line);
      row.id = id;
    }
    if (timeAt !== undefined && timeColumn !== null) {
      const cell = record[timeAt] ?? '';
      const ts = epochMs(cell);
      if (ts === undefined) {
        throw cellError(
          timeColumn,
          `expected a time, epoch milliseconds or ISO 8601 (2024-05-01T12:00:00Z), got ${JSON.stringify(cell)}`,
        );
      }
      row.ts = ts;
    }
    rows.push(row);
  }
  if (rows.length === 0) throw refuse(headerLine + 1, 'no data rows after the header');
  return { header, featureNames, labelColumn, idColumn, timeColumn, rows };
}

function checkOptions(options: LabeledCsvOptions): void {
  const given: unknown = options;
  if (typeof given !== 'object' || given === null) {
    throw new DatasetError('DW_DATASET_INVALID_OPTION', 'options must name the labelColumn');
  }
  const named: [string, unknown][] = [
    ['labelColumn', options.labelColumn],
    ['idColumn', options.idColumn],
    ['timeColumn', options.timeColumn],
    ...(options.features ?? []).map((name, i): [string, unknown] => [`features[${i}]`, name]),
  ];
  const seen = new Map<unknown, string>();
  for (const [option, name] of named) {
    if (name === undefined && option !== 'labelColumn') continue;
    if (typeof name !== 'string' || name === '') {
      throw new DatasetError(
        'DW_DATASET_INVALID_OPTION',
        `option ${option} must be a column name, got ${JSON.stringify(name)}`,
      );
    }
    const other = seen.get(name);
    if (other !== undefined) {
      throw new DatasetError(
        'DW_DATASET_INVALID_OPTION',
        `options ${other} and ${option} both name column ${JSON.stringify(name)}`,
      );
    }
    seen.set(name, option);
  }
  if (options.features?.length === 0) {
    throw new DatasetError('DW_DATASET_INVALID_OPTION', 'option features must name a column');
  }
}

function labelValue(cell: string): number | string {
  if (INTEGER_LABEL.test(cell)) {
    const value = Number(cell);
    if (Number.isSafeInteger(value)) return value;
  }
  return cell;
}

/** Epoch ms from digits or ISO 8601 (UTC when no offset is written); undefined otherwise. */
function epochMs(cell: string): number | undefined {
  if (EPOCH_MS.test(cell)) {
    const value = Number(cell);
    return Number.isSafeInteger(value) ? value : undefined;
  }
  const iso = ISO_8601.exec(cell);
  if (!iso) return undefined;
  // Date.parse reads a date-time without an offset as local time; a file means the same instant
  // wherever it is replayed.
  const dateOnly = !cell.includes(':');
  const text = cell.replace(' ', 'T') + (dateOnly || iso.groups?.['offset'] ? '' : 'Z');
  const value = Date.parse(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
