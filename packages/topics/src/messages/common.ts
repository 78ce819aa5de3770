import { z } from 'zod';

/** Epoch milliseconds. */
export const timestampMs = z.number().int().nonnegative();
export const identifier = z.string().min(1, 'must not be empty');
/** A model's name; it appears in Redis keys and Kafka keys, so no separators or spaces. */
export const modelName = z
  .string()
  .regex(/^[A-Za-z0-9._-]+$/, 'may hold only letters, digits, ".", "_" and "-"');
export const modelVersionNumber = z.number().int().positive();
/** Binary classification: 1 is the positive class. */
export const classLabel = z.union([z.literal(0), z.literal(1)], { error: 'must be 0 or 1' });
export const featureValues = z.record(z.string().min(1), z.number());
export const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'must be bytes');
