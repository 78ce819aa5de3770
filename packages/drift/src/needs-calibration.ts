import { option } from './errors.js';
import { expectedCalibrationError } from './expected-calibration-error.js';
import { requireScoredLabels } from './input-checks.js';
import { IsotonicCalibrator } from './isotonic-calibrator.js';
import { mulberry32, type Random } from './random.js';
import { RollingRocAuc } from './rolling-roc-auc.js';

export interface NeedsCalibrationOptions {
  /** Number of shuffled train/test splits; default 10. */
  splits?: number;
  /** Bins of the expected calibration error; default 10. */
  bins?: number;
  /** Seed of the generator that shuffles the splits; default 42. */
  seed?: number;
}

/** Share of each class held out as the test part of a split, as NannyML's `test_size=0.1`. */
const TEST_SHARE = 0.1;

/**
 * Whether isotonic calibration makes a model's scores better probabilities, decided as NannyML's
 * CBPE decides it (`nannyml.calibration.needs_calibration`):
 *
 * - no, if the labels are all one class (nothing to learn);
 * - no, if the scores separate the classes almost perfectly (ROC AUC > 0.999), where isotonic
 *   regression would only flatten them into 0s and 1s;
 * - otherwise `splits` times, a stratified 90/10 shuffle split: fit an {@link IsotonicCalibrator}
 *   on the 90%, calibrate the 10%. Pool the held-out rows of all splits and compare the
 *   {@link expectedCalibrationError} of their raw and their calibrated scores: yes if calibration
 *   lowers it.
 *
 * The splits are our own, drawn from a seeded {@link mulberry32} (each class shuffled, its first
 * ⌈10%⌉ held out), not NumPy's `RandomState(42)` permutations, so on data where the two errors are
 * close the answer can differ from NannyML's; the CBPE goldens check it agrees on theirs.
 * `labels` are 0/1 (or booleans), `scores` finite numbers, both non-empty and of one length.
 *
 * @example
 * ```ts
 * const random = mulberry32(5);
 * const scores = [];
 * const labels = [];
 * for (let i = 0; i < 2000; i++) {
 *   const score = random();
 *   scores.push(score);
 *   labels.push(random() < score * score ? 1 : 0);
 * }
 * needsCalibration(scores, labels); // => true
 * needsCalibration(scores, scores.map((s) => (s > 0.5 ? 1 : 0))); // => false
 * ```
 */
export function needsCalibration(
  scores: readonly number[],
  labels: readonly (0 | 1 | boolean)[],
  { splits = 10, bins = 10, seed = 42 }: NeedsCalibrationOptions = {},
): boolean {
  option.positiveInteger(splits, 'splits');
  option.positiveInteger(bins, 'bins');
  option.safeInteger(seed, 'seed');
  const targets = requireScoredLabels(scores, labels);

  const auc = new RollingRocAuc({ window: scores.length });
  scores.forEach((score, i) => {
    auc.update(targets[i] === 1, score);
  });
  if (auc.positives === 0 || auc.negatives === 0) return false;
  if (auc.value > 0.999) return false;

  const byClass: number[][] = [[], []];
  targets.forEach((target, i) => byClass[target]?.push(i));
  const random = mulberry32(seed);
  const heldOutScores: number[] = [];
  const heldOutCalibrated: number[] = [];
  const heldOutLabels: (0 | 1)[] = [];
  for (let split = 0; split < splits; split++) {
    const train: number[] = [];
    const test: number[] = [];
    for (const rows of byClass) {
      const shuffled = shuffle(rows, random);
      const held = Math.ceil(TEST_SHARE * shuffled.length);
      test.push(...shuffled.slice(0, held));
      train.push(...shuffled.slice(held));
    }
    const calibrator = IsotonicCalibrator.fit(
      train.map((row) => scores[row] as number),
      train.map((row) => targets[row] as number),
    );
    for (const row of test) {
      heldOutScores.push(scores[row] as number);
      heldOutCalibrated.push(calibrator.calibrate(scores[row] as number));
      heldOutLabels.push(targets[row] as 0 | 1);
    }
  }
  const before = expectedCalibrationError(heldOutScores, heldOutLabels, { bins });
  const after = expectedCalibrationError(heldOutCalibrated, heldOutLabels, { bins });
  return before > after;
}

/** A Fisher–Yates shuffle of a copy of `rows`. */
function shuffle(rows: readonly number[], random: Random): number[] {
  const shuffled = [...rows];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = shuffled[i] as number;
    shuffled[i] = shuffled[j] as number;
    shuffled[j] = swap;
  }
  return shuffled;
}
