import { z } from 'zod';

import { alarmCalibrationSchema } from './alarm-calibration.js';
import { embeddingColumnsProblem, embeddingLengthOf } from './embedding-columns.js';
import { multivariateReferenceSchema } from './multivariate-reference.js';
import {
  bytes,
  className,
  defaultBinaryClasses,
  modelName,
  modelVersionNumber,
  timestampMs,
} from './common.js';

/**
 * One distribution in the training data as a PSI reference: the numeric form of the drift
 * package's `PsiReference.toJSON()`, named. `edges` are numpy-style histogram edges, so there is
 * one more edge than there are bins; the consumer treats the first and last bins as open-ended,
 * which is why the outer edges are still carried (they document the training range).
 */
export const binnedDistributionSchema = z
  .object({
    name: z.string().min(1),
    edges: z.array(z.number()),
    proportions: z.array(z.number().min(0).max(1)).min(1, 'must hold at least one bin'),
    /**
     * A small deterministic subsample of the training values, for tests that need raw values
     * (the detector's optional KS second opinion); empty when not carried.
     */
    sample: z.array(z.number()).max(10_000).default([]),
  })
  .superRefine(({ edges, proportions }, context) => {
    if (edges.length !== proportions.length + 1) {
      context.addIssue({
        code: 'custom',
        path: ['edges'],
        message: `must hold proportions.length + 1 = ${proportions.length + 1} histogram edges, got ${edges.length}`,
      });
      return;
    }
    // Strictly: a zero-width bin would never receive a value, and the drift package rejects it.
    for (let i = 1; i < edges.length; i++) {
      const previous = edges[i - 1] ?? NaN;
      const edge = edges[i] ?? NaN;
      if (!(edge > previous)) {
        context.addIssue({
          code: 'custom',
          path: ['edges', i],
          message: `edges must be strictly ascending, but ${edge} follows ${previous}`,
        });
        return;
      }
    }
  });
export type BinnedDistribution = z.infer<typeof binnedDistributionSchema>;

/** The knots of an isotonic map from score to probability (the drift package's `IsotonicCalibrator`). */
const isotonicKnotsSchema = z
  .object({
    thresholdScores: z.array(z.number()).min(1),
    thresholdValues: z.array(z.number().min(0).max(1)).min(1),
  })
  .refine(
    (knots) => knots.thresholdScores.length === knots.thresholdValues.length,
    'thresholdScores and thresholdValues must be of one length',
  );

/**
 * How a binary model's scores become probabilities, and how well they were before and after. The
 * first two fields are the drift package's `CbpeState`.
 */
export const scoreCalibrationSchema = z
  .object({
    /** Predict the positive class at or above this score: the version's threshold. */
    threshold: z.number().gt(0).lt(1),
    /**
     * The knots of an isotonic map from score to probability (`IsotonicCalibrator`), or null when
     * the scores are used as they are (calibrating would not have lowered the error).
     */
    calibrator: isotonicKnotsSchema.nullable(),
    /**
     * The sigmoid 1 / (1 + e^−(slope·score + intercept)) of Platt scaling, when that was chosen
     * instead (`PlattCalibrator`); null otherwise. At most one of `calibrator` and `platt` is set.
     */
    platt: z.object({ slope: z.number(), intercept: z.number() }).nullable().default(null),
    /** Expected calibration error on the holdout of the raw scores, and of the calibrated ones. */
    calibrationErrorBefore: z.number().min(0).max(1),
    calibrationErrorAfter: z.number().min(0).max(1),
    /** CBPE's estimated accuracy on the holdout: what the live estimate is compared with. */
    expectedAccuracy: z.number().min(0).max(1),
  })
  .refine(
    (calibration) => calibration.calibrator === null || calibration.platt === null,
    'an isotonic calibrator and a Platt sigmoid are exclusive',
  );
export type ScoreCalibration = z.infer<typeof scoreCalibrationSchema>;

