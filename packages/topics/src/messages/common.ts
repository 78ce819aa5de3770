import { z } from 'zod';

/** Epoch milliseconds. */
export const timestampMs = z.number().int().nonnegative();
export const identifier = z.string().min(1, 'must not be empty');
/** A model's name; it appears in Redis keys and Kafka keys, so no separators or spaces. */
export const modelName = z
  .string()
  .regex(/^[A-Za-z0-9._-]+$/, 'may hold only letters, digits, ".", "_" and "-"');
export const modelVersionNumber = z.number().int().positive();
/** A class's name, as a model version lists it: "0", "1", "setosa", … */
export const className = z.string().min(1, 'must not be empty');
/** A class as an index into the classes of the version that scored the event. */
export const classIndex = z.number().int().nonnegative();
/**
 * The true class as a label event carries it: a class name, or an integer that stands for the
 * class named by its decimal digits (label 1 is class "1"). Matched against the scoring
 * version's classes by the joiner.
 */
export const labelValue = z.union([z.number().int(), className], {
  error: 'must be a class name (string) or an integer',
});

/** The class a label names: integers by their decimal digits. */
export function labelClassName(label: number | string): string {
  return typeof label === 'number' ? String(label) : label;
}
export const featureValues = z.record(z.string().min(1), z.number());
export const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'must be bytes');

/** The classes of a record written before versions listed them: binary, named by their index. */
export const defaultBinaryClasses: readonly string[] = Object.freeze(['0', '1']);
