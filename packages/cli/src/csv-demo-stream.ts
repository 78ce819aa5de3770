import { basename } from 'node:path';

import { readLabeledCsv, type LabeledCsvRow } from '@driftwatch/datasets';

import type { DemoStream } from './demo-stream.js';
import { CliError } from './errors.js';

export interface CsvDemoOptions {
  file: string;
  labelColumn: string;
  /** Rows version 1 learns from, the file's first; default 2000, at most a quarter of the file. */
  referenceRows?: number;
  /** Rows replayed after the reference; default all the others. */
  length?: number;
  /** Data rows of the file (0-based) where a new concept starts, ascending. */
  drifts?: readonly number[];
  /** Detector and trainer tuning of the demo, before the CSV's own adjustments. */
  serviceEnv: Record<string, string>;
}

/**
 * The closed-loop demo on any labeled CSV (read by `readLabeledCsv`): version 1 is bootstrapped
 * on the file's first rows, the rows after them are replayed, numbered as the file's data rows
 * (0-based), so `drifts` name rows of the file. The classes are the distinct labels of the whole
 * file, sorted — numerically when every label is an integer, else by their text — so the same
 * file always gives the same class order; every class must occur in the rows version 1 trains on
 * (the reference rows but the last fifth, its holdout), or the demo could never predict it.
 */
export async function csvDemoStream(options: CsvDemoOptions): Promise<DemoStream> {
  const table = await readLabeledCsv(options.file, { labelColumn: options.labelColumn });
  const all = table.rows;
  const name = basename(options.file);
  const referenceRows = options.referenceRows ?? Math.min(2000, Math.floor(all.length / 4));
  if (referenceRows < 1 || referenceRows >= all.length) {
    throw new CliError(
      'DW_CLI_BAD_OPTION',
      `${name} has ${all.length} rows: ${referenceRows} reference rows leave ${referenceRows < 1 ? 'none for version 1 to learn from' : 'none to replay'} (--reference-rows)`,
    );
  }
  const reference = all.slice(0, referenceRows);
  const rows = all.slice(
    referenceRows,
    options.length === undefined ? undefined : referenceRows + options.length,
  );
  const classes = sortedClasses(all);
  if (classes.length < 2) {
    throw new CliError(
      'DW_CLI_BAD_OPTION',
      `${name}'s column ${options.labelColumn} holds ${classes.length === 0 ? 'no label' : `one class only (${classes.join('')})`}: nothing to classify`,
    );
  }
  checkTrainingClasses(reference, classes, name);
  const first = rows[0]?.index ?? referenceRows;
  const last = rows.at(-1)?.index ?? first;
  const drifts = [...(options.drifts ?? [])];
  for (const drift of drifts) {
    if (drift <= first || drift > last) {
      throw new CliError(
        'DW_CLI_BAD_OPTION',
        `--drifts ${drift}: the replay covers rows ${first}–${last} of ${name} (after ${referenceRows} reference rows); a drift must fall after its first row`,
      );
    }
  }
  const model = name.replace(/\.csv$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-') || 'csv';
  const count = (n: number): string => n.toLocaleString('en-US');
  return {
    title: `${name} (${count(rows.length)} events after a ${count(referenceRows)}-row reference; classes ${classes.join(', ')}, sorted; ${drifts.length > 0 ? `drifts at rows ${drifts.map(count).join(', ')}` : 'drifts unknown'})`,
    model,
    featureNames: table.featureNames,
    classes,
    // Ids are the demo's own (from the row numbers): how its summary finds each event again.
    reference: reference.map(withoutId),
    rows: rows.map(withoutId),
    knownDrifts: drifts,
    serviceEnv: {
      ...options.serviceEnv,
      // Any data's accuracy may sit below a fixed bar all along: rely on ADWIN's change in error.
      DETECTOR_BLOCK_ACCURACY_THRESHOLD: '0',
      // And retrain a version once more when it has 4,000 labeled rows of its own, its window
      // chosen again: the first answer to a gradual change learned from the few rows just after
      // its detection, a mix of both concepts (on River's gradual ConceptDriftStream this took
      // the loop from 0.8671 to 0.8926 prequential accuracy, 3 retrains to 7).
      RETRAIN_AFTER_LABELED: '4000',
    },
  };
}

function withoutId({ index, features, label }: LabeledCsvRow): DemoStream['rows'][number] {
  return { index, features, label };
}

/** The labels' classes: integers in numeric order when every label is one, else by their text. */
function sortedClasses(rows: readonly LabeledCsvRow[]): string[] {
  const labels = [...new Set(rows.flatMap((row) => (row.label === undefined ? [] : [row.label])))];
  const numeric = labels.every((label) => typeof label === 'number');
  return labels
    .sort((a, b) =>
      numeric ? Number(a) - Number(b) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
    )
    .map(String);
}

/** bootstrapVersion holds out the last fifth of the labeled reference rows; the rest train. */
function checkTrainingClasses(
  reference: readonly LabeledCsvRow[],
  classes: readonly string[],
  name: string,
): void {
  const labeled = reference.filter((row) => row.label !== undefined);
  const training = labeled.slice(0, labeled.length - Math.round(labeled.length * 0.2));
  const seen = new Set(training.map((row) => String(row.label)));
  const missing = classes.filter((className) => !seen.has(className));
  if (missing.length > 0) {
    throw new CliError(
      'DW_CLI_BAD_OPTION',
      `class${missing.length > 1 ? 'es' : ''} ${missing.join(', ')} of ${name} never occur${missing.length > 1 ? '' : 's'} in the ${training.length} rows version 1 trains on (the first ${reference.length} are its reference, the last fifth of them its holdout); a larger --reference-rows, or a file whose first rows hold every class`,
    );
  }
}
