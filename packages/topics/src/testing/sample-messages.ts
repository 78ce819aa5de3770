import { createHash } from 'node:crypto';

import type { ModelVersion } from '../messages/model-version.js';
import type { MessageOf, TopicId } from '../topic-catalog.js';

/**
 * The start of an ONNX ModelProto (ir_version 8, producer "driftwatch") followed by 64 KiB of every
 * byte value, so that bytes fields are tested with zeros, 0xff and a multi-byte length.
 */
const onnx = Buffer.concat([
  Buffer.from([0x08, 0x08, 0x12, 0x0a]),
  Buffer.from('driftwatch'),
  Buffer.from(Array.from({ length: 65_536 }, (_, i) => (i * 131) % 256)),
]);

const features = {
  income: 52_000.5,
  debtRatio: 0.3125,
  age: 41,
  delinquencies: 0,
  balance: -12.75,
};

const promotedVersion: ModelVersion = {
  model: 'credit-default',
  version: 4,
  parentVersion: 3,
  createdAt: 1_717_090_000_000,
  status: 'promoted',
  reason: 'challenger AUC 0.874 > champion AUC 0.851 on 2 000 holdout rows',
  requestId: 'req-7f3a',
  sha256: createHash('sha256').update(onnx).digest('hex'),
  onnx,
  featureNames: ['income', 'debtRatio', 'age', 'delinquencies', 'balance'],
  classes: ['repaid', 'defaulted'],
  threshold: 0.35,
  outputKind: 'probability',
  reference: {
    features: [
      {
        name: 'income',
        edges: [1_200, 28_000, 45_500, 61_000, 250_000],
        proportions: [0.25, 0.25, 0.25, 0.25],
        sample: [31_500, 52_000, 18_250],
      },
      { name: 'debtRatio', edges: [0, 0.2, 0.45, 1.6], proportions: [0.3, 0.4, 0.3], sample: [] },
    ],
    score: { name: 'score', edges: [0, 0.5, 1], proportions: [0.62, 0.38], sample: [] },
    classProbabilities: [],
    cbpe: {
      threshold: 0.35,
      calibrator: { thresholdScores: [0.02, 0.31, 0.64, 0.97], thresholdValues: [0, 0.2, 0.7, 1] },
      platt: null,
      calibrationErrorBefore: 0.061,
      calibrationErrorAfter: 0.012,
      expectedAccuracy: 0.809,
    },
    rows: 12_000,
  },
  metrics: {
    challenger: { auc: 0.874, accuracy: 0.8125, logLoss: 0.402 },
    champion: { auc: 0.851, accuracy: 0.79, logLoss: 0.431 },
  },
  trainingWindow: {
    fromTs: 1_716_400_000_000,
    toTs: 1_717_086_400_000,
    trainRows: 8_000,
    holdoutRows: 2_000,
    chosen: '10000',
    candidates: [
      { window: 'since-change', trainRows: 1_200, validationAccuracy: 0.781 },
      { window: '2000', trainRows: 2_000, validationAccuracy: 0.794 },
      { window: '10000', trainRows: 8_000, validationAccuracy: 0.8 },
    ],
  },
};

/**
 * Realistic messages for every topic, valid under the zod schemas: the first of each list is the
 * typical one, the others take the remaining branches (null fields, other enum symbols, zeros).
 */
