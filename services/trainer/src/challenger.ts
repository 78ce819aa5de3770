import type { BinaryClassifierMetrics, ClassifierMetrics } from '@driftwatch/learn';
import type { SingleOutputKind } from '@driftwatch/model';
import type { ModelVersion } from '@driftwatch/topics';

/**
 * A model that may replace the champion, whichever way it was trained (a built-in family or the
 * user's training program): everything the version needs besides the decision and the lineage.
 */
export interface Challenger {
  onnx: Uint8Array;
  sha256: string;
  /** In the model's input order. */
  featureNames: readonly string[];
  /** How its single [N, 1] output reads, pinned so every service reads it alike; null for [N, K]. */
  outputKind: SingleOutputKind | null;
  /** Its training rows' features and its own outputs on them, for the detector. */
  reference: ModelVersion['reference'];
  /** `evaluateBinaryClassifier` at the version's threshold for two classes, else `evaluateClassifier`. */
  holdoutMetrics: BinaryClassifierMetrics | ClassifierMetrics;
  /** Per holdout row, whether it was right: McNemar's test pairs it with the champion's. */
  holdoutCorrect: boolean[];
}
