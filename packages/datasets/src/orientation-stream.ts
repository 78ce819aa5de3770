import { categoricalSampler, mulberry32, type Random } from '@driftwatch/drift';

import { DatasetError } from './errors.js';
import {
  drawPose,
  orientationClasses,
  orientationPostures,
  type OrientationFeatures,
  type OrientationPosture,
} from './orientation-postures.js';
import type { StreamRow } from './stream-row.js';
import { option } from './errors.js';

/** One labelled picture: the key points, the class (0 vertical, 1 horizontal) and the posture. */
export interface OrientationSample extends StreamRow {
  readonly features: OrientationFeatures;
  /** The posture drawn; the label is its orientation unless the label noise flipped it. */
  readonly posture: OrientationPosture;
}

export interface OrientationRow extends OrientationSample {
  /** Which stretch between drifts the row is in: 0 before the first drift, k after the k-th. */
  readonly segment: number;
}

export interface OrientationStreamOptions {
  /** Seed of the `mulberry32` generator every draw comes from. Default 1. */
  readonly seed?: number;
  /** Rows in the stream. Default 20,000. */
  readonly length?: number;
  /** Rows where the push-up share steps up, increasing in (0, length). Default the middle. */
  readonly drifts?: readonly number[];
  /** Push-up share before the first drift, in [0, 1]. Default 0.003. */
  readonly pushUpShareBefore?: number;
  /** Push-up share after the last drift, in [0, 1]. Default 0.35. */
  readonly pushUpShareAfter?: number;
  /** Probability that a row's label is flipped, in [0, 1]. Default 0.01. */
  readonly noise?: number;
}

/** An orientation stream: iterate it (as often as you like; every pass yields the same rows). */
export interface OrientationStream extends Iterable<OrientationRow> {
  readonly seed: number;
  readonly length: number;
  readonly noise: number;
  /** Known change positions: where each segment after the first starts. */
  readonly drifts: readonly number[];
  /** The push-up share of each segment: `drifts.length + 1` of them. */
  readonly pushUpShares: readonly number[];
}

/** What `orientationStream` defaults to: the reference mix, the production mix, the label noise. */
export const orientationDefaults = {
  length: 20_000,
  pushUpShareBefore: 0.003,
  pushUpShareAfter: 0.35,
  noise: 0.01,
} as const;

const postureNames = Object.keys(orientationPostures) as OrientationPosture[];

/**
 * A posture from two draws, both always made: whether the row is a push-up (below `pushUpShare`),
 * then which common posture it is otherwise. With two draws rather than one categorical, raising
 * the share only turns some rows into push-ups; every other row keeps its posture.
 */
export function postureSampler(pushUpShare: number): (random: Random) => OrientationPosture {
  const common = categoricalSampler(
    postureNames.map((name) => orientationPostures[name].commonShare),
  );
  return (random) => {
    const pushUp = random() < pushUpShare;
    const posture = postureNames[common(random)] ?? 'standing';
    return pushUp ? 'push-up' : posture;
  };
}

/**
 * One row from `random`, always the same number of draws: posture, the picture (`drawPose`),
 * then the noise draw (the label flipped when it is below `noise`).
 */
export function drawOrientationSample(
  random: Random,
  index: number,
  posture: (random: Random) => OrientationPosture,
  noise: number,
): OrientationSample {
  const drawn = posture(random);
  const features = drawPose(drawn, random);
  const clean = orientationClasses.indexOf(orientationPostures[drawn].orientation) as 0 | 1;
  const label = random() < noise ? ((1 - clean) as 0 | 1) : clean;
  return { index, features, label, posture: drawn };
}

