import { readElec2 } from './elec2.js';
import { DatasetError } from './errors.js';
import { orientationFeatureNames } from './orientation-postures.js';
import { orientationStream } from './orientation-stream.js';
import { seaClassicConcepts, seaDataDriftConcepts, seaDemoConcepts } from './sea-presets.js';
import { seaFeatureNames, seaStream, type SeaConcept } from './sea-stream.js';
import type { StreamRow } from './stream-row.js';
import { option } from './errors.js';

export type StreamName = 'sea' | 'sea-classic' | 'sea-data-drift' | 'orientation' | 'elec2';

export interface StreamCatalogEntry {
  readonly name: StreamName;
  /** One line for a CLI's help. */
  readonly summary: string;
  /** Whether `openStream` needs `file` (the dataset is not bundled). */
  readonly needsFile: boolean;
  /** Whether the stream's drift positions are known (synthetic) or not (real data). */
  readonly knownDrifts: boolean;
}

/** The streams `openStream` can open, for a CLI to list. */
export const streamCatalog: readonly StreamCatalogEntry[] = [
  {
    name: 'sea',
    summary: 'SEA concepts, θ = 7 → 9 → 11 → 13 in four equal blocks, 10% label noise',
    needsFile: false,
    knownDrifts: true,
  },
  {
    name: 'sea-classic',
    summary: "SEA concepts with the paper's θ = 8 → 9 → 7 → 9.5, 10% label noise",
    needsFile: false,
    knownDrifts: true,
  },
  {
    name: 'sea-data-drift',
    summary: 'SEA, θ = 10; halfway x1 moves +3 and x2 −3: data drift, no concept drift',
    needsFile: false,
    knownDrifts: true,
  },
  {
    name: 'orientation',
    summary:
      'Body key points (34 features), upright/lying; push-ups 0.3% → 35% halfway, 1% label noise',
    needsFile: false,
    knownDrifts: true,
  },
  {
    name: 'elec2',
    summary: 'ELEC2 (NSW electricity, 45,312 rows, UP/DOWN); real drift at unknown positions',
    needsFile: true,
    knownDrifts: false,
  },
];

export interface OpenStreamOptions {
  readonly dataset: StreamName;
  /** Generated streams (SEA, orientation): the generator's seed. Default 1. */
  readonly seed?: number;
  /** Rows. Generated: default 20,000. ELEC2: default all; the first `length` rows otherwise. */
  readonly length?: number;
  /** ELEC2: the path of the CSV (required). */
  readonly file?: string;
}

export interface OpenedStream {
  readonly name: StreamName;
  /** Feature names in the order a model's input vector takes them. */
  readonly featureNames: readonly string[];
  readonly rows: readonly StreamRow[];
  /** Row indices where the concept changes; `null` when unknown (real data). */
  readonly drifts: readonly number[] | null;
}

const seaPresets: Record<
  Exclude<StreamName, 'elec2' | 'orientation'>,
  (length: number) => SeaConcept[]
> = {
  sea: seaDemoConcepts,
  'sea-classic': seaClassicConcepts,
  'sea-data-drift': seaDataDriftConcepts,
};

/**
 * Opens a stream of the catalogue by name, as a CLI or a test would: all its rows in memory, the
 * names of its features, and where its drifts are when known.
 *
 * Options: `dataset` (required, a `streamCatalog` name); `seed` (1) for generated streams;
 * `length` (generated: 20,000; ELEC2: every row, or the first `length`); `file` (ELEC2: required).
 * `orientation` is `orientationStream` with its defaults: one drift, at the middle.
 *
 * @example
 * ```ts
 * const stream = await openStream({ dataset: 'sea', seed: 7, length: 1000 });
 * stream.featureNames; // => ["x1", "x2", "x3"]
 * stream.drifts; // => [250, 500, 750]
 * stream.rows.length; // => 1000
 * const orientation = await openStream({ dataset: 'orientation', length: 1000 });
 * orientation.featureNames.slice(0, 3); // => ["nose_x", "nose_y", "left_eye_x"]
 * orientation.drifts; // => [500]
 * ```
 */
export async function openStream(options: OpenStreamOptions): Promise<OpenedStream> {
  const name = option.oneOf(
    options.dataset,
    'dataset',
    streamCatalog.map((entry) => entry.name),
  );
  if (name === 'elec2') {
    if (options.file === undefined) {
      throw new DatasetError(
        'DW_DATASET_INVALID_OPTION',
        'option file is required for elec2: the dataset is not bundled; pass the path of its CSV',
      );
    }
    const rows = await readElec2(options.file);
    const length = option.positiveInteger(options.length ?? rows.length, 'length');
    if (length > rows.length) {
      throw new DatasetError(
        'DW_DATASET_INVALID_OPTION',
        `option length must be at most the ${rows.length} rows of ${options.file}, got ${length}`,
      );
    }
    const features = rows[0] === undefined ? [] : Object.keys(rows[0].features);
    return { name, featureNames: features, rows: rows.slice(0, length), drifts: null };
  }
  const length = option.positiveInteger(options.length ?? 20_000, 'length');
  const seed = option.safeInteger(options.seed ?? 1, 'seed');
  if (name === 'orientation') {
    const stream = orientationStream({ seed, length });
    return {
      name,
      featureNames: orientationFeatureNames,
      rows: [...stream],
      drifts: stream.drifts,
    };
  }
  const stream = seaStream({
    seed,
    length,
    concepts: seaPresets[name](length),
  });
  return { name, featureNames: seaFeatureNames, rows: [...stream], drifts: stream.drifts };
}
