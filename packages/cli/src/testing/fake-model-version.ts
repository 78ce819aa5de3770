import { createHash } from 'node:crypto';

import type { ModelVersion } from '@driftwatch/topics';

/**
 * A ModelVersion the schema accepts: a few bytes standing in for the ONNX model (with their true
 * SHA-256), one feature and its reference, metrics as the trainer writes them.
 */
export function fakeModelVersion(
  fields: Pick<ModelVersion, 'model' | 'version' | 'parentVersion' | 'status'> &
    Partial<ModelVersion>,
): ModelVersion {
  const onnx = fields.onnx ?? Buffer.from(`onnx ${fields.model} v${fields.version}`);
  return {
    createdAt: 1_717_200_000_000 + fields.version * 60_000,
    reason: fields.parentVersion === null ? 'bootstrap' : `accuracy check of v${fields.version}`,
    decidedBy: null,
    traffic: null,
    shadowTrial: null,
    trainedWith: {},
    requestId: fields.parentVersion === null ? null : `req-${fields.version}`,
    sha256: createHash('sha256').update(onnx).digest('hex'),
    onnx,
    featureNames: ['x1'],
    classes: ['0', '1'],
    threshold: 0.5,
    outputKind: 'probability',
    reference: {
      features: [{ name: 'x1', edges: [0, 5, 10], proportions: [0.4, 0.6], sample: [] }],
      score: null,
      classProbabilities: [],
      cbpe: null,
      rows: null,
      classCbpe: null,
      multivariate: null,
    },
    metrics: {
      challenger: { accuracy: 0.8 + fields.version / 100, f1: 0.7, rocAuc: 0.9 },
      champion: fields.parentVersion === null ? null : { accuracy: 0.8, f1: 0.69, rocAuc: 0.88 },
    },
    trainingWindow: { fromTs: 0, toTs: 1_717_100_000_000, trainRows: 800, holdoutRows: 200 },
    ...fields,
  };
}
