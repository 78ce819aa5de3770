import { LearnError, option } from './errors.js';
import {
  classLabels,
  flattenRows,
  requireClassCount,
  requireFeatureNames,
  requireSameLength,
  type FeatureRows,
} from './input-checks.js';
import { predictClasses } from './predict-classes.js';
import { trainModel, type TrainModelOptions } from './train-model.js';
import { modelFamilies, type ModelFamily, type TrainedModel } from './trained-model.js';

/** When a periodic baseline retrains, and on what. */
export interface PeriodicRetraining {
  /** Stream rows between retrains (default 1,000). */
  readonly every?: number;
  /** The most recent rows seen, reference included, that each retrain learns from (default 5,000). */
  readonly window?: number;
}

export interface PrequentialBaselineOptions {
  readonly family: ModelFamily;
  /** Passed to `trainModel` for every fit; the trainer service's, for a fair comparison. */
  readonly trainOptions?: TrainModelOptions;
  /** Classes the labels index (default 2). */
  readonly classCount?: number;
  /** Column order of every row, reference and stream alike. */
  readonly featureNames: readonly string[];
  /** What the first model learns from; it also opens the history the first retrains window over. */
  readonly reference: { readonly rows: FeatureRows; readonly labels: ArrayLike<number> };
  /** The rows scored, in arrival order; must not be empty. */
  readonly stream: { readonly rows: FeatureRows; readonly labels: ArrayLike<number> };
  /** Retrain periodically; without it the reference model scores the whole stream. */
  readonly retrain?: PeriodicRetraining;
}

export interface PrequentialBaselineResult {
  /** Share of stream rows predicted right. */
  readonly accuracy: number;
  /** Per stream row, whether the model current at that row predicted its label. */
  readonly correct: boolean[];
  /** Models trained after the reference one. */
  readonly retrains: number;
  /** Retrain points whose window lacked a class, where the previous model was kept. */
  readonly skippedRetrains: number;
}

/**
 * Scores an offline baseline on a labeled stream prequentially (test-then-train): each row is
 * predicted by the model current at that row and only then joins the history. These are the
 * yardsticks a closed loop is judged against, so they train with the project's own `trainModel`,
 * not a look-alike:
 * - without `retrain`, **never retrained**: one model, trained on the reference rows;
 * - with `retrain`, **periodic retraining**: before stream row i for every i = k·`every` (k ≥ 1,
 *   i < stream length) a new model is trained on the last `window` rows of reference ++ stream
 *   rows 0 … i − 1, so `retrains + skippedRetrains` = ⌊(n − 1) / every⌋ for n stream rows (a
 *   retrain after the last row would score nothing, so it is not run). Until the first retrain the
 *   reference model scores, so the first `every` rows are scored exactly as never retrained.
 *
 * A row predicts class 1 when P(class 1) ≥ 0.5 (the threshold a new version serves at), and with
 * three or more classes its most probable class, the lowest index on a tie (as inference does).
 *
 * Pass `trainOptions` as the trainer service builds them (services/trainer/src/main.ts, defaults
 * in services/trainer/src/config.ts): `{ logistic: { l2: 1e-4 }, mlp: { l2: 1e-4, hiddenUnits: 16,
 * epochs: 30, seed: 42 } }` (TRAINER_L2, TRAINER_MLP_HIDDEN_UNITS, TRAINER_MLP_EPOCHS,
 * TRAINER_SEED) — not `trainModel`'s own defaults (100 epochs, seed 0) — so the baseline is the
 * model the loop trains. The trainer fits on all but the newest 20% of its window (its holdout);
 * the baseline fits on the whole window, the best a blind periodic schedule can do. The demo's
 * version 1 is `logistic` with `trainModel`'s defaults whatever the challengers' family
 * (packages/demo/src/closed-loop.ts), so the loop's own never-retrained model is the logistic one.
 *
 * Deterministic: the same input gives the same output, as long as the MLP is seeded (`seed`, not a
 * shared `random`, which advances with every fit). Throws `LearnError`: `DW_LEARN_INVALID_OPTION`
 * for a bad family, class count, `every` or `window`; `DW_LEARN_INVALID_INPUT` for malformed rows,
 * labels or feature names, or an empty stream, all checked before any training; and whatever the
 * reference fit throws.
 *
 * @example
 * ```ts
 * const reference = { rows: [[-2], [-1], [1], [2]], labels: [0, 0, 1, 1] };
 * const stream = { rows: [[-3], [3], [-1], [1], [-2], [2]], labels: [1, 0, 1, 0, 1, 0] };
 * const options = { family: 'logistic', featureNames: ['x'], reference, stream };
 * prequentialBaseline(options).accuracy; // => 0
 * const periodic = prequentialBaseline({ ...options, retrain: { every: 2, window: 2 } });
 * periodic.correct; // => [false, false, true, true, true, true]
 * periodic.retrains; // => 2
 * ```
 *
 * @see João Gama, Raquel Sebastião, Pedro Pereira Rodrigues, "On evaluating stream learning
 * algorithms", Machine Learning 90, 2013 (prequential evaluation).
 */
