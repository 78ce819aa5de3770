import type { ReplayRow } from '@driftwatch/demo';

/** The stream a demo replays, the sample version 1 learns from, and the drifts it holds. */
export interface DemoStream {
  title: string;
  model: string;
  featureNames: readonly string[];
  /** The classes the labels name, in version 1's order; `["0", "1"]` for the built-in streams. */
  classes: readonly string[];
  reference: readonly ReplayRow[];
  rows: readonly ReplayRow[];
  /** Row indices (as `rows` number them) where a new concept starts; empty when unknown. */
  knownDrifts: readonly number[];
  /** A fixed labeled set no version learns from, for old vs new at the end. */
  golden?: readonly ReplayRow[];
  serviceEnv: Record<string, string>;
}
