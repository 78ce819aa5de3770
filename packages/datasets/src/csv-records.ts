import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';

import { DatasetError, type DatasetErrorLocation } from './errors.js';

/** One CSV record with the file line it ends on (1-based), for error messages. */
export interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/**
 * The records of a CSV text, parsed by csv-parse (quoted cells, a BOM, blank lines skipped, cells
 * trimmed, ragged rows kept for the caller to name). A text csv-parse cannot read is a
 * `DW_DATASET_FORMAT` naming `source` and the line.
 */
export function csvRecords(
  text: string,
  source: string,
  at: (line: number) => DatasetErrorLocation,
): CsvRecord[] {
  try {
    return parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error.lines === 'number' ? error.lines : 0;
    throw new DatasetError('DW_DATASET_FORMAT', `${source} line ${line}: ${error.message}`, {
      ...at(line),
      cause: error,
    });
  }
}
