import { mulberry32 } from '@driftwatch/drift';

import {
  drawOrientationSample,
  orientationDefaults,
  postureSampler,
  type OrientationSample,
} from './orientation-stream.js';
import { option } from './errors.js';

export interface OrientationGoldenSetOptions {
  /** Picks the set; the generator is seeded apart from `orientationStream`'s. Default 1. */
  readonly seed?: number;
  /** Rows in the set. Default 2,000. */
  readonly size?: number;
  /** Push-up share, in [0, 1]. Default 0.35, the production mix of `orientationStream`. */
  readonly pushUpShare?: number;
  /** Probability that a label is flipped, in [0, 1]. Default 0: golden labels are the truth. */
  readonly noise?: number;
}

/**
 * Mulberry32's state advances by an odd constant each draw, so `seed + 2³¹` is the state of
 * `mulberry32(seed)` 2³¹ draws on: the golden set reads half the generator's period away from the
 * stream of the same seed, and shares no draw with it below 52 million rows.
 */
const HALF_PERIOD = 0x8000_0000;

/**
 * A fixed, labelled test set for comparing models on the orientation task: `size` rows of the
 * production mix (push-ups `pushUpShare` of them, the other postures in their usual mix), drawn as
 * `orientationStream` draws its rows, from `mulberry32(seed + 2³¹)`: the stream's generator half
 * its period on, so no golden row is a row of the stream with the same seed. Labels are the
 * postures' orientation, unflipped by default: a golden set is where a champion and a challenger
 * are scored against the truth. Rows are indexed 0 … size − 1; the same options give the same rows.
 *
 * Options, all optional: `seed` (1); `size` (2,000); `pushUpShare` (0.35), in [0, 1]; `noise`
 * (0), in [0, 1].
 *
 * @example
 * ```ts
 * const golden = orientationGoldenSet();
 * golden.length; // => 2000
 * golden.filter((row) => row.posture === 'push-up').length; // => 699
 * golden.filter((row) => row.label === 1).length; // => 1017
 * const truth = (row) => orientationPostures[row.posture].orientation;
 * golden.every((row) => truth(row) === orientationClasses[row.label]); // => true
 * ```
 */
export function orientationGoldenSet(
  options: OrientationGoldenSetOptions = {},
): OrientationSample[] {
  const seed = option.safeInteger(options.seed ?? 1, 'seed');
  const size = option.positiveInteger(options.size ?? 2000, 'size');
  const pushUpShare = option.probability(
    options.pushUpShare ?? orientationDefaults.pushUpShareAfter,
    'pushUpShare',
  );
  const noise = option.probability(options.noise ?? 0, 'noise');
  const random = mulberry32(((seed >>> 0) + HALF_PERIOD) >>> 0);
  const posture = postureSampler(pushUpShare);
  return Array.from({ length: size }, (_, index) =>
    drawOrientationSample(random, index, posture, noise),
  );
}
