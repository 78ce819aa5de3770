import { z } from 'zod';

/** A double as the drift package writes it in snapshots: a number, or a string naming a non-finite one. */
const jsonNumber = z.union([z.number(), z.literal(['NaN', 'Infinity', '-Infinity', '-0'])]);

const standardizerSchema = z.object({
  mean: z.array(jsonNumber).min(1),
  scale: z.array(jsonNumber).min(1),
});

/** The drift package's `ReferenceClustersState`: k-means of the standardized reference rows. */
export const referenceClustersSchema = z.object({
  standardizer: standardizerSchema,
  kMeans: z.object({ centroids: z.array(z.array(jsonNumber)).min(1) }),
  rows: z.number().int().positive(),
  shares: z.array(jsonNumber).min(1),
  distanceQuantiles: z.array(
    z.object({ p50: jsonNumber, p90: jsonNumber, p99: jsonNumber }).nullable(),
  ),
});

/** The drift package's `PcaReconstructionState`: PCA of the standardized reference rows. */
export const pcaReconstructionSchema = z.object({
  varianceShare: z.number(),
  chunkSize: z.number().int().positive(),
  standardizer: standardizerSchema,
  centre: z.array(jsonNumber),
  components: z.array(z.array(jsonNumber)),
  explainedVarianceRatio: z.array(jsonNumber),
  referenceChunkErrors: z.array(jsonNumber),
  lowerThreshold: jsonNumber.nullable(),
  upperThreshold: jsonNumber,
});

/**
 * What multivariate drift and edge cases are judged against: the reference rows' features, in
 * `features` order, clustered (k-means, for occupancy and distance to the nearest centroid) and
 * projected (PCA, for reconstruction error). The detector and inference revive them with the drift
 * package's `ReferenceClusters.fromJSON` and `PcaReconstruction.fromJSON`, which check the numbers.
 */
export const multivariateReferenceSchema = z
  .object({
    /** The columns of both states, in order: the model's input features. */
    features: z.array(z.string().min(1)).min(2),
    clusters: referenceClustersSchema,
    /** Null when the reference had too few rows per column for a PCA worth judging by. */
    reconstruction: pcaReconstructionSchema.nullable(),
    /**
     * How far past each cluster distance quantile a row must fall to be as rare as the quantile
     * says, measured on held-out reference rows (the drift package's `fitEdgeDistanceScales`);
     * null in versions written before, whose quantiles are used as they are.
     */
    distanceScales: z
      .object({ p50: z.number().min(1), p90: z.number().min(1), p99: z.number().min(1) })
      .nullable()
      .default(null),
  })
  .superRefine(({ features, clusters, reconstruction }, context) => {
    const widths = [
      clusters.standardizer.mean.length,
      ...(reconstruction ? [reconstruction.standardizer.mean.length] : []),
    ];
    if (widths.some((width) => width !== features.length)) {
      context.addIssue({
        code: 'custom',
        message: `clusters and reconstruction must be ${features.length} columns wide, one per feature`,
      });
    }
  });
export type MultivariateReference = z.infer<typeof multivariateReferenceSchema>;
