import { LearnError } from './errors.js';
import { binaryLabels, requireSameLength } from './input-checks.js';
import { rocAuc } from './roc-auc.js';

/** Holdout metrics of a binary classifier, as plain data. */
export interface BinaryClassifierMetrics {
  readonly count: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** NaN when the labels hold one class only (no pair to rank). */
  readonly rocAuc: number;
  readonly logLoss: number;
}

/** The clip scikit-learn applies before taking logs: float64 machine epsilon. */
const LOG_LOSS_EPSILON = Number.EPSILON;

/**
 * Accuracy, precision, recall and F1 at `threshold` (a probability at or above it predicts 1, as
 * the inference service does), ROC AUC and log-loss of `probabilities` against 0/1 `labels`.
 *
 * Equal to scikit-learn's `accuracy_score`, `precision_score`, `recall_score`, `f1_score` (with
 * `zero_division` giving 0: no predicted positives → precision 0, no actual positives → recall 0),
 * `roc_auc_score` (tied scores count half, via average ranks) and `log_loss(labels=[0, 1])`
 * (probabilities clipped to [ε, 1 − ε], ε = 2⁻⁵²); checked on golden vectors to 1e-12.
 * `rocAuc` is NaN with one class only, where scikit-learn warns and returns NaN.
 *
 * @example
 * ```ts
 * const metrics = evaluateBinaryClassifier([0, 0, 1, 1, 1], [0.1, 0.6, 0.6, 0.8, 0.4]);
 * metrics.accuracy; // => 0.6
 * metrics.precision; // => 0.6666666666666666
 * metrics.recall; // => 0.6666666666666666
 * metrics.rocAuc; // => 0.75
 * metrics.logLoss; // => 0.5343822308972673
 * ```
 */
export function evaluateBinaryClassifier(
  labels: ArrayLike<number | boolean>,
  probabilities: ArrayLike<number>,
  threshold = 0.5,
): BinaryClassifierMetrics {
  const y = binaryLabels(labels);
  requireSameLength(y, 'labels', probabilities, 'probabilities');
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
    throw new LearnError(
      'DW_LEARN_INVALID_OPTION',
      `option threshold must be in [0, 1], got ${String(threshold)}`,
    );
  }
  const n = y.length;
  if (n === 0)
    throw new LearnError('DW_LEARN_INVALID_INPUT', 'cannot evaluate on an empty holdout');
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = probabilities[i];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new LearnError(
        'DW_LEARN_INVALID_INPUT',
        `probabilities[${i}] must be in [0, 1], got ${String(value)}`,
      );
    }
    p[i] = value;
  }

  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  let logLossSum = 0;
  for (let i = 0; i < n; i++) {
    const actual = y[i] === 1;
    const probability = p[i] ?? 0;
    const predicted = probability >= threshold;
    if (predicted && actual) truePositives++;
    else if (predicted) falsePositives++;
    else if (actual) falseNegatives++;
    const clipped = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, probability));
    logLossSum -= actual ? Math.log(clipped) : Math.log(1 - clipped);
  }
  const correct = n - falsePositives - falseNegatives;
  const precision =
    truePositives + falsePositives === 0 ? 0 : truePositives / (truePositives + falsePositives);
  const recall =
    truePositives + falseNegatives === 0 ? 0 : truePositives / (truePositives + falseNegatives);
  const f1Denominator = 2 * truePositives + falsePositives + falseNegatives;
  return {
    count: n,
    accuracy: correct / n,
    precision,
    recall,
    f1: f1Denominator === 0 ? 0 : (2 * truePositives) / f1Denominator,
    rocAuc: rocAuc(y, p),
    logLoss: logLossSum / n,
  };
}
