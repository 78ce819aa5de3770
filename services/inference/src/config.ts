import {
  commonEnv,
  decimal,
  flag,
  integer,
  oneOf,
  recordLimitsEnv,
  text,
} from '@driftwatch/service-kit';

/** Every environment variable the inference service reads, with its default. */
export const inferenceEnv = {
  ...commonEnv,
  ...recordLimitsEnv,
  /** Default: `<TOPIC_PREFIX>driftwatch-inference`. */
  INFERENCE_GROUP_ID: text(''),
  /**
   * Overrides every binary version's own threshold (a probability of its second class at or
   * above it predicts that class). 0, the default, keeps each version's (0.5 unless registered
   * with another).
   */
  INFERENCE_THRESHOLD: decimal(0, { min: 0, max: 1 }),
  /**
   * Versions whose reference carries clusters: each event farther from its nearest centroid than
   * that cluster's reference distance quantile (`INFERENCE_EDGE_CASE_QUANTILE`), or landing in a
   * cluster whose share of the last `INFERENCE_EDGE_CASE_WINDOW` events passed
   * `INFERENCE_EDGE_CASE_GROWTH` × its reference share, is an edge case: marked on its prediction
   * and written to `edge-cases`.
   */
  INFERENCE_EDGE_CASES: flag(true),
  INFERENCE_EDGE_CASE_QUANTILE: oneOf(['p50', 'p90', 'p99'], 'p99'),
  INFERENCE_EDGE_CASE_GROWTH: decimal(3, { min: 1.01 }),
  INFERENCE_EDGE_CASE_WINDOW: integer(1000, { min: 10 }),
};
