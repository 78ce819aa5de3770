/**
 * What the bus reports about its work. Services implement it with prom-client; the bus itself
 * does not depend on a metrics library.
 */
export interface BusDiagnostics {
  batchProcessed(event: {
    topic: string;
    partition: number;
    records: number;
    produced: number;
    durationMs: number;
    /**
     * Records of the partition left to read after this batch, as its fetch saw the high
     * watermark (a transaction's commit marker counts as one).
     */
    lag: number;
  }): void;
  batchRetried(event: { topic: string; partition: number; attempt: number; error: unknown }): void;
}

export const noDiagnostics: BusDiagnostics = {
  batchProcessed: () => undefined,
  batchRetried: () => undefined,
};
