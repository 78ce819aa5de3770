import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Parses a JSON fixture under `test/fixtures/drift/`, gunzipping a `.gz` one. */
export function fixtureJson(path: string): unknown {
  const bytes = readFileSync(new URL(`../../../../test/fixtures/drift/${path}`, import.meta.url));
  return JSON.parse((path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')) as unknown;
}

/** scikit-learn's `load_digits`, as `test/fixtures/drift/sklearn/generate_kmeans_goldens.py` wrote it. */
export function digits(): { rows: number[][]; targets: number[] } {
  return fixtureJson('sklearn/digits.json.gz') as { rows: number[][]; targets: number[] };
}
