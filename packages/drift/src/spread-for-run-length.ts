import { option } from './errors.js';
import { standardNormal, type Random } from './random.js';
import { windowThresholdForRunLength, type RunLengthThreshold } from './run-length-threshold.js';

export interface SpreadForRunLengthOptions {
  /** How many reference chunks the mean and standard deviation were read off. */
  referenceChunks: number;
  /** Rows per reference chunk. */
  chunkSize: number;
  /** Rows per window the rule judges (its tumbling window). */
  window: number;
  /** The target: windows between false alarms, on average; more than 1. */
  windowsPerAlarm: number;
  /** Windows to simulate. */
  windows: number;
  random: Random;
}

/**
 * How many reference standard deviations a window's mean may stray from the reference's mean
 * before a rule that alerts outside mean ± that many σ fires falsely once every `windowsPerAlarm`
 * windows: the budgeted form of NannyML's fixed 3σ (for the mean PCA reconstruction error).
 *
 * The mean and σ are read off a handful of reference chunks, so they are themselves uncertain,
 * and a window of `window` rows spreads less than a chunk of `chunkSize` does. Under the null, a
 * chunk's or a window's mean is normal (the central limit theorem, over hundreds of rows) with a
 * variance inversely proportional to its rows; each simulated window draws its own reference
 * chunks, as the PSI null draws its own reference shares, so the threshold allows for how little
 * a few chunks say. The statistic is scale-free (|window mean − reference mean| / reference σ,
 * σ the population one the rule uses), so no row's error needs to be known. A rule that re-arms
 * after a window back within bounds is what is calibrated. With 4 chunks of 500 rows and windows
 * of 1,000, one false alarm per 1,000 windows needs about 15σ; with 10 chunks, about 4σ; with 20, 3σ.
 *
 * @example
 * ```ts
 * const { threshold } = spreadForRunLength({
 *   referenceChunks: 10, chunkSize: 500, window: 1000, windowsPerAlarm: 100, windows: 20_000,
 *   random: mulberry32(1),
 * });
 * threshold > 2 && threshold < 5; // => true
 * ```
 */
export function spreadForRunLength(options: SpreadForRunLengthOptions): RunLengthThreshold {
  const chunks = option.positiveInteger(options.referenceChunks, 'referenceChunks');
  const chunkSize = option.positiveInteger(options.chunkSize, 'chunkSize');
  const window = option.positiveInteger(options.window, 'window');
  const windows = option.positiveInteger(options.windows, 'windows');
  const { random } = options;
  const windowScale = Math.sqrt(chunkSize / window);
  const values = new Float64Array(windows);
  for (let w = 0; w < windows; w++) {
    let sum = 0;
    let sumOfSquares = 0;
    for (let c = 0; c < chunks; c++) {
      const chunkMean = standardNormal(random);
      sum += chunkMean;
      sumOfSquares += chunkMean * chunkMean;
    }
    const mean = sum / chunks;
    const spread = Math.sqrt(Math.max(0, sumOfSquares / chunks - mean * mean));
    const distance = Math.abs(standardNormal(random) * windowScale - mean);
    // One chunk has no spread: every window is outside mean ± kσ = mean, whatever k.
    values[w] = spread > 0 ? distance / spread : Infinity;
  }
  return windowThresholdForRunLength(values, {
    windowsPerAlarm: options.windowsPerAlarm,
    direction: 'above',
    rearmAt: (threshold) => threshold,
  });
}