/**
 * A stream of body key points labelled by the body's orientation, in which a rare posture becomes
 * common: the 17 COCO key points of one person (34 features `nose_x, nose_y, …, right_ankle_y`,
 * `orientationFeatureNames`) in the person's square crop (x right, y down, in [0, 1]), as a
 * person detector hands them to a pose classifier, label 1 when the body lies horizontal and 0 when
 * it is upright (`orientationClasses`). Each row is a posture's template mirrored, rolled a little,
 * jittered per key point and cropped (see `drawPose`): standing, walking, sitting, crouching,
 * kneeling and sitting on the floor are vertical; lying on the back, on the side, and the push-up
 * horizontal.
 *
 * The drift is a subpopulation that grows: push-ups are `pushUpShareBefore` (0.3%) of the rows up
 * to the first drift and `pushUpShareAfter` (35%) after the last, the other postures keeping their
 * mix in what is left; with several drifts the share climbs in equal steps, segment k having
 * before + (after − before) · k / drifts.length. A posture's label never changes, so this is not
 * concept drift: what moves is where the rows are, and with them the class balance (26% horizontal
 * before, 51% after, by default). A push-up is seen head-on, the body pointing at the camera: its
 * crop is about square and its axis stands up, as an upright body's does, while its straight arms
 * spread to the floor and its legs show small between them, unlike any common posture. So a model
 * trained on the reference mix gets many push-ups wrong, and they fall where its training rows
 * were sparse: edge cases. Measured with `@driftwatch/learn` over seeds 1–5: a logistic
 * regression trained on a 2,000-row reference (3 to 9 push-ups) scores 99% before the drift, but
 * 8–96% on push-ups after it and 67–98% overall; judged against k-means (k = 20) of such a
 * reference, 98–100% of the push-ups after the drift are edge cases, against 0.5–0.9% of the rows
 * before it (seeds 1–3).
 * `orientation-stream.test.ts` asserts the logistic regression's drop.
 *
 * Options, all optional: `seed` (1); `length` (20,000); `drifts` (`[⌊length / 2⌋]`, none for one
 * row; `[]` for one segment at the reference mix, e.g. a model's training sample), strictly
 * increasing in (0, length); `pushUpShareBefore` (0.003) and `pushUpShareAfter` (0.35), in
 * [0, 1]; `noise` (0.01), the probability that a label is flipped.
 *
 * Every row draws 39 numbers from `mulberry32(seed)`, in order: push-up or not, which other
 * posture, the picture's 36 (mirror, roll, a pair per key point for the jitter), the noise draw. So a row's picture does not depend on `noise`, and streams that differ
 * only in shares or drifts differ only in rows that are a push-up in one and not in the other.
 *
 * @example
 * ```ts
 * const stream = orientationStream({ seed: 1, length: 1000 });
 * stream.drifts; // => [500]
 * stream.pushUpShares; // => [0.003, 0.35]
 * const rows = [...stream];
 * Object.keys(rows[0].features).length; // => 34
 * const pushUps = (segment) =>
 *   rows.filter((row) => row.segment === segment && row.posture === 'push-up').length;
 * [pushUps(0), pushUps(1)]; // => [1, 187]
 * ```
 */
export function orientationStream(options: OrientationStreamOptions = {}): OrientationStream {
  const seed = option.safeInteger(options.seed ?? 1, 'seed');
  const length = option.positiveInteger(options.length ?? orientationDefaults.length, 'length');
  const before = option.probability(
    options.pushUpShareBefore ?? orientationDefaults.pushUpShareBefore,
    'pushUpShareBefore',
  );
  const after = option.probability(
    options.pushUpShareAfter ?? orientationDefaults.pushUpShareAfter,
    'pushUpShareAfter',
  );
  const noise = option.probability(options.noise ?? orientationDefaults.noise, 'noise');
  const drifts = resolveDrifts(
    options.drifts ?? (length > 1 ? [Math.floor(length / 2)] : []),
    length,
  );
  const pushUpShares = Array.from(
    { length: drifts.length + 1 },
    (_, k) => before + (drifts.length === 0 ? 0 : ((after - before) * k) / drifts.length),
  );
  const samplers = pushUpShares.map(postureSampler);

  function* rows(): Generator<OrientationRow> {
    const random = mulberry32(seed);
    let segment = 0;
    for (let index = 0; index < length; index++) {
      while (segment < drifts.length && (drifts[segment] ?? Infinity) <= index) segment++;
      const posture = samplers[segment];
      if (posture === undefined) throw new Error('unreachable: no sampler for a segment');
      yield { ...drawOrientationSample(random, index, posture, noise), segment };
    }
  }

  return { seed, length, noise, drifts, pushUpShares, [Symbol.iterator]: rows };
}

function resolveDrifts(drifts: readonly number[], length: number): number[] {
  const given: unknown = drifts;
  if (!Array.isArray(given)) {
    throw new DatasetError('DW_DATASET_INVALID_OPTION', 'option drifts must be an array');
  }
  return drifts.map((at, k) => {
    const name = `drifts[${k}]`;
    option.positiveInteger(at, name);
    const previous = k === 0 ? 0 : (drifts[k - 1] ?? 0);
    if (at <= previous || at >= length) {
      throw new DatasetError(
        'DW_DATASET_INVALID_OPTION',
        `option ${name} must be in (${previous}, ${length}): drifts strictly increase inside ` +
          `the stream, got ${at}`,
      );
    }
    return at;
  });
}
