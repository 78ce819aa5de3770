/** Reads test/fixtures/byom (models trained elsewhere, made by make_models.py) for these tests. */
import { readFileSync } from 'node:fs';

const fixtures = new URL('../../../../test/fixtures/byom/', import.meta.url);

export interface ByomCsv {
  /** The columns other than `id` and `label`. */
  featureNames: string[];
  rows: { id: string; features: Record<string, number>; label: string }[];
}

export function byomBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(file, fixtures)));
}

/** A fixture CSV; Python's csv module quoted none of its fields, so commas split it exactly. */
export function byomCsv(file: string): ByomCsv {
  const text = readFileSync(new URL(file, fixtures), 'utf8');
  if (text.includes('"')) throw new Error(`${file}: quoted CSV fields need a real parser`);
  const [header = '', ...lines] = text.trim().split('\n');
  const columns = header.split(',');
  const featureNames = columns.filter((name) => name !== 'id' && name !== 'label');
  return {
    featureNames,
    rows: lines.map((line, i) => {
      const fields = line.split(',');
      const field = (name: string): string => fields[columns.indexOf(name)] ?? '';
      return {
        id: columns.includes('id') ? field('id') : `row-${i}`,
        features: Object.fromEntries(featureNames.map((name) => [name, Number(field(name))])),
        label: field('label'),
      };
    }),
  };
}

/** Rows as the trainer holds them: columns in `featureNames` order, labels as class indices. */
export function labeledRows(
  csv: ByomCsv,
  featureNames: readonly string[],
  classes: readonly string[],
): { rows: number[][]; labels: number[] } {
  return {
    rows: csv.rows.map((row) => featureNames.map((name) => row.features[name] ?? NaN)),
    labels: csv.rows.map((row) => classes.indexOf(row.label)),
  };
}
