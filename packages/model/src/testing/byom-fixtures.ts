/**
 * The bring-your-own-model fixtures in test/fixtures/byom (made by make_models.py with skl2onnx
 * and onnx): the models, their CSVs and the Python onnxruntime goldens, for this package's tests.
 */
import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../../../../test/fixtures/byom/', import.meta.url);

/** Every fixture model, in the order make_models.py writes them. */
export const byomModels = [
  'binary-logreg-zipmap',
  'binary-forest',
  'multiclass-iris',
  'softmax-net',
  'binary-logit',
  'binary-sigmoid',
] as const;

export type ByomModel = (typeof byomModels)[number];

/** The parts of NAME.expected.json these tests read. */
export interface ByomExpected {
  readonly onnx: { readonly sha256: string; readonly opsetImport: [string, number][] };
  readonly inputs: unknown[];
  readonly outputs: unknown[];
  readonly inputLayout: '[N,F]' | 'one [N,1] tensor per feature';
  readonly probabilityOutput: { readonly name: string; readonly layout: string };
  readonly labelOutput: string | null;
  readonly features: string[];
  readonly classes: (string | number)[];
  /** onnxruntime (Python) probabilities of every stream row, in `classes` order. */
  readonly probabilities: number[][];
}

export interface Csv {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export function byomBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(file, FIXTURES)));
}

export function byomJson(file: string): unknown {
  return JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8'));
}

export function byomExpected(model: ByomModel): ByomExpected {
  return byomJson(`${model}.expected.json`) as ByomExpected;
}

/**
 * Reads a fixture CSV. Python's csv module quotes nothing in these files (numbers, ids, class
 * names), so splitting on commas is exact; a quote would mean that changed, and fails loudly.
 */
export function byomCsv(file: string): Csv {
  const text = readFileSync(new URL(file, FIXTURES), 'utf8');
  if (text.includes('"')) throw new Error(`${file}: quoted CSV fields need a real parser`);
  const [header = [], ...rows] = text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split(','));
  return { header, rows };
}

/** The CSV's columns other than `id` and `label`: what a reference file's header offers. */
export function featureColumns(csv: Csv): string[] {
  return csv.header.filter((name) => name !== 'id' && name !== 'label');
}

/** Each row's feature columns by name, parsed as a CSV reader would (`Number`, NaN if not one). */
export function featureRows(csv: Csv): Record<string, number>[] {
  const columns = featureColumns(csv).map((name) => [name, csv.header.indexOf(name)] as const);
  return csv.rows.map((row) =>
    Object.fromEntries(columns.map(([name, at]) => [name, Number(row[at])])),
  );
}
