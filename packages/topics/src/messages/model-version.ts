import { z } from 'zod';

import { bytes, modelName, modelVersionNumber, timestampMs } from './common.js';

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

/**
 * What the detector compares live traffic with: each feature's and the score's distribution in
 * the version's training data, binned, with a sample for KS tests.
 */
export const referenceProfileSchema = z.object({
  features: z.array(binnedDistributionSchema),
  score: binnedDistributionSchema.nullable(),
});
export type ReferenceProfile = z.infer<typeof referenceProfileSchema>;

export const modelMetricsSchema = z.record(z.string(), z.number());

/**
 * `model-versions`, compacted, key `<model>/<version>`: every version ever trained, promoted or
 * not, with the ONNX bytes to serve it and the lineage to explain it.
 */
export const modelVersionSchema = z.object({
  model: modelName,
  version: modelVersionNumber,
  parentVersion: modelVersionNumber.nullable(),
  createdAt: timestampMs,
  status: z.enum(['promoted', 'rejected']),
  reason: z.string(),
  /** The retrain request that produced it; null for the bootstrap model. */
  requestId: z.string().nullable(),
  /** Hex SHA-256 of `onnx`; checked before the bytes are loaded. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'),
  onnx: bytes,
  featureNames: z.array(z.string().min(1)).min(1),
  reference: referenceProfileSchema,
  metrics: z.object({
    challenger: modelMetricsSchema,
    champion: modelMetricsSchema.nullable(),
  }),
  trainingWindow: z.object({
    fromTs: timestampMs,
    toTs: timestampMs,
    trainRows: z.number().int().nonnegative(),
    holdoutRows: z.number().int().nonnegative(),
  }),
});
export type ModelVersion = z.infer<typeof modelVersionSchema>;

export function modelVersionKey(model: string, version: number): string {
  return `${model}/${version}`;
}
