import { mulberry32 } from '@driftwatch/drift';
import type {
  BinnedDistribution,
  DriftAlert,
  LabeledPrediction,
  RetrainRequest,
} from '@driftwatch/topics';

import type { NeverRetrainedPrediction, ReportInput, ReportVersion } from '../report-input.js';

export interface SyntheticStreamOptions {
  /** Labeled predictions. */
  count: number;
  seed?: number;
  /** Event time of the first prediction. */
  start?: number;
  /** Event time between predictions. */
  stepMs?: number;
  /** Indices where the concept's threshold on x1 + x2 changes (SEA-like), one per drift. */
  conceptDrifts?: readonly number[];
  /** Index from which x3 is drawn from [3, 13] instead of [0, 10]; null: never. */
  dataDriftAt?: number | null;
  /** Predictions between a drift and the alert about it, and between the alert and a takeover. */
  detectionDelay?: number;
  trainingDelay?: number;
}

const thresholds = [9, 7, 11, 8, 10, 6];
const uniformEdges = (low: number, high: number): number[] =>
  Array.from({ length: 11 }, (_, i) => low + ((high - low) * i) / 10);
const uniformReference = (name: string, low: number, high: number): BinnedDistribution => ({
  name,
  edges: uniformEdges(low, high),
  proportions: Array.from({ length: 10 }, () => 0.1),
  sample: [],
});
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * A seeded stream as the topics would hold it after a closed loop: SEA-like labels
 * (`x1 + x2 <= θ`, 10% noise) whose θ changes at each concept drift; an ADWIN alert, a retrain
 * request and a promoted version answering each drift; a PSI alert, request and version after x3
 * shifts; a rejected challenger after the first drift; and the root version's predictions on
 * every event. What the unit tests and the browser tests report on, at any size.
 */