/**
 * A calibration as the drift package's `Cbpe.fromJSON` reads it: the threshold and the one
 * calibrator set, whichever kind (a Platt sigmoid, isotonic knots, or none).
 */
export function calibrationCbpeState(calibration: ScoreCalibration): {
  threshold: number;
  calibrator: ScoreCalibration['calibrator'] | ScoreCalibration['platt'];
} {
  return {
    threshold: calibration.threshold,
    calibrator: calibration.platt ?? calibration.calibrator,
  };
}

/**
 * How a multiclass model's probabilities become calibrated ones for performance estimation
 * without labels: the drift package's `MulticlassCbpeState` (one-vs-rest isotonic calibrators,
 * fitted on the holdout as NannyML does), and the accuracy it estimated there.
 */
export const classCalibrationSchema = z.object({
  /** Per class, in the version's class order: its calibrator, or null (used as they are). */
  calibrators: z.array(isotonicKnotsSchema.nullable()).min(3),
  /** CBPE's estimated accuracy on the holdout: what the live estimate is compared with. */
  expectedAccuracy: z.number().min(0).max(1),
});
export type ClassCalibration = z.infer<typeof classCalibrationSchema>;

/** A multiclass calibration as the drift package's `MulticlassCbpe.fromJSON` reads it. */
export function classCalibrationCbpeState(calibration: ClassCalibration): {
  classCount: number;
  calibrators: ClassCalibration['calibrators'];
} {
  return { classCount: calibration.calibrators.length, calibrators: calibration.calibrators };
}

/**
 * What the detector compares live traffic with: each feature's and the score's distribution in
 * the version's training data, binned, with a sample for KS tests.
 */
export const referenceProfileSchema = z.object({
  features: z.array(binnedDistributionSchema),
  /** Binary: the positive class's probability on the holdout; null when not computed. */
  score: binnedDistributionSchema.nullable(),
  /**
   * Multiclass: each class's probability on the reference rows, named by the class, in the
   * version's class order; empty for binary models.
   */
  classProbabilities: z.array(binnedDistributionSchema).default([]),
  /**
   * Binary: what confidence-based performance estimation (the drift package's `Cbpe`) needs to
   * estimate accuracy without labels, fitted on the holdout's scores and labels. Null for
   * multiclass models, for a holdout too small to fit on, and in versions written before.
   */
  cbpe: scoreCalibrationSchema.nullable().default(null),
  /**
   * Multiclass: what CBPE needs to estimate performance without labels, fitted on the holdout's
   * probabilities and labels. Null for binary models, without a labeled holdout, and in versions
   * written before.
   */
  classCbpe: classCalibrationSchema.nullable().default(null),
  /**
   * How many rows the bins were fitted on: bins from a few hundred rows are themselves uncertain,
   * and the detector's false-alarm budget allows for it. Null in versions written before.
   */
  rows: z.number().int().nonnegative().nullable().default(null),
  /**
   * The reference rows clustered and projected, for multivariate drift and edge cases. Null for a
   * reference too small or too narrow (one feature), and in versions written before.
   */
  multivariate: multivariateReferenceSchema.nullable().default(null),
});
export type ReferenceProfile = z.infer<typeof referenceProfileSchema>;

/**
 * A reference that profiles nothing: a version no data was profiled for (one the trainer
 * rejected before training, a test's) — no data drift is measured against it.
 */
export function emptyReferenceProfile(): ReferenceProfile {
  return {
    features: [],
    score: null,
    classProbabilities: [],
    cbpe: null,
    classCbpe: null,
    rows: null,
    multivariate: null,
  };
}

export const modelMetricsSchema = z.record(z.string(), z.number());

