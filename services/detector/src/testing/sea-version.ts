import type { ModelVersion } from '@driftwatch/topics';

/**
 * Version `version` of model `sea` as the registry would hold it, for unit tests: one feature x1
 * in four even bins on [0, 1], a score in two, no calibration and no metrics.
 */
export function seaVersion(version: number): ModelVersion {
  return {
    model: 'sea',
    version,
    parentVersion: version > 1 ? version - 1 : null,
    createdAt: 0,
    status: 'promoted',
    reason: 'test',
    decidedBy: null,
    traffic: null,
    shadowTrial: null,
    trainedWith: {},
    requestId: null,
    sha256: '0'.repeat(64),
    onnx: new Uint8Array([1]),
    featureNames: ['x1', 'x2'],
    classes: ['0', '1'],
    threshold: 0.5,
    outputKind: 'probability',
    reference: {
      classProbabilities: [],
      cbpe: null,
      rows: null,
      classCbpe: null,
      multivariate: null,
      features: [
        {
          name: 'x1',
          edges: [0, 0.25, 0.5, 0.75, 1],
          proportions: [0.25, 0.25, 0.25, 0.25],
          sample: [],
        },
      ],
      score: { name: 'score', edges: [0, 0.5, 1], proportions: [0.5, 0.5], sample: [] },
    },
    metrics: { challenger: {}, champion: null },
    trainingWindow: { fromTs: 0, toTs: 0, trainRows: 0, holdoutRows: 0 },
  };
}
