import { mulberry32 } from '@driftwatch/drift';

import { DatasetError } from './errors.js';
import { seaDemoConcepts } from './sea-presets.js';
import type { StreamRow } from './stream-row.js';
import { option } from './errors.js';

export type SeaFeatureName = 'x1' | 'x2' | 'x3';

/** The three SEA features, in the order a model's input vector takes them. */
export const seaFeatureNames: readonly SeaFeatureName[] = ['x1', 'x2', 'x3'];

export type SeaFeatures = Readonly<Record<SeaFeatureName, number>>;

/** Which side of the boundary x1 + x2 = θ is class 1. */
export type SeaPositiveSide = 'below' | 'above';

/** One SEA concept: a labelling rule and the feature distribution, from row `start` on. */
export interface SeaConcept {
  /** First row of the concept. The first concept starts at 0; starts strictly increase. */
  readonly start: number;
  /** θ of the boundary x1 + x2 = θ. */
  readonly threshold: number;
  /** `below` (the paper's rule; default): label 1 when x1 + x2 ≤ θ. `above`: when x1 + x2 > θ. */
  readonly positive?: SeaPositiveSide;
  /** Each feature is drawn uniform in [low, high) before its shift. Default [0, 10). */
  readonly featureRange?: readonly [number, number];
  /** Added to each named feature after the draw, before labelling. Default 0 for each. */
  readonly shift?: Readonly<Partial<Record<SeaFeatureName, number>>>;
}

/** A concept with every default filled in. */
export interface ResolvedSeaConcept {
  readonly start: number;
  readonly threshold: number;
  readonly positive: SeaPositiveSide;
  readonly featureRange: readonly [number, number];
  readonly shift: SeaFeatures;
}

export interface SeaRow extends StreamRow {
  readonly features: SeaFeatures;
  /** Index into the stream's `concepts` of the concept the row was drawn from. */
  readonly concept: number;
}

export interface SeaStreamOptions {
  /** Seed of the `mulberry32` generator every draw comes from. */
  readonly seed: number;
  /** Rows in the stream. */
  readonly length: number;
  /** The concepts in order of `start`. Default `seaDemoConcepts(length)`. */
  readonly concepts?: readonly SeaConcept[];
  /** Probability that a row's label is flipped, in [0, 1]. Default 0.1, as in the paper. */
  readonly noise?: number;
}

/** A SEA stream: iterate it (as often as you like; every pass yields the same rows). */
export interface SeaStream extends Iterable<SeaRow> {
  readonly seed: number;
  readonly length: number;
  readonly noise: number;
  readonly concepts: readonly ResolvedSeaConcept[];
  /** Known change positions: the `start` of every concept after the first. */
  readonly drifts: readonly number[];
}

const DEFAULT_RANGE: readonly [number, number] = [0, 10];
const NO_SHIFT: SeaFeatures = { x1: 0, x2: 0, x3: 0 };

/**
 * The noise-free SEA label of `features` under `concept`: 1 when x1 + x2 ≤ θ (`positive: 'below'`,
 * the default) or x1 + x2 > θ (`'above'`), else 0. x3 never matters. This is the Bayes-optimal
 * prediction, against which a model's accuracy can be judged.
 *
 * @example
 * ```ts
 * seaLabel({ start: 0, threshold: 8 }, { x1: 3, x2: 5, x3: 9 }); // => 1
 * seaLabel({ start: 0, threshold: 8, positive: 'above' }, { x1: 3, x2: 5, x3: 9 }); // => 0
 * ```
 */
export function seaLabel(
  concept: Pick<SeaConcept, 'threshold' | 'positive'>,
  features: Pick<SeaFeatures, 'x1' | 'x2'>,
): 0 | 1 {
  const below = features.x1 + features.x2 <= concept.threshold;
  return below === ((concept.positive ?? 'below') === 'below') ? 1 : 0;
}

/**
 * The SEA concepts generator: three features x1, x2, x3 uniform in [0, 10), label 1 when
 * x1 + x2 ≤ θ (x3 is irrelevant), θ changing abruptly from one concept to the next, and each
 * label flipped with probability `noise`. The paper's thresholds are 8, 9, 7 and 9.5
 * (`seaClassicConcepts`); the default here is `seaDemoConcepts` (7, 9, 11, 13), chosen so that every
 * change costs a model of the old concept at least 5 points of accuracy (see there).
 *
 * Beyond the paper, a concept can also move the features, to make data drift (what PSI sees) with
 * or without concept drift: `featureRange` (default [0, 10)) is where each feature is drawn, and
 * `shift` is added to the named features after the draw. The label is computed on the shifted
 * values, so a shift that keeps θ is pure covariate shift: P(y | x) is unchanged and the old
 * boundary stays optimal. `shift: { x1: 3, x2: -3 }` even keeps the distribution of x1 + x2, hence
 * the class balance (`seaDataDriftConcepts`); `positive: 'above'` flips the rule's direction.
 *
 * Options: `seed` and `length` (required); `concepts` (default `seaDemoConcepts(length)`), each
 * `{ start, threshold, positive = 'below', featureRange = [0, 10], shift = {} }`, the first starting
 * at 0, starts strictly increasing and below `length`; `noise` (0.1), in [0, 1].
 *
 * Every row draws four numbers from `mulberry32(seed)`, in order: x1, x2, x3, then the noise draw
 * (label flipped when it is below `noise`). So the features do not depend on `noise` or on the
 * concepts' thresholds, and two streams that differ only there have the same x.
 *
 * @example
 * ```ts
 * const stream = seaStream({
 *   seed: 1,
 *   length: 6,
 *   concepts: [
 *     { start: 0, threshold: 8 },
 *     { start: 3, threshold: 8, positive: 'above', shift: { x3: 100 } },
 *   ],
 * });
 * stream.drifts; // => [3]
 * const rows = [...stream];
 * rows.map((row) => row.label); // => [1, 0, 0, 0, 0, 0]
 * rows.map((row) => row.concept); // => [0, 0, 0, 1, 1, 1]
 * rows[3].features.x3 > 100; // => true
 * ```
 *
 * @see W. Nick Street and YongSeog Kim, "A Streaming Ensemble Algorithm (SEA) for Large-Scale
 * Classification", Proceedings of the 7th ACM SIGKDD International Conference on Knowledge
 * Discovery and Data Mining (KDD), 2001, pp. 377–382.
 */