/** Paired outcomes of a shadow and the serving version on the same labeled events. */
export const shadowEvidenceSchema = z.object({
  /** The serving version the shadow was compared with. */
  championVersion: modelVersionNumber,
  /** Labeled events both scored. */
  labeled: z.number().int().nonnegative(),
  championCorrect: z.number().int().nonnegative(),
  shadowCorrect: z.number().int().nonnegative(),
  /** Events only the champion got right (McNemar's b) … */
  championOnly: z.number().int().nonnegative(),
  /** … and only the shadow (c). */
  shadowOnly: z.number().int().nonnegative(),
  /** McNemar's exact two-sided p-value, when the rule asks for the test. */
  pValue: z.number().min(0).max(1).nullable(),
});
export type ShadowEvidence = z.infer<typeof shadowEvidenceSchema>;

/**
 * How a shadow is judged, set by whoever made it a shadow (the trainer's `PROMOTION_STAGE=shadow`
 * and `SHADOW_*`, or `driftwatch promote --shadow`), so each model and version carries its own.
 */
export const shadowTrialSchema = z.object({
  /** Labeled events, paired with the serving version's, before deciding. */
  minLabeled: z.number().int().positive(),
  /** Least live accuracy gain over the serving version to be promoted. */
  minGain: z.number().min(-1).max(1),
  /** When set, McNemar's test on the paired outcomes must also give p below it. */
  mcnemarAlpha: z.number().gt(0).lt(1).nullable(),
  /** The paired outcomes the decision was made on; null while the trial runs. */
  evidence: shadowEvidenceSchema.nullable(),
});
export type ShadowTrial = z.infer<typeof shadowTrialSchema>;

/**
 * `model-versions`, compacted, key `<model>/<version>`: every version ever trained, promoted or
 * not, with the ONNX bytes to serve it and the lineage to explain it.
 */
