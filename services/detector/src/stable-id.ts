import { createHash } from 'node:crypto';

/** Ids derived from where the evidence sits in Kafka, so a retried batch republishes the same ids. */
export function stableId(...parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

/**
 * The id of the alert a detector raises on the labeled or feature record at `coordinate`
 * (`topic/partition@offset`). Readers find that record by the alert's `evidence`, not by this.
 */
export function alertIdFor(coordinate: string, detector: string, feature: string | null): string {
  return stableId('alert', coordinate, detector, feature ?? '');
}
