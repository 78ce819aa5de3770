import { DriftError, type DriftErrorCode } from './errors.js';
import type { JsonNumber } from './json-number.js';
import { RollingRocAuc } from './rolling-roc-auc.js';
import { StateReader } from './state-reader.js';
import { requireFinite } from './input-checks.js';
import { option } from './errors.js';

/** A class label as the model and the ground truth name it; labels are compared with `===`. */
export type ClassLabel = string | number;

export interface ScoredOutcome {
  /** The true class, once it is known. */
  label: ClassLabel;
  /** The class the model predicted. */
  predicted: ClassLabel;
  /** The model's score for the positive class (any finite number: a probability, a logit…). */
  score: number;
}

export interface WindowedClassificationMetricsOptions {
  /** Number of most recent labeled predictions the metrics cover. Required. */
  window: number;
  /** The class that precision, recall, F1 and ROC AUC treat as positive. Required. */
  positiveLabel: ClassLabel;
}

/** Every metric of a {@link WindowedClassificationMetrics} at one moment, as plain data. */
export interface ClassificationMetricsSnapshot {
  count: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number;
}

/**
 * The plain-JSON snapshot of a {@link WindowedClassificationMetrics} (`toJSON`,
 * `WindowedClassificationMetrics.fromJSON`): the options and the window's predictions, oldest
 * first, reduced to what the metrics read.
 */
export interface WindowedClassificationMetricsState {
  window: number;
  positiveLabel: ClassLabel;
  /**
   * One per prediction: 1 if its label is `positiveLabel`, plus 2 if the prediction is, plus 4 if
   * label and prediction are equal. So 0 (wrong, neither positive), 1 (false negative), 2 (false
   * positive), 4 (true negative) or 7 (true positive).
   */
  outcomes: number[];
  /** The predictions' scores, in the same order. */
  scores: JsonNumber[];
}

const ACTUAL_POSITIVE = 1;
const PREDICTED_POSITIVE = 2;
const CORRECT = 4;
/** The outcomes that can happen: a correct prediction is positive exactly when its label is. */
const POSSIBLE_OUTCOMES: readonly number[] = [0, 1, 2, 4, 7];

/**
 * Accuracy, precision, recall, F1 and ROC AUC of a classifier over its last `window` labeled
 * predictions, each update O(log window). Memory is allocated once, at construction: about 75
 * bytes per slot of the window.
 *
 * The values equal scikit-learn's on the same window: `accuracy_score(y, p)`,
 * `precision_score` / `recall_score` / `f1_score(y, p, pos_label=positiveLabel)` and
 * `roc_auc_score(y == positiveLabel, score)`. Accuracy counts exact label matches; the other four
 * are one-vs-rest for `positiveLabel`, so on a multiclass stream they equal scikit-learn on the
 * binarized labels (where scikit-learn's binary average would refuse the input).
 *
 * Where a metric is undefined:
 * - `accuracy` is NaN on an empty window (scikit-learn raises on empty input).
 * - `precision` is 0 with no predicted positives, `recall` 0 with no actual positives, `f1` 0
 *   with neither: scikit-learn's default `zero_division="warn"` returns the same 0 (and warns).
 * - `rocAuc` is NaN while the window lacks a positive or a negative label; recent scikit-learn
 *   returns NaN with a warning, versions up to 1.5 raise. NaN becomes `null` in JSON.
 *
 * Options: `window` (required, positive integer), `positiveLabel` (required, a string or a finite
 * number; `1` and `'1'` are different labels).
 *
 * `toJSON()` snapshots the window as plain JSON ({@link WindowedClassificationMetricsState});
 * `WindowedClassificationMetrics.fromJSON` replays it to continue exactly as if it had never
 * stopped.
 *
 * @example
 * ```ts
 * const random = mulberry32(7);
 * const metrics = new WindowedClassificationMetrics({ window: 100, positiveLabel: 'fraud' });
 * for (let i = 0; i < 250; i++) {
 *   const fraud = random() < 0.3;
 *   const score = Math.round(((fraud ? 0.3 : 0) + 0.7 * random()) * 10) / 10;
 *   const label = fraud ? 'fraud' : 'legit';
 *   metrics.update({ label, predicted: score >= 0.5 ? 'fraud' : 'legit', score });
 * }
 * metrics.count; // => 100
 * metrics.accuracy; // => 0.65
 * metrics.precision; // => 0.45901639344262296
 * metrics.recall; // => 0.9333333333333333
 * metrics.f1; // => 0.6153846153846154
 * metrics.rocAuc; // => 0.8688095238095238
 * ```
 *
 * @see {@link RollingRocAuc} for the AUC structure.
 */
export class WindowedClassificationMetrics {
  readonly window: number;
  readonly positiveLabel: ClassLabel;
  readonly #rocAuc: RollingRocAuc;
  /** The window as a ring buffer of ACTUAL_POSITIVE | PREDICTED_POSITIVE | CORRECT bits. */
  readonly #outcomes: Uint8Array;
  #next = 0;
  #count = 0;
  #correct = 0;
  #truePositives = 0;
  #falsePositives = 0;
  #falseNegatives = 0;