export const sampleMessages: { readonly [Id in TopicId]: readonly MessageOf<Id>[] } = {
  events: [
    { id: 'evt-000042', model: 'credit-default', ts: 1_717_000_000_123, features },
    { id: 'evt-000043', model: 'sea_v2.1', ts: 0, features: {} },
  ],
  labels: [
    { id: 'evt-000042', model: 'credit-default', ts: 1_717_086_400_000, label: 1 },
    { id: 'evt-000043', model: 'credit-default', ts: 1_717_086_400_001, label: 0 },
    { id: 'evt-000045', model: 'iris', ts: 1_717_086_400_002, label: 'virginica' },
  ],
  predictions: [
    {
      id: 'evt-000042',
      model: 'credit-default',
      modelVersion: 3,
      ts: 1_717_000_000_123,
      scoredAt: 1_717_000_000_140,
      score: 0.8125,
      predicted: 1,
      classes: ['repaid', 'defaulted'],
      probabilities: [0.1875, 0.8125],
      features,
    },
    {
      id: 'evt-000045',
      model: 'iris',
      modelVersion: 1,
      ts: 1_717_000_000_200,
      scoredAt: 1_717_000_000_201,
      score: 0.75,
      predicted: 2,
      classes: ['setosa', 'versicolor', 'virginica'],
      probabilities: [0.05, 0.2, 0.75],
      features: { petal_length: 5.1 },
    },
  ],
  predictionsLabeled: [
    {
      id: 'evt-000042',
      model: 'credit-default',
      modelVersion: 3,
      ts: 1_717_000_000_123,
      scoredAt: 1_717_000_000_140,
      score: 0.8125,
      predicted: 1,
      classes: ['repaid', 'defaulted'],
      probabilities: [0.1875, 0.8125],
      features,
      label: 0,
      labelTs: 1_717_086_400_000,
      labelDelayMs: 86_399_877,
    },
    {
      id: 'evt-000044',
      model: 'credit-default',
      modelVersion: 3,
      ts: 1_717_000_000_500,
      scoredAt: 1_717_000_000_510,
      score: 0,
      predicted: 0,
      // Written before predictions carried their classes: binary, "0" and "1".
      classes: [],
      probabilities: [],
      features: { income: 1e-9 },
      label: 0,
      labelTs: 1_717_000_000_000,
      // A label stamped before its event (clock skew upstream).
      labelDelayMs: -500,
    },
  ],
  modelVersions: [
    promotedVersion,
    {
      ...promotedVersion,
      version: 5,
      parentVersion: 4,
      createdAt: 1_717_190_000_000,
      status: 'rejected',
      reason: 'challenger AUC 0.848 <= champion AUC 0.874',
      requestId: 'req-8a01',
    },
    {
      model: 'credit-default',
      version: 1,
      parentVersion: null,
      createdAt: 1_716_000_000_000,
      status: 'promoted',
      reason: 'bootstrap',
      requestId: null,
      sha256: createHash('sha256').update(Buffer.alloc(0)).digest('hex'),
      onnx: Buffer.alloc(0),
      featureNames: ['income'],
      classes: ['low', 'medium', 'high'],
      threshold: 0.5,
      outputKind: null,
      reference: { features: [], score: null, classProbabilities: [], cbpe: null, rows: null },
      metrics: { challenger: {}, champion: null },
      trainingWindow: {
        fromTs: 0,
        toTs: 0,
        trainRows: 0,
        holdoutRows: 0,
        chosen: null,
        candidates: [],
      },
    },
  ],
  driftAlerts: [
    {
      alertId: 'alert-91c2',
      model: 'credit-default',
      modelVersion: 4,
      kind: 'data',
      detector: 'psi',
      feature: 'income',
      statistic: 0.287,
      threshold: 0.2,
      windowStart: 1_717_100_000_000,
      windowEnd: 1_717_103_600_000,
      observedAt: 1_717_103_600_250,
      severity: 'warning',
      evidence: { topic: 'predictions', partition: 3, offset: '9007199254740993' },
      summary:
        'credit-default v4: the distribution of income moved away from training: PSI 0.287 over the last 1,000 predictions (alert at 0.2), since 2024-05-30T20:13:20Z',
      expectedRunLength: null,
    },
    {
      alertId: 'alert-91c3',
      model: 'credit-default',
      modelVersion: 4,
      kind: 'performance',
      detector: 'window-accuracy',
      feature: null,
      statistic: -0.071,
      threshold: -0.05,
      windowStart: 1_717_100_000_000,
      windowEnd: 1_717_103_600_000,
      observedAt: 1_717_103_600_300,
      summary: '',
      severity: 'critical',
      evidence: null,
      expectedRunLength: 52_000,
    },
  ],
  retrainRequested: [
    {
      requestId: 'req-7f3b',
      model: 'credit-default',
      reason: 'drift',
      alertId: 'alert-91c2',
      fromTs: 1_716_500_000_000,
      toTs: 1_717_103_600_000,
      labeledOffsets: { partition: 3, fromOffset: 81_920, toOffset: 82_431 },
      requestedAt: 1_717_103_601_000,
    },
    {
      requestId: 'req-7f3c',
      model: 'credit-default',
      reason: 'schedule',
      alertId: null,
      fromTs: 1_716_500_000_000,
      toTs: 1_717_103_600_000,
      labeledOffsets: null,
      requestedAt: 1_717_103_601_000,
    },
  ],
  deadLetter: [
    {
      service: 'inference',
      sourceTopic: 'acme.events',
      partition: 2,
      offset: '9007199254740993',
      code: 'DW_MALFORMED_AVRO',
      reason: 'not in the Confluent wire format',
      key: null,
      value: Buffer.from([0x7b, 0x00, 0xff, 0x07]),
      failedAt: 1_717_103_602_000,
      valueTruncated: false,
      valueSize: 4,
      valueSha256: createHash('sha256')
        .update(Buffer.from([0x7b, 0x00, 0xff, 0x07]))
        .digest('hex'),
    },
    {
      service: 'joiner',
      sourceTopic: 'labels',
      partition: 0,
      offset: '0',
      code: 'DW_EMPTY_MESSAGE',
      reason: 'the record has no value',
      key: Buffer.from('evt-000042'),
      value: null,
      failedAt: 1_717_103_602_001,
      valueTruncated: false,
      valueSize: null,
      valueSha256: null,
    },
    {
      service: 'inference',
      sourceTopic: 'events',
      partition: 1,
      offset: '77',
      code: 'DW_RECORD_TOO_LARGE',
      reason: 'the record is 2097152 bytes, over MAX_RECORD_BYTES (524288)',
      key: Buffer.from('evt-000077'),
      value: Buffer.from('{"id":"evt-000077","model":"sea","ts":'),
      failedAt: 1_717_103_602_002,
      valueTruncated: true,
      valueSize: 2_097_152,
      valueSha256: 'a'.repeat(64),
    },
  ],
};
