import type { LabeledRows } from '@driftwatch/model';

/** The column holding each row's class, by name, after the features. */
export const LABEL_COLUMN = 'label';

/**
 * One CSV field as RFC 4180 writes it: quoted, quotes doubled, when it holds a comma, a quote, a
 * line break, or space at either end (which readers such as Python's csv keep only when quoted,
 * and a reader that trims would otherwise lose).
 */
function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The rows a training program reads (`DRIFTWATCH_TRAIN_CSV`, `DRIFTWATCH_HOLDOUT_CSV`): a header
 * of the feature names in the model's input order then `label`; one line per row, each value as
 * JavaScript's shortest round-trip decimal (Python's `float()` reads it back to the same double),
 * the label as the class's name, `classes[label]`. Lines end with `\n`.
 *
 * Labels must be class indices into `classes` (the trainer checks this before writing).
 *
 * @example
 * ```ts
 * const rows = { rows: [[0.1, 2], [1e-7, -3.5]], labels: [1, 0] };
 * formatTrainingCsv(['x', 'y, "odd"'], ['no', 'yes'], rows); // => "x,\"y, \"\"odd\"\"\",label\n0.1,2,yes\n1e-7,-3.5,no\n"
 * ```
 */
export function formatTrainingCsv(
  featureNames: readonly string[],
  classes: readonly string[],
  labeled: LabeledRows,
): string {
  const classFields = classes.map(csvField);
  const lines = [[...featureNames, LABEL_COLUMN].map(csvField).join(',')];
  labeled.rows.forEach((row, i) => {
    const label = classFields[labeled.labels[i] ?? -1];
    if (label === undefined) {
      throw new RangeError(
        `row ${i}: label ${String(labeled.labels[i])} is not a class index below ${classes.length}`,
      );
    }
    lines.push(`${row.map(String).join(',')},${label}`);
  });
  return `${lines.join('\n')}\n`;
}
