import { z } from 'zod';

import { DecodeError } from '../errors.js';
import { classProbabilities, type Prediction } from './prediction.js';

/**
 * What the detector's data-drift rules need of one model version's predictions in one inference
 * batch, as columns: inference publishes one (or, for very wide batches, a few) per batch and
 * version, keyed by model, in the same transaction as the predictions themselves, so the detector
 * judges data drift without reading `predictions` and without re-keying them.
 *
 * Not bin counts: the rules' windows are counted in predictions and may slide one prediction at a
 * time, the score feeds CBPE, and KS compares the window's raw values, so a histogram per batch
 * could not reproduce a window that ends inside a batch. Columns of float64 keep every rule exact
 * at 8 bytes a value, against ~18 for a number in JSON and a whole prediction record per event.
 */
export interface FeatureSketch {
  model: string;
  modelVersion: number;
  rows: number;
  /** When each prediction was scored (its `scoredAt`). */
  timestamps: Float64Array;
  scores: Float64Array;
  /** Multiclass: each class's probability column, in class order; empty for binary models. */
  classProbabilities: Float64Array[];
  /** Feature name → its value in each prediction; NaN where a prediction lacked it. */
  features: Map<string, Float64Array>;
}

/** Layout version, the first byte of every record. */
const FORMAT = 1;
/** A record's bytes stay well under the broker's default 1 MiB `max.message.bytes`. */
const DEFAULT_MAX_BYTES = 256 * 1024;

const headerSchema = z.object({
  model: z.string().min(1),
  modelVersion: z.number().int().positive(),
  rows: z.number().int().nonnegative(),
  classes: z.number().int().nonnegative(),
  features: z.array(z.string().min(1)),
});

/**
 * The sketches of `predictions`: one per model version, rows in the order given, split so that no
 * record exceeds `maxBytes` (at least one row each).
 */
export function featureSketchesOf(
  predictions: readonly Pick<
    Prediction,
    'model' | 'modelVersion' | 'scoredAt' | 'score' | 'classes' | 'probabilities' | 'features'
  >[],
  {
    features,
    maxBytes = DEFAULT_MAX_BYTES,
  }: { features?: readonly string[]; maxBytes?: number } = {},
): FeatureSketch[] {
  const groups = new Map<string, (typeof predictions)[number][]>();
  for (const prediction of predictions) {
    const key = `${prediction.model}\n${prediction.modelVersion}`;
    const group = groups.get(key);
    if (group) group.push(prediction);
    else groups.set(key, [prediction]);
  }
  const sketches: FeatureSketch[] = [];
  for (const [first, ...others] of groups.values()) {
    if (!first) continue;
    const group = [first, ...others];
    const names = features
      ? [...new Set(features)]
      : [...new Set(group.flatMap((prediction) => Object.keys(prediction.features)))];
    // A version's classes are fixed; a binary version's one score says it all.
    const classCount = classProbabilities(first).length;
    const classColumns = classCount > 2 ? classCount : 0;
    const rowBytes = 8 * (2 + classColumns + names.length);
    const headerBytes =
      256 + Buffer.byteLength(first.model) + Buffer.byteLength(JSON.stringify(names));
    const rowsPerSketch = Math.max(1, Math.floor((maxBytes - headerBytes) / rowBytes));
    for (let start = 0; start < group.length; start += rowsPerSketch) {
      const slice = group.slice(start, start + rowsPerSketch);
      const column = (valueOf: (prediction: (typeof slice)[number]) => number | undefined) =>
        Float64Array.from(slice, (prediction) => valueOf(prediction) ?? Number.NaN);
      sketches.push({
        model: first.model,
        modelVersion: first.modelVersion,
        rows: slice.length,
        timestamps: column((prediction) => prediction.scoredAt),
        scores: column((prediction) => prediction.score),
        classProbabilities: Array.from({ length: classColumns }, (_, k) =>
          column((prediction) => classProbabilities(prediction)[k]),
        ),
        features: new Map(
          names.map((name) => [name, column((prediction) => prediction.features[name])]),
        ),
      });
    }
  }
  return sketches;
}

/**
 * The record's bytes: the format byte, a 4-byte big-endian header length, the JSON header (model,
 * version, rows, class columns, feature names), then each column as little-endian float64s —
 * timestamps, scores, class probabilities, features in the header's order.
 */
export function encodeFeatureSketch(sketch: FeatureSketch): Buffer {
  const header = Buffer.from(
    JSON.stringify({
      model: sketch.model,
      modelVersion: sketch.modelVersion,
      rows: sketch.rows,
      classes: sketch.classProbabilities.length,
      features: [...sketch.features.keys()],
    }),
  );
  const columns = [
    sketch.timestamps,
    sketch.scores,
    ...sketch.classProbabilities,
    ...sketch.features.values(),
  ];
  const bytes = Buffer.allocUnsafe(5 + header.length + 8 * sketch.rows * columns.length);
  bytes.writeUInt8(FORMAT, 0);
  bytes.writeUInt32BE(header.length, 1);
  header.copy(bytes, 5);
  let offset = 5 + header.length;
  for (const column of columns) {
    if (column.length !== sketch.rows)
      throw new RangeError(`sketch column of ${column.length} values, ${sketch.rows} rows`);
    for (const value of column) offset = bytes.writeDoubleLE(value, offset);
  }
  return bytes;
}

/** Reads a record written by {@link encodeFeatureSketch}; a {@link DecodeError} says what is wrong. */
export function decodeFeatureSketch(bytes: Buffer | null): FeatureSketch {
  if (bytes === null || bytes.length === 0)
    throw new DecodeError('DW_EMPTY_MESSAGE', 'feature sketch record has no value');
  if (bytes.length < 5 || bytes.readUInt8(0) !== FORMAT) {
    throw new DecodeError(
      'DW_SCHEMA_VIOLATION',
      `not a feature sketch of format ${FORMAT} (first byte ${bytes[0] ?? 'missing'}, ${bytes.length} bytes)`,
    );
  }
  const headerEnd = 5 + bytes.readUInt32BE(1);
  if (headerEnd > bytes.length) {
    throw new DecodeError(
      'DW_SCHEMA_VIOLATION',
      `feature sketch header runs past the record (${headerEnd} > ${bytes.length} bytes)`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8', 5, headerEnd));
  } catch (error) {
    throw new DecodeError('DW_MALFORMED_JSON', `feature sketch header: ${String(error)}`);
  }
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) {
    throw new DecodeError(
      'DW_SCHEMA_VIOLATION',
      `feature sketch header: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  const header = parsed.data;
  const columnCount = 2 + header.classes + header.features.length;
  const expected = headerEnd + 8 * header.rows * columnCount;
  if (expected !== bytes.length || new Set(header.features).size !== header.features.length) {
    throw new DecodeError(
      'DW_SCHEMA_VIOLATION',
      `feature sketch of ${header.rows} rows × ${columnCount} distinct columns needs ${expected} bytes, has ${bytes.length}`,
    );
  }
  let offset = headerEnd;
  const read = (): Float64Array => {
    const column = new Float64Array(header.rows);
    for (let row = 0; row < header.rows; row++, offset += 8)
      column[row] = bytes.readDoubleLE(offset);
    return column;
  };
  const timestamps = read();
  const scores = read();
  const classProbabilities = Array.from({ length: header.classes }, read);
  const features = new Map(header.features.map((name) => [name, read()]));
  return {
    model: header.model,
    modelVersion: header.modelVersion,
    rows: header.rows,
    timestamps,
    scores,
    classProbabilities,
    features,
  };
}
