import { DriftError } from '../errors.js';
import type { Random } from '../random.js';
import { option } from '../errors.js';

/** How one concept gives way to the next. `stationary` has no change: a control for false alarms. */
export type StreamFamily = 'abrupt' | 'gradual' | 'incremental' | 'stationary';

/** `real`: Gaussian values whose mean changes. `binary`: 0/1 classifier errors whose rate rises. */
export type StreamKind = 'real' | 'binary';

export interface SyntheticStreamOptions {
  family: StreamFamily;
  kind: StreamKind;
  /** Seeded source of every draw, e.g. `mulberry32(seed)`. */
  random: Random;
  /** Elements in the stream. Default 20 000. */
  length?: number;
  /** Elements between the starts of consecutive changes; the first is at this index. Default 5 000. */
  changeEvery?: number;
  /** Elements a gradual or incremental change takes. Default 1 000; abrupt changes take 0. */
  transitionWidth?: number;
  /** `real`: the mean alternates between 0 and this (σ = 1). Default 1. */
  meanShift?: number;
  /** `binary`: error rate of the first concept. Default 0.1. */
  baseErrorRate?: number;
  /** `binary`: how much each change raises the error rate. Default 0.1. */
  errorRateStep?: number;
}

export interface SyntheticStream {
  family: StreamFamily;
  kind: StreamKind;
  values: number[];
  /** 0-based indices where each change starts (the first element of its transition). */
  changePoints: number[];
  /** Elements each change takes to complete: 0 for abrupt ones. */
  transitionWidth: number;
}

/**
 * A seeded stream with known change points, for scoring detectors (`scoreDetections`).
 *
 * Concept k (k = 0 before the first change) is N(μₖ, 1) with μₖ alternating 0, `meanShift`, 0, …
 * for `real` streams, and errors at rate `baseErrorRate + k·errorRateStep` for `binary` ones (rates
 * only rise: an error-rate detector need not flag a model getting better). Changes start every
 * `changeEvery` elements and are:
 * - `abrupt`: concept k replaces k − 1 at once;
 * - `gradual`: over `transitionWidth` elements each element comes from concept k with a probability
 *   rising linearly from 0 to 1, else from k − 1 (the two concepts interleave);
 * - `incremental`: over `transitionWidth` elements the mean or error rate itself moves linearly;
 * - `stationary`: never (concept 0 throughout, `changePoints` empty).
 *
 * Pure: the same `random` sequence gives the same stream.
 *
 * @example
 * ```ts
 * const stream = syntheticStream({
 *   family: 'gradual',
 *   kind: 'binary',
 *   random: mulberry32(1),
 *   length: 12,
 *   changeEvery: 4,
 *   transitionWidth: 2,
 *   baseErrorRate: 0.2,
 *   errorRateStep: 0.3,
 * });
 * stream.changePoints; // => [4, 8]
 * stream.values; // => [0, 1, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1]
 * ```
 */
export function syntheticStream(options: SyntheticStreamOptions): SyntheticStream {
  const { family, kind, random } = options;
  if (!families.includes(family)) {
    throw new DriftError(
      'DW_DRIFT_INVALID_OPTION',
      `option family must be one of ${families.join(', ')}`,
    );
  }
  if (!kinds.includes(kind)) {
    throw new DriftError(
      'DW_DRIFT_INVALID_OPTION',
      `option kind must be one of ${kinds.join(', ')}`,
    );
  }
  const length = option.positiveInteger(options.length ?? 20_000, 'length');
  const changeEvery = option.positiveInteger(options.changeEvery ?? 5_000, 'changeEvery');
  const transitionWidth =
    family === 'abrupt' || family === 'stationary'
      ? 0
      : option.nonNegativeInteger(options.transitionWidth ?? 1_000, 'transitionWidth');
  if (transitionWidth > changeEvery) {
    throw new DriftError(
      'DW_DRIFT_INVALID_OPTION',
      `option transitionWidth (${transitionWidth}) must not exceed changeEvery (${changeEvery})`,
    );
  }
  const meanShift = option.finite(options.meanShift ?? 1, 'meanShift');
  const baseErrorRate = option.inOpenInterval(options.baseErrorRate ?? 0.1, 'baseErrorRate', 0, 1);
  const errorRateStep = option.finite(options.errorRateStep ?? 0.1, 'errorRateStep');

  const changePoints: number[] = [];
  if (family !== 'stationary') {
    for (let at = changeEvery; at < length; at += changeEvery) changePoints.push(at);
  }
  const lastRate = baseErrorRate + changePoints.length * errorRateStep;
  if (kind === 'binary' && !(errorRateStep >= 0 && lastRate <= 1)) {
    throw new DriftError(
      'DW_DRIFT_INVALID_OPTION',
      `options baseErrorRate and errorRateStep must keep every error rate in [0, 1], the last is ${lastRate}`,
    );
  }

  /** The mean (real) or error rate (binary) of concept k. */
  const parameter = (concept: number): number =>
    kind === 'real' ? (concept % 2 === 0 ? 0 : meanShift) : baseErrorRate + concept * errorRateStep;
  const draw = (value: number): number =>
    kind === 'real' ? value + standardNormal(random) : random() < value ? 1 : 0;

  const values = new Array<number>(length);
  for (let i = 0; i < length; i++) {
    const concept = family === 'stationary' ? 0 : Math.floor(i / changeEvery);
    const progress =
      concept === 0 ? 1 : transitionWidth === 0 ? 1 : (i - concept * changeEvery) / transitionWidth;
    const current = parameter(concept);
    if (progress >= 1) {
      values[i] = draw(current);
    } else if (family === 'gradual') {
      values[i] = draw(random() < progress ? current : parameter(concept - 1));
    } else {
      const previous = parameter(concept - 1);
      values[i] = draw(previous + (current - previous) * progress);
    }
  }
  return { family, kind, values, changePoints, transitionWidth };
}

const families: readonly StreamFamily[] = ['abrupt', 'gradual', 'incremental', 'stationary'];
const kinds: readonly StreamKind[] = ['real', 'binary'];

/** Box–Muller: one standard normal draw from two uniforms (1 − u keeps the logarithm finite). */
function standardNormal(random: Random): number {
  const radius = Math.sqrt(-2 * Math.log(1 - random()));
  return radius * Math.cos(2 * Math.PI * random());
}
