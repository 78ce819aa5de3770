import { exportOnnx, sha256Hex } from '@driftwatch/model';
import { emptyReferenceProfile, type ModelVersion } from '@driftwatch/topics';

export const logisticFeatures = ['x1', 'x2'] as const;

/**
 * A promoted version whose ONNX bytes are a logistic regression on `x1`, `x2` with the given
 * weights and bias (no standardization), so a test knows every score exactly:
 * σ(w₁·x1 + w₂·x2 + bias).
 */
export function logisticVersion(
  model: string,
  version: number,
  weights: readonly [number, number],
  bias = 0,
): ModelVersion {
  const onnx = exportOnnx({
    family: 'logistic',
    featureNames: [...logisticFeatures],
    standardization: { mean: [0, 0], scale: [1, 1] },
    weights: [...weights],
    bias,
  });
  return {
    model,
    version,
    parentVersion: version > 1 ? version - 1 : null,
    createdAt: version,
    status: 'promoted',
    reason: 'test',
    decidedBy: null,
    traffic: null,
    shadowTrial: null,
    trainedWith: {},
    requestId: null,
    sha256: sha256Hex(onnx),
    onnx,
    featureNames: [...logisticFeatures],
    classes: ['0', '1'],
    threshold: 0.5,
    outputKind: 'probability',
    reference: emptyReferenceProfile(),
    metrics: { challenger: {}, champion: null },
    trainingWindow: { fromTs: 0, toTs: 0, trainRows: 0, holdoutRows: 0 },
  };
}

/** The probability `logisticVersion(…, weights, bias)` gives an event. */
export function logisticScore(
  weights: readonly [number, number],
  bias: number,
  features: { x1: number; x2: number },
): number {
  return 1 / (1 + Math.exp(-(weights[0] * features.x1 + weights[1] * features.x2 + bias)));
}
