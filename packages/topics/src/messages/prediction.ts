import { z } from 'zod';

import {
  classIndex,
  className,
  defaultBinaryClasses,
  featureValues,
  identifier,
  modelName,
  modelVersionNumber,
  timestampMs,
} from './common.js';

/** A shadow version's prediction of an event, riding on the serving version's prediction. */
export const shadowPredictionSchema = z.object({
  modelVersion: modelVersionNumber,
  /** As the prediction's `score`, for the shadow's own probabilities. */
  score: z.number().min(0).max(1),
  /** The shadow's predicted class, an index into the prediction's `classes`. */
  predicted: classIndex,
});
export type ShadowPrediction = z.infer<typeof shadowPredictionSchema>;

/**
 * Why inference judged an event an edge case: where the version's reference was sparse (the drift
 * package's `EdgeCaseFinder` on the reference's k-means clusters).
 */
export const edgeCaseVerdictSchema = z.object({
  /** The event's nearest reference cluster. */
  cluster: z.number().int().nonnegative(),
  /** Its distance to that cluster's centroid, in standardized units. */
  distance: z.number().nonnegative(),
  /**
   * `far-from-cluster`: farther than the cluster's reference rows mostly are; `grown-cluster`: in a
   * cluster whose share of recent traffic grew well past its reference share.
   */
  rule: z.enum(['far-from-cluster', 'grown-cluster']),
  /** far-from-cluster: the reference distance quantile passed; grown-cluster: the share reached. */
  threshold: z.number().nonnegative(),
});
export type EdgeCaseVerdict = z.infer<typeof edgeCaseVerdictSchema>;

const predictionFields = {
  id: identifier,
  model: modelName,
  modelVersion: modelVersionNumber,
  /** The event's own timestamp. */
  ts: timestampMs,
  scoredAt: timestampMs,
  /**
   * Binary: the model's probability of the positive class (`classes[1]`). Multiclass: the
   * probability of the predicted class, the model's confidence.
   */
  score: z.number().min(0).max(1),
  /** The predicted class, as an index into `classes`. */
  predicted: classIndex,
  /**
   * The scoring version's classes, in the order of `probabilities`. Absent (or empty) only in
   * records written before predictions carried them, which were binary: read them with
   * `predictionClasses`.
   */
  classes: z.array(className).optional(),
  /** Each class's probability, in `classes` order; present exactly when `classes` is. */
  probabilities: z.array(z.number().min(0).max(1)).optional(),
  features: featureValues,
  /**
   * What each shadow version of the model (status `shadow`) predicted for the same event, scored
   * beside the serving version: evidence for promoting it on live labels, never served. Absent or
   * empty when no shadow is on trial, and in records written before shadows.
   */
  shadows: z.array(shadowPredictionSchema).optional(),
  /**
   * Set when the event fell where the version's reference was sparse (it also went to
   * `edge-cases`): labeled, such events are what a retrain most needs. Null or absent otherwise,
   * for versions without a multivariate reference, and in records written before.
   */
  edgeCase: edgeCaseVerdictSchema.nullable().optional(),
};

type ClassFields = {
  predicted: number;
  shadows?: ShadowPrediction[] | undefined;
  classes?: string[] | undefined;
  probabilities?: number[] | undefined;
};

/** `predicted` and `label` must name one of the classes, and every class has its probability. */
function checkClasses(
  record: ClassFields & { label?: number },
  context: { addIssue: (issue: { code: 'custom'; path: string[]; message: string }) => void },
): void {
  const classes = record.classes ?? [];
  const probabilities = record.probabilities ?? [];
  const classCount = classes.length === 0 ? 2 : classes.length;
  if (probabilities.length !== classes.length) {
    context.addIssue({
      code: 'custom',
      path: ['probabilities'],
      message: `must hold one probability per class (${classes.length}), got ${probabilities.length}`,
    });
  }
  if (classes.length === 1) {
    context.addIssue({
      code: 'custom',
      path: ['classes'],
      message: 'must list two or more classes',
    });
  }
  if (new Set(classes).size !== classes.length) {
    context.addIssue({ code: 'custom', path: ['classes'], message: 'must not repeat a class' });
  }
  for (const field of ['predicted', 'label'] as const) {
    const index = record[field];
    if (index !== undefined && index >= classCount) {
      context.addIssue({
        code: 'custom',
        path: [field],
        message: `must be an index into the ${classCount} classes, got ${index}`,
      });
    }
  }
  for (const [i, shadow] of (record.shadows ?? []).entries()) {
    if (shadow.predicted >= classCount) {
      context.addIssue({
        code: 'custom',
        path: ['shadows', String(i), 'predicted'],
        message: `must be an index into the ${classCount} classes, got ${shadow.predicted}`,
      });
    }
  }
}

/** `predictions`, key `id`: one per scored event, naming the model version that scored it. */
export const predictionSchema = z.object(predictionFields).superRefine((record, context) => {
  checkClasses(record, context);
});
export type Prediction = z.infer<typeof predictionSchema>;

/** `predictions-labeled`, key `model`: a prediction joined with its label. */
export const labeledPredictionSchema = z
  .object({
    ...predictionFields,
    /** The true class, as an index into `classes` (the joiner matched the label's name). */
    label: classIndex,
    labelTs: timestampMs,
    /** labelTs − ts: how long the truth took to arrive, in event time. */
    labelDelayMs: z.number().int(),
  })
  .superRefine((record, context) => {
    checkClasses(record, context);
  });
export type LabeledPrediction = z.infer<typeof labeledPredictionSchema>;

/** A prediction's classes, `["0", "1"]` for a record written before predictions listed them. */
export function predictionClasses(prediction: Pick<Prediction, 'classes'>): readonly string[] {
  return prediction.classes && prediction.classes.length > 0
    ? prediction.classes
    : defaultBinaryClasses;
}

/** Each class's probability, in `predictionClasses` order. */
export function classProbabilities(
  prediction: Pick<Prediction, 'classes' | 'probabilities' | 'score'>,
): readonly number[] {
  return prediction.probabilities && prediction.probabilities.length > 0
    ? prediction.probabilities
    : [1 - prediction.score, prediction.score];
}