export const modelVersionSchema = z
  .object({
    model: modelName,
    version: modelVersionNumber,
    parentVersion: modelVersionNumber.nullable(),
    createdAt: timestampMs,
    /**
     * `promoted`: it serves (the highest promoted version does); `rejected`: kept for lineage only;
     * `candidate`: it passed the promotion criteria under `PROMOTION_MODE=manual` and waits for a
     * person (`driftwatch promote` / `driftwatch reject`), never served meanwhile; `shadow`: on
     * trial, scored beside the serving version on every event and never served, until the detector
     * promotes it on live evidence or retires it (`rejected`), per its `shadowTrial`.
     */
    status: z.enum(['promoted', 'rejected', 'candidate', 'shadow']),
    reason: z.string(),
    /**
     * Who promoted or rejected a candidate (`driftwatch promote … --by`, default the CLI user's
     * login); null when the trainer or a registration decided, and in versions written before.
     */
    decidedBy: z.string().min(1).nullable().default(null),
    /**
     * A candidate in an A/B split (`driftwatch promote … --traffic 10%`): the share of events, by a
     * stable hash of the event id, that it scores instead of the serving version. Null: none (and
     * for every version that is not a candidate).
     */
    traffic: z.number().gt(0).lt(1).nullable().default(null),
    /**
     * A shadow's trial: the rule it is judged by on live labels, and once decided the evidence.
     * Null for a version that never was a shadow (and in versions written before shadows).
     */
    shadowTrial: shadowTrialSchema.nullable().default(null),
    /** The retrain request that produced it; null for the bootstrap model. */
    requestId: z.string().nullable(),
    /** Hex SHA-256 of `onnx`; checked before the bytes are loaded. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'),
    onnx: bytes,
    featureNames: z.array(z.string().min(1)).min(1),
    /**
     * The classes in the order of the model's probabilities; two or more. Empty only in versions
     * written before versions listed them, which were binary: read them with `versionClasses`.
     */
    classes: z
      .array(className)
      .refine((classes) => classes.length !== 1, 'must list two or more classes (or none: binary)')
      .refine((classes) => new Set(classes).size === classes.length, 'must not repeat a class')
      .default([]),
    /** Binary: predict `classes[1]` when its probability is at least this. Ignored for multiclass. */
    threshold: z.number().gt(0).lt(1).default(0.5),
    /**
     * How to read a single [N, 1] output, pinned when the version was registered so serving reads
     * it the same way without reference rows; null for [N, K] outputs (and older versions, whose
     * single output is a probability).
     */
    outputKind: z.enum(['probability', 'logit']).nullable().default(null),
    reference: referenceProfileSchema,
    /**
     * Its alerting rules calibrated to the detector's false-alarm budget by whoever trained or
     * registered it, under the settings the detector asked for; null or absent when nobody asked
     * for a budget (the detector then calibrates it itself), and in versions written before.
     */
    alarmCalibration: alarmCalibrationSchema.nullable().optional(),
    /**
     * A fixed labeled test set the model's owner chose (`driftwatch models register --golden`), in
     * `featureNames` order with labels as class indices: every challenger and its champion are both
     * scored on it, and the version records both (`metrics.*.goldenAccuracy`). Each version the
     * trainer makes carries it on. Null or absent when none was given.
     */
    goldenSet: z
      .object({
        rows: z.array(z.array(z.number())).min(1),
        labels: z.array(z.number().int().nonnegative()).min(1),
      })
      .refine((golden) => golden.rows.length === golden.labels.length, 'one label per row')
      .nullable()
      .optional(),
    /**
     * How it was trained, as text: the built-in family and its hyperparameters, the training
     * program's command line, or where a registered model came from. Empty in versions written
     * before.
     */
    trainedWith: z.record(z.string(), z.string()).default({}),
    metrics: z.object({
      challenger: modelMetricsSchema,
      champion: modelMetricsSchema.nullable(),
    }),
    trainingWindow: z.object({
      /** The window the request named; a chosen window of the last N rows may reach before it. */
      fromTs: timestampMs,
      toTs: timestampMs,
      trainRows: z.number().int().nonnegative(),
      holdoutRows: z.number().int().nonnegative(),
      /**
       * The window the challenger was trained on, when the trainer chose one: `since-change`, or
       * the number of most recent rows; null when it did not choose (a training program, or too
       * few rows to validate on), and absent from versions written before the trainer chose.
       */
      chosen: z.string().nullable().optional(),
      /** Every window tried, with its accuracy on the validation slice before the holdout. */
      candidates: z
        .array(
          z.object({
            window: z.string(),
            trainRows: z.number().int().nonnegative(),
            validationAccuracy: z.number().min(0).max(1),
          }),
        )
        .optional(),
    }),
  })
  .superRefine((version, context) => {
    if (version.status === 'shadow' && version.shadowTrial === null) {
      context.addIssue({
        code: 'custom',
        path: ['shadowTrial'],
        message: 'a shadow must carry its trial rule (minLabeled, minGain, mcnemarAlpha)',
      });
    }
    const columns: [string, readonly string[]][] = [
      ['featureNames', version.featureNames],
      ['reference.multivariate.features', version.reference.multivariate?.features ?? []],
    ];
    for (const [path, names] of columns) {
      const problem = embeddingColumnsProblem(names);
      if (problem) context.addIssue({ code: 'custom', path: path.split('.'), message: problem });
    }
  });
export type ModelVersion = z.infer<typeof modelVersionSchema>;

/**
 * The length of the embedding events must carry for `version`, 0 for none: declared by its
 * columns `embedding[0]` … `embedding[n − 1]`, among the model's inputs when the model takes the
 * vector, or among the multivariate reference's when only its drift and edge cases are watched.
 */
export function versionEmbeddingLength(
  version: Pick<ModelVersion, 'featureNames' | 'reference'>,
): number {
  return Math.max(
    embeddingLengthOf(version.featureNames),
    embeddingLengthOf(version.reference.multivariate?.features ?? []),
  );
}

/** A version's classes, `["0", "1"]` for a version written before versions listed them. */
export function versionClasses(version: Pick<ModelVersion, 'classes'>): readonly string[] {
  return version.classes.length > 0 ? version.classes : defaultBinaryClasses;
}

export function modelVersionKey(model: string, version: number): string {
  return `${model}/${version}`;
}
