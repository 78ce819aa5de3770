import type { EdgeCaseRecord } from '@driftwatch/topics';

/** An `edge-cases` record the schema accepts: one event of a version, far from its cluster. */
export function fakeEdgeCase(
  fields: Pick<EdgeCaseRecord, 'id' | 'model' | 'modelVersion'>,
): EdgeCaseRecord {
  return {
    ts: 1_717_200_000_000,
    scoredAt: 1_717_200_000_050,
    features: { x1: 9.5, x2: 0.1 },
    predicted: 1,
    classes: ['0', '1'],
    score: 0.62,
    edgeCase: { cluster: 1, distance: 4.2, rule: 'far-from-cluster', threshold: 2.0 },
    ...fields,
  };
}