export function seaStream(options: SeaStreamOptions): SeaStream {
  const seed = option.safeInteger(options.seed, 'seed');
  const length = option.positiveInteger(options.length, 'length');
  const noise = option.probability(options.noise ?? 0.1, 'noise');
  const concepts = resolveConcepts(options.concepts ?? seaDemoConcepts(length), length);
  const drifts = concepts.slice(1).map((concept) => concept.start);

  function* rows(): Generator<SeaRow> {
    const random = mulberry32(seed);
    let at = 0;
    for (let index = 0; index < length; index++) {
      while (at + 1 < concepts.length && (concepts[at + 1]?.start ?? Infinity) <= index) at++;
      const concept = concepts[at];
      if (concept === undefined) throw new Error('unreachable: no concept for a row');
      const [low, high] = concept.featureRange;
      const width = high - low;
      const features: SeaFeatures = {
        x1: low + width * random() + concept.shift.x1,
        x2: low + width * random() + concept.shift.x2,
        x3: low + width * random() + concept.shift.x3,
      };
      const clean = seaLabel(concept, features);
      const label = random() < noise ? ((1 - clean) as 0 | 1) : clean;
      yield { index, features, label, concept: at };
    }
  }

  return { seed, length, noise, concepts, drifts, [Symbol.iterator]: rows };
}

function resolveConcepts(concepts: readonly SeaConcept[], length: number): ResolvedSeaConcept[] {
  const given: unknown = concepts;
  if (!Array.isArray(given) || given.length === 0) {
    throw new DatasetError(
      'DW_DATASET_INVALID_OPTION',
      'option concepts must be a non-empty array',
    );
  }
  return concepts.map((concept, k): ResolvedSeaConcept => {
    const name = `concepts[${k}]`;
    const start = option.nonNegativeInteger(concept.start, `${name}.start`);
    const previous = k === 0 ? undefined : concepts[k - 1]?.start;
    if (k === 0 && start !== 0) {
      throw new DatasetError(
        'DW_DATASET_INVALID_OPTION',
        `option concepts[0].start must be 0, got ${start}`,
      );
    }
    if (previous !== undefined && start <= previous) {
      throw new DatasetError(
        'DW_DATASET_INVALID_OPTION',
        `option ${name}.start must be greater than concepts[${k - 1}].start (${previous}), got ${start}`,
      );
    }
    if (start >= length) {
      throw new DatasetError(
        'DW_DATASET_INVALID_OPTION',
        `option ${name}.start must be below the stream's length ${length}, got ${start}`,
      );
    }
    return {
      start,
      threshold: option.finite(concept.threshold, `${name}.threshold`),
      positive: option.oneOf(concept.positive ?? 'below', `${name}.positive`, ['below', 'above']),
      featureRange: resolveRange(concept.featureRange, `${name}.featureRange`),
      shift: resolveShift(concept.shift, `${name}.shift`),
    };
  });
}

function resolveRange(
  range: readonly [number, number] | undefined,
  name: string,
): readonly [number, number] {
  if (range === undefined) return DEFAULT_RANGE;
  const given: unknown = range;
  const [low, high] = Array.isArray(given) && given.length === 2 ? range : [NaN, NaN];
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) {
    throw new DatasetError(
      'DW_DATASET_INVALID_OPTION',
      `option ${name} must be [low, high] with finite low < high, got ${JSON.stringify(range)}`,
    );
  }
  return [low, high];
}

function resolveShift(
  shift: Readonly<Partial<Record<SeaFeatureName, number>>> | undefined,
  name: string,
): SeaFeatures {
  if (shift === undefined) return NO_SHIFT;
  if (typeof shift !== 'object' || Array.isArray(shift)) {
    throw new DatasetError('DW_DATASET_INVALID_OPTION', `option ${name} must be an object`);
  }
  for (const key of Object.keys(shift)) {
    if (!(seaFeatureNames as readonly string[]).includes(key)) {
      throw new DatasetError(
        'DW_DATASET_INVALID_OPTION',
        `option ${name} names unknown feature ${JSON.stringify(key)} (SEA has x1, x2, x3)`,
      );
    }
  }
  return {
    x1: option.finite(shift.x1 ?? 0, `${name}.x1`),
    x2: option.finite(shift.x2 ?? 0, `${name}.x2`),
    x3: option.finite(shift.x3 ?? 0, `${name}.x3`),
  };
}