export function syntheticReportInput(options: SyntheticStreamOptions): ReportInput {
  const {
    count,
    seed = 7,
    start = Date.UTC(2024, 5, 1, 12, 0, 0),
    stepMs = 1000,
    conceptDrifts = [],
    dataDriftAt = null,
    detectionDelay = 200,
    trainingDelay = 100,
  } = options;
  const random = mulberry32(seed);
  const at = (index: number): number => start + index * stepMs;
  const model = 'synthetic';

  const versions: ReportVersion[] = [];
  const alerts: DriftAlert[] = [];
  const requests: RetrainRequest[] = [];
  /** Versions by the index from which they serve, with the θ they learned and the x3 they saw. */
  const serving: { from: number; version: number; theta: number; x3: [number, number] }[] = [];
  const publish = (fields: {
    version: number;
    parent: number | null;
    status: 'promoted' | 'rejected';
    index: number;
    theta: number;
    x3: [number, number];
    reason: string;
    requestId: string | null;
  }): void => {
    versions.push({
      model,
      version: fields.version,
      parentVersion: fields.parent,
      createdAt: at(fields.index),
      status: fields.status,
      reason: fields.reason,
      decidedBy: null,
      traffic: null,
      shadowTrial: null,
      trainedWith: {},
      requestId: fields.requestId,
      sha256: '0'.repeat(64),
      featureNames: ['x1', 'x2', 'x3'],
      classes: ['0', '1'],
      threshold: 0.5,
      outputKind: 'probability',
      reference: {
        features: [
          uniformReference('x1', 0, 10),
          uniformReference('x2', 0, 10),
          uniformReference('x3', ...fields.x3),
        ],
        score: null,
        classProbabilities: [],
        cbpe: null,
        rows: null,
        classCbpe: null,
        multivariate: null,
      },
      metrics: {
        challenger: { accuracy: 0.9, f1: 0.88, rocAuc: 0.93 },
        champion: fields.parent === null ? null : { accuracy: 0.7, f1: 0.66, rocAuc: 0.75 },
      },
      trainingWindow: {
        fromTs: fields.parent === null ? 0 : at(Math.max(0, fields.index - 500)),
        toTs: at(fields.index),
        trainRows: 800,
        holdoutRows: 200,
      },
    });
    if (fields.status === 'promoted') {
      serving.push({
        from: fields.index + 1,
        version: fields.version,
        theta: fields.theta,
        x3: fields.x3,
      });
    }
  };
  publish({
    version: 1,
    parent: null,
    status: 'promoted',
    index: 0,
    theta: thresholds[0] ?? 9,
    x3: [0, 10],
    reason: 'bootstrap',
    requestId: null,
  });
  const root = { from: 0, version: 1, theta: thresholds[0] ?? 9, x3: [0, 10] as [number, number] };
  serving[0] = root;

  const thetaAt = (index: number): number =>
    thresholds[conceptDrifts.filter((drift) => drift <= index).length % thresholds.length] ?? 9;
  const x3At = (index: number): [number, number] =>
    dataDriftAt !== null && index >= dataDriftAt ? [3, 13] : [0, 10];
  const triggers = [
    ...conceptDrifts.map((index) => ({ index, kind: 'concept' as const })),
    ...(dataDriftAt === null ? [] : [{ index: dataDriftAt, kind: 'data' as const }]),
  ].sort((a, b) => a.index - b.index);
  let next = 2;
  triggers.forEach((trigger, k) => {
    const detectedAt = trigger.index + detectionDelay;
    if (detectedAt >= count) return;
    const alertId = `alert-${k + 1}`;
    alerts.push({
      alertId,
      summary: '',
      expectedRunLength: null,
      model,
      modelVersion: [...serving].reverse().find((s) => s.from <= detectedAt)?.version ?? 1,
      kind: trigger.kind,
      detector: trigger.kind === 'concept' ? 'adwin' : 'psi',
      feature: trigger.kind === 'concept' ? null : 'x3',
      statistic: trigger.kind === 'concept' ? 0.31 : 0.42,
      threshold: trigger.kind === 'concept' ? 0.12 : 0.2,
      windowStart: at(Math.max(0, detectedAt - 500)),
      windowEnd: at(detectedAt),
      observedAt: at(detectedAt) + 50,
      severity: trigger.kind === 'concept' ? 'warning' : 'critical',
      evidence: null,
    });
    const requestId = `request-${k + 1}`;
    requests.push({
      requestId,
      model,
      reason: 'drift',
      alertId,
      fromTs: at(Math.max(0, detectedAt - 500)),
      toTs: at(detectedAt),
      requestedAt: at(detectedAt) + 60,
    });
    const trainedAt = detectedAt + trainingDelay;
    if (trainedAt >= count) return;
    const parent = [...serving].reverse().find((s) => s.from <= trainedAt)?.version ?? 1;
    // The first retrain's first challenger loses on its holdout; a second request wins.
    if (k === 0) {
      publish({
        version: next++,
        parent,
        status: 'rejected',
        index: trainedAt - 10,
        theta: thetaAt(trainedAt),
        x3: x3At(trainedAt),
        reason: 'drift request: accuracy 0.71 vs champion 0.72 (< +0.01)',
        requestId: `${requestId}-first`,
      });
      requests.push({
        requestId: `${requestId}-first`,
        model,
        reason: 'drift',
        alertId,
        fromTs: at(Math.max(0, detectedAt - 300)),
        toTs: at(detectedAt - 20),
        requestedAt: at(detectedAt - 20),
      });
    }
    publish({
      version: next++,
      parent,
      status: 'promoted',
      index: trainedAt,
      theta: thetaAt(trainedAt),
      x3: x3At(trainedAt),
      reason: `${trigger.kind} drift request: accuracy 0.90 vs champion 0.70 (+0.20 ≥ 0.01)`,
      requestId,
    });
  });

  const predictions: LabeledPrediction[] = [];
  const neverRetrained = new Map<string, NeverRetrainedPrediction>();
  for (let index = 0; index < count; index++) {
    const [low, high] = x3At(index);
    const features = {
      x1: random() * 10,
      x2: random() * 10,
      x3: low + random() * (high - low),
    };
    const truth = features.x1 + features.x2 <= thetaAt(index) ? 1 : 0;
    const label = random() < 0.1 ? 1 - truth : truth;
    const served = [...serving].reverse().find((s) => s.from <= index) ?? root;
    const score = sigmoid(served.theta - features.x1 - features.x2);
    const id = `synthetic-${index}`;
    const ts = at(index);
    predictions.push({
      id,
      model,
      modelVersion: served.version,
      ts,
      scoredAt: ts + 5,
      score,
      predicted: score >= 0.5 ? 1 : 0,
      features,
      label,
      labelTs: ts + 500,
      labelDelayMs: 500,
    });
    const rootScore = sigmoid(root.theta - features.x1 - features.x2);
    neverRetrained.set(id, { predicted: rootScore >= 0.5 ? 1 : 0, score: rootScore });
  }

  return {
    model,
    generatedAt: at(count) + 60_000,
    range: { from: null, to: null },
    predictions,
    alerts,
    retrainRequests: requests,
    versions,
    neverRetrained: { version: 1, predictions: neverRetrained },
    knownDrifts: conceptDrifts
      .filter((index) => index < count)
      .map((index) => ({ id: `synthetic-${index}`, label: `drift at event ${index}` })),
    source: `synthetic stream (seed ${seed})`,
  };
}