  constructor({ window, positiveLabel }: WindowedClassificationMetricsOptions) {
    this.window = option.positiveInteger(window, 'window');
    this.positiveLabel = requireLabel(
      positiveLabel,
      'option positiveLabel',
      'DW_DRIFT_INVALID_OPTION',
    );
    this.#rocAuc = new RollingRocAuc({ window });
    this.#outcomes = new Uint8Array(window);
  }

  /** Number of labeled predictions in the window (at most `window`). */
  get count(): number {
    return this.#count;
  }

  /** Share of predictions equal to their label; NaN on an empty window. */
  get accuracy(): number {
    return this.#count === 0 ? NaN : this.#correct / this.#count;
  }

  /** TP / (TP + FP); 0 when nothing was predicted positive. */
  get precision(): number {
    const predictedPositives = this.#truePositives + this.#falsePositives;
    return predictedPositives === 0 ? 0 : this.#truePositives / predictedPositives;
  }

  /** TP / (TP + FN); 0 when no label is positive. */
  get recall(): number {
    const actualPositives = this.#truePositives + this.#falseNegatives;
    return actualPositives === 0 ? 0 : this.#truePositives / actualPositives;
  }

  /** 2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall; 0 when both are 0/0. */
  get f1(): number {
    const denominator = 2 * this.#truePositives + this.#falsePositives + this.#falseNegatives;
    return denominator === 0 ? 0 : (2 * this.#truePositives) / denominator;
  }

  /** ROC AUC of `score` against `label === positiveLabel`; NaN while one class is missing. */
  get rocAuc(): number {
    return this.#rocAuc.value;
  }

  snapshot(): ClassificationMetricsSnapshot {
    return {
      count: this.count,
      accuracy: this.accuracy,
      precision: this.precision,
      recall: this.recall,
      f1: this.f1,
      rocAuc: this.rocAuc,
    };
  }

  /**
   * Revives the metrics from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`): the
   * window is replayed, oldest first, into fresh metrics.
   */
  static fromJSON(state: WindowedClassificationMetricsState): WindowedClassificationMetrics {
    const reader = new StateReader('WindowedClassificationMetrics', state);
    const metrics = reader.build(
      () =>
        new WindowedClassificationMetrics({
          window: reader.finite('window'),
          positiveLabel: reader.raw('positiveLabel') as ClassLabel,
        }),
    );
    const outcomes = reader.integers('outcomes', 0, 7);
    const scores = reader.doubles('scores', true);
    reader.require(
      outcomes.length === scores.length && scores.length <= metrics.window,
      `outcomes and scores must have the same length, at most window (${metrics.window})`,
    );
    outcomes.forEach((outcome, i) => {
      reader.require(
        POSSIBLE_OUTCOMES.includes(outcome),
        `outcomes[${i}] must be one of ${POSSIBLE_OUTCOMES.join(', ')}, got ${outcome}`,
      );
      metrics.#record(outcome, scores[i] as number);
    });
    return metrics;
  }

  /** The window as plain JSON (see {@link WindowedClassificationMetricsState}), for `fromJSON`. */
  toJSON(): WindowedClassificationMetricsState {
    const outcomes: number[] = [];
    const oldest = this.#count === this.window ? this.#next : 0;
    for (let i = 0; i < this.#count; i++) {
      outcomes.push(this.#outcomes[(oldest + i) % this.window] as number);
    }
    // The AUC's window holds the same predictions in the same order.
    const { scores } = this.#rocAuc.toJSON();
    return { window: this.window, positiveLabel: this.positiveLabel, outcomes, scores };
  }

  update({ label, predicted, score }: ScoredOutcome): void {
    requireLabel(label, 'label', 'DW_DRIFT_INVALID_INPUT');
    requireLabel(predicted, 'predicted', 'DW_DRIFT_INVALID_INPUT');
    requireFinite(score, 'score');
    this.#record(
      (label === this.positiveLabel ? ACTUAL_POSITIVE : 0) |
        (predicted === this.positiveLabel ? PREDICTED_POSITIVE : 0) |
        (label === predicted ? CORRECT : 0),
      score,
    );
  }

  #record(outcome: number, score: number): void {
    if (this.#count === this.window) this.#tally(this.#outcomes[this.#next] as number, -1);
    else this.#count++;
    this.#tally(outcome, 1);
    this.#outcomes[this.#next] = outcome;
    this.#next = this.#next + 1 === this.window ? 0 : this.#next + 1;
    this.#rocAuc.update((outcome & ACTUAL_POSITIVE) !== 0, score);
  }

  /** Adds (`sign` +1) or removes (−1) one outcome from the confusion counts. */
  #tally(outcome: number, sign: 1 | -1): void {
    if (outcome & CORRECT) this.#correct += sign;
    switch (outcome & (ACTUAL_POSITIVE | PREDICTED_POSITIVE)) {
      case ACTUAL_POSITIVE | PREDICTED_POSITIVE:
        this.#truePositives += sign;
        break;
      case PREDICTED_POSITIVE:
        this.#falsePositives += sign;
        break;
      case ACTUAL_POSITIVE:
        this.#falseNegatives += sign;
        break;
    }
  }
}

function requireLabel(value: unknown, what: string, code: DriftErrorCode): ClassLabel {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
    return value;
  }
  throw new DriftError(
    code,
    `${what} must be a string or a finite number, got ${typeof value === 'number' ? String(value) : typeof value}`,
  );
}
