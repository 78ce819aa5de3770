import { LearnError } from './errors.js';
import { classLabels, requireClassCount } from './input-checks.js';
import { rocAuc } from './roc-auc.js';

/** Holdout metrics of a classifier over K ≥ 2 classes, as plain data. */
export interface ClassifierMetrics {
  readonly count: number;
  readonly classCount: number;
  /** Share of rows whose most probable class is the label. */
  readonly accuracy: number;
  /** Macro averages over the classes that occur as a label or a prediction (see below). */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Macro average of each class's one-vs-rest ROC AUC; NaN when a class has no row. */
  readonly rocAuc: number;
  readonly logLoss: number;
  /** Recall of each class `0 … K − 1`; NaN for a class with no row (nothing to recall). */
  readonly classRecall: readonly number[];
}

/** The clip scikit-learn applies before taking logs: float64 machine epsilon. */
const LOG_LOSS_EPSILON = Number.EPSILON;

/**
 * Accuracy, macro precision/recall/F1, one-vs-rest macro ROC AUC, per-class recall and log-loss
 * of row-major class `probabilities` (`labels.length × classCount`, row i's class k at
 * `i·classCount + k`, as `predictClassProbabilities` and `OnnxScorer.scoreProbabilities` give them)
 * against class indices `labels` in `0 … classCount − 1`. A row predicts its most probable class,
 * the lowest index on a tie (numpy's `argmax`, as inference does).
 *
 * Equal, on golden vectors to 1e-12, to scikit-learn's `accuracy_score`,
 * `precision_recall_fscore_support(average='macro', zero_division=0)` (the average runs over the
 * classes present in the labels or the predictions, scikit-learn's default; a class never
 * predicted has precision 0, one never a label recall 0), `recall_score(labels=range(K),
 * average=None, zero_division=nan)`, `roc_auc_score(multi_class='ovr', average='macro',
 * labels=range(K))` (NaN as soon as one class has no row or every row, where its AUC is
 * undefined) and `log_loss(labels=range(K))` (the label's probability clipped to [ε, 1 − ε],
 * ε = 2⁻⁵², rows not renormalized). Probabilities must lie in [0, 1]; rows need not sum to exactly
 * 1 (a float32 ONNX output does not).
 *
 * @example
 * ```ts
 * const metrics = evaluateClassifier(
 *   [0, 1, 2, 2],
 *   [0.7, 0.2, 0.1, 0.3, 0.4, 0.3, 0.2, 0.2, 0.6, 0.5, 0.1, 0.4],
 *   3,
 * );
 * metrics.accuracy; // => 0.75
 * metrics.classRecall; // => [1, 1, 0.5]
 * metrics.precision; // => 0.8333333333333334
 * metrics.f1; // => 0.7777777777777777
 * metrics.rocAuc; // => 1
 * metrics.logLoss; // => 0.6750205078632583
 * ```
 */
export function evaluateClassifier(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  classCount: number,
): ClassifierMetrics {
  const classes = requireClassCount(classCount, 2);
  const y = classLabels(labels, classes);
  const n = y.length;
  if (n === 0) {
    throw new LearnError('DW_LEARN_INVALID_INPUT', 'cannot evaluate on an empty holdout');
  }
  if (probabilities.length !== n * classes) {
    throw new LearnError(
      'DW_LEARN_INVALID_INPUT',
      `probabilities must hold labels.length × classCount = ${n} × ${classes} = ${n * classes} values, got ${probabilities.length}`,
    );
  }
  const p = new Float64Array(n * classes);
  for (let index = 0; index < p.length; index++) {
    const value = probabilities[index];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new LearnError(
        'DW_LEARN_INVALID_INPUT',
        `probabilities[${index}] (row ${Math.floor(index / classes)}, class ${index % classes}) must be in [0, 1], got ${String(value)}`,
      );
    }
    p[index] = value;
  }

  const truePositives = new Array<number>(classes).fill(0);
  const actual = new Array<number>(classes).fill(0);
  const predicted = new Array<number>(classes).fill(0);
  let logLossSum = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) {
      if ((p[i * classes + k] ?? 0) > (p[i * classes + best] ?? 0)) best = k;
    }
    const label = y[i] ?? 0;
    actual[label] = (actual[label] ?? 0) + 1;
    predicted[best] = (predicted[best] ?? 0) + 1;
    if (best === label) truePositives[label] = (truePositives[label] ?? 0) + 1;
    const probability = p[i * classes + label] ?? 0;
    logLossSum -= Math.log(Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, probability)));
  }

  let correct = 0;
  let averaged = 0;
  let precisionSum = 0;
  let recallSum = 0;
  let f1Sum = 0;
  const classRecall: number[] = [];
  for (let k = 0; k < classes; k++) {
    const tp = truePositives[k] ?? 0;
    const rows = actual[k] ?? 0;
    const predictions = predicted[k] ?? 0;
    correct += tp;
    classRecall.push(rows === 0 ? NaN : tp / rows);
    if (rows === 0 && predictions === 0) continue;
    averaged++;
    precisionSum += predictions === 0 ? 0 : tp / predictions;
    recallSum += rows === 0 ? 0 : tp / rows;
    // 2·TP / (2·TP + FP + FN), and 2·TP + FP + FN = rows + predictions > 0 here.
    f1Sum += (2 * tp) / (rows + predictions);
  }

  let aucSum = 0;
  const isClass = new Float64Array(n);
  const column = new Float64Array(n);
  for (let k = 0; k < classes; k++) {
    for (let i = 0; i < n; i++) {
      isClass[i] = y[i] === k ? 1 : 0;
      column[i] = p[i * classes + k] ?? 0;
    }
    aucSum += rocAuc(isClass, column);
  }

  return {
    count: n,
    classCount: classes,
    accuracy: correct / n,
    precision: precisionSum / averaged,
    recall: recallSum / averaged,
    f1: f1Sum / averaged,
    rocAuc: aucSum / classes,
    logLoss: logLossSum / n,
    classRecall,
  };
}
