import { z } from 'zod';

import { isEmbeddingColumn } from './embedding-columns.js';
import { featureValues, identifier, modelName, timestampMs } from './common.js';

/** `events`, key `id`: what a user's application produces to have it scored. */
export const featureEventSchema = z
  .object({
    id: identifier,
    model: modelName,
    ts: timestampMs,
    features: featureValues,
    /**
     * A vector feature (a text's or an image's embedding), of the length the model's version
     * declares; past inference it is the features `embedding[0]` … `embedding[n − 1]`
     * (`withEmbeddingColumns`). Null or absent when the version declares none (it is ignored then).
     */
    embedding: z.array(z.number()).nullable().optional(),
  })
  .superRefine(({ features, embedding }, context) => {
    if (!embedding) return;
    const clash = Object.keys(features).find(isEmbeddingColumn);
    if (clash !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['features', clash],
        message: `must not be named like a position of the embedding the event also carries; send the vector as embedding only`,
      });
    }
  });
export type FeatureEvent = z.infer<typeof featureEventSchema>;