export function prequentialBaseline(
  options: PrequentialBaselineOptions,
): PrequentialBaselineResult {
  const { family, trainOptions = {}, reference, stream, retrain } = options;
  option.oneOf(family, 'family', modelFamilies);
  const classCount = requireClassCount(options.classCount ?? 2, 2);
  const featureNames = requireFeatureNames(options.featureNames);
  const every = retrain ? option.positiveInteger(retrain.every ?? 1000, 'retrain.every') : null;
  const window = retrain ? option.positiveInteger(retrain.window ?? 5000, 'retrain.window') : 0;
  for (const [name, part] of [
    ['reference', reference],
    ['stream', stream],
  ] as const) {
    if (typeof part !== 'object' || (part as unknown) === null) {
      throw new LearnError('DW_LEARN_INVALID_INPUT', `${name} must be an object { rows, labels }`);
    }
  }
  // Checked up front, so a bad row late in the stream fails now, not after minutes of training.
  const width = featureNames.length;
  flattenRows(reference.rows, width, 'reference.rows');
  flattenRows(stream.rows, width, 'stream.rows');
  requireSameLength(reference.rows, 'reference.rows', reference.labels, 'reference.labels');
  requireSameLength(stream.rows, 'stream.rows', stream.labels, 'stream.labels');
  const referenceLabels = Array.from(classLabels(reference.labels, classCount, 'reference.labels'));
  const streamLabels = Array.from(classLabels(stream.labels, classCount, 'stream.labels'));
  if (stream.rows.length === 0) {
    throw new LearnError('DW_LEARN_INVALID_INPUT', 'stream must hold at least one row');
  }

  const train = (rows: FeatureRows, labels: readonly number[]): TrainedModel =>
    trainModel(family, rows, labels, featureNames, trainOptions, classCount);
  let model = train(reference.rows, referenceLabels);
  const historyRows = [...reference.rows, ...stream.rows];
  const historyLabels = [...referenceLabels, ...streamLabels];
  const count = stream.rows.length;
  const segment = every ?? count;
  const correct: boolean[] = [];
  let retrains = 0;
  let skippedRetrains = 0;
  let right = 0;
  // Rows are predicted independently, so the rows one model scores are one batch.
  for (let start = 0; start < count; start += segment) {
    if (start > 0) {
      const seen = reference.rows.length + start;
      const from = Math.max(0, seen - window);
      try {
        model = train(historyRows.slice(from, seen), historyLabels.slice(from, seen));
        retrains++;
      } catch (error) {
        // A window holding one class (or, multiclass, lacking one) is a property of the data, not
        // a bug: a periodic retrainer has nothing new to learn, so the previous model serves on.
        if (
          !(error instanceof LearnError) ||
          (error.code !== 'DW_LEARN_ONE_CLASS' && error.code !== 'DW_LEARN_MISSING_CLASS')
        ) {
          throw error;
        }
        skippedRetrains++;
      }
    }
    const end = Math.min(count, start + segment);
    const predicted = predictClasses(model, stream.rows.slice(start, end));
    for (let i = start; i < end; i++) {
      const hit = predicted[i - start] === streamLabels[i];
      correct.push(hit);
      if (hit) right++;
    }
  }
  return { accuracy: right / count, correct, retrains, skippedRetrains };
}
