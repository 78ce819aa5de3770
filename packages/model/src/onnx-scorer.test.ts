import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from '@driftwatch/drift';
import {
  predictClassProbabilities,
  predictProbabilities,
  type BinaryModel,
  type LogisticModel,
  type MulticlassModel,
  type SoftmaxMlpModel,
  type TrainedModel,
} from '@driftwatch/learn';
import onnxProto from 'onnx-proto';
import { InferenceSession } from 'onnxruntime-node';

import { buildFeatureMatrix } from './build-feature-matrix.js';
import { ModelError, type ModelErrorCode } from './errors.js';
import { exportOnnx } from './export-onnx.js';
import { OnnxScorer } from './onnx-scorer.js';
import { sha256Hex } from './sha256-hex.js';
import {
  featureNames,
  trainedModels,
  trainedMulticlassModels,
  wideRangeRows,
} from './testing/seeded-models.js';

const { onnx } = onnxProto;
const models = trainedModels();

function float32Matrix(rows: readonly (readonly number[])[]): Float32Array {
  return Float32Array.from(rows.flat());
}

function modelError(code: ModelErrorCode, message?: RegExp): (error: unknown) => boolean {
  return (error) =>
    error instanceof ModelError &&
    error.code === code &&
    (error as { retriable: unknown }).retriable === false &&
    (message?.test(error.message) ?? true);
}

/** Decodes an export, lets `edit` change the proto, encodes it again. */
function edited(model: TrainedModel, edit: (proto: onnxProto.onnx.ModelProto) => void): Uint8Array {
  const proto = onnx.ModelProto.decode(exportOnnx(model));
  edit(proto);
  return onnx.ModelProto.encode(proto).finish();
}

/** A random model on the five test features with weights large enough to spread probabilities. */
function randomMlp(seed: number, activation: 'tanh' | 'relu'): BinaryModel {
  const random = mulberry32(seed);
  const weight = (): number => (random() * 2 - 1) * 3;
  const units = 7;
  return {
    family: 'mlp',
    featureNames: [...featureNames],
    standardization: { mean: [0, 1e6, 0, 2.5, 1.7e12], scale: [0.6, 600, 6e-5, 1.7, 6e8] },
    activation,
    hidden: {
      weights: Array.from({ length: units }, () => featureNames.map(weight)),
      bias: Array.from({ length: units }, weight),
    },
    output: { weights: Array.from({ length: units }, weight), bias: weight() },
  };
}

describe('OnnxScorer', () => {
  const cases: [string, BinaryModel][] = [
    ['logistic (trained)', models.logistic],
    ['mlp tanh (trained)', models.tanh],
    ['mlp relu (trained)', models.relu],
    ['mlp tanh (random weights)', randomMlp(5, 'tanh')],
    ['mlp relu (random weights)', randomMlp(6, 'relu')],
  ];
  for (const [name, model] of cases) {
    it(`scores like the float64 TypeScript model to 1e-6: ${name}`, async () => {
      const scorer = await OnnxScorer.load(exportOnnx(model));
      try {
        // Inside, and far outside, the training range; features span 1e-4 to 1.7e12.
        const rows = [...wideRangeRows(11, 2000), ...wideRangeRows(12, 2000, 20)];
        const matrix = float32Matrix(rows);
        const scores = await scorer.score(matrix, rows.length);
        // The graph gets float32 inputs; the reference computes in float64 on the same values.
        const expected = predictProbabilities(
          model,
          rows.map((row) => row.map(Math.fround)),
        );
        let worst = 0;
        let spread = 0;
        for (let i = 0; i < rows.length; i++) {
          worst = Math.max(worst, Math.abs(scores[i]! - expected[i]!));
          if (expected[i]! > 0.05 && expected[i]! < 0.95) spread++;
        }
        assert.ok(worst <= 1e-6, `max |ONNX − TypeScript| = ${worst}`);
        // Not a vacuous comparison of saturated 0s and 1s.
        assert.ok(spread > rows.length / 10, `${spread} rows strictly between 0.05 and 0.95`);
      } finally {
        await scorer.release();
      }
    });
  }

  it('reads the feature order from the metadata, so event key order does not matter', async () => {
    const model: LogisticModel = {
      family: 'logistic',
      featureNames: ['b', 'a', 'c'],
      standardization: { mean: [0, 0, 0], scale: [1, 1, 1] },
      weights: [2, -1, 0.5],
      bias: 0.1,
    };
    const scorer = await OnnxScorer.load(exportOnnx(model));
    try {
      assert.deepEqual(scorer.featureNames, ['b', 'a', 'c']);
      assert.equal(scorer.family, 'logistic');
      const events = [
        { features: { a: 1, b: 0.25, c: -2 } },
        { features: { c: -2, b: 0.25, a: 1 } },
        { features: { b: 0.25, extra: 99, c: -2, a: 1 } },
      ];
      const { matrix, accepted } = buildFeatureMatrix(events, scorer.featureNames);
      const scores = await scorer.score(matrix, accepted.length);
      const expected = 1 / (1 + Math.exp(-(2 * 0.25 - 1 * 1 + 0.5 * -2 + 0.1)));
      for (const score of scores) assert.ok(Math.abs(score - expected) < 1e-7, `${score}`);
    } finally {
      await scorer.release();
    }
  });

  it('scores a batch of 10,000 rows with one session.run', async (t) => {
    // The class behind onnxruntime's InferenceSession factory type: count its runs.
    const sessionClass = InferenceSession as unknown as {
      prototype: { run: (...args: unknown[]) => unknown };
    };
    const run = t.mock.method(sessionClass.prototype, 'run');
    const scorer = await OnnxScorer.load(exportOnnx(models.tanh));
    try {
      const rows = wideRangeRows(21, 10_000);
      const scores = await scorer.score(float32Matrix(rows), rows.length);
      assert.equal(scores.length, 10_000);
      assert.ok(scores.every((p) => p >= 0 && p <= 1));
      assert.equal(run.mock.callCount(), 1);
      assert.equal((await scorer.score(new Float32Array(0), 0)).length, 0);
      assert.equal(run.mock.callCount(), 1);
    } finally {
      await scorer.release();
    }
  });

  it('scores a matrix that is a view into a larger buffer', async () => {
    const scorer = await OnnxScorer.load(exportOnnx(models.relu));
    try {
      const rows = wideRangeRows(31, 50);
      const width = featureNames.length;
      const padded = new Float32Array((rows.length + 3) * width);
      padded.set(float32Matrix(rows), 2 * width);
      const view = padded.subarray(2 * width, (2 + rows.length) * width);
      assert.deepEqual(
        await scorer.score(view, rows.length),
        await scorer.score(float32Matrix(rows), rows.length),
      );
    } finally {
      await scorer.release();
    }
  });

  it('verifies the SHA-256 before anything else', async () => {
    const bytes = exportOnnx(models.logistic);
    const scorer = await OnnxScorer.load(bytes, { expectedSha256: sha256Hex(bytes).toUpperCase() });
    await scorer.release();
    const wrong = sha256Hex(new Uint8Array([1]));
    await assert.rejects(
      OnnxScorer.load(bytes, { expectedSha256: wrong }),
      (error: unknown) =>
        modelError('DW_MODEL_CHECKSUM_MISMATCH')(error) &&
        (error as ModelError).details.expectedSha256 === wrong &&
        (error as ModelError).details.actualSha256 === sha256Hex(bytes),
    );
    // Garbage with a wrong checksum fails on the checksum, not on decoding.
    await assert.rejects(
      OnnxScorer.load(new Uint8Array([0xff, 0xff]), { expectedSha256: wrong }),
      modelError('DW_MODEL_CHECKSUM_MISMATCH'),
    );
  });

  it('rejects bytes that are not a driftwatch ONNX model with DW_MODEL_INVALID', async () => {
    const random = mulberry32(8);
    const garbage = Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256));
    const invalid: [string, Uint8Array, RegExp][] = [
      ['empty', new Uint8Array(0), /non-empty/],
      ['random bytes', garbage, /not a driftwatch ONNX model/],
      ['text', new TextEncoder().encode('{"family":"logistic"}'), /not a driftwatch ONNX model/],
      [
        'no feature names',
        edited(models.logistic, (proto) => {
          proto.metadataProps = proto.metadataProps.filter(
            (p) => p.key !== 'driftwatch.feature_names',
          );
        }),
        /driftwatch.feature_names is missing/,
      ],
      [
        'feature names not JSON',
        edited(models.logistic, (proto) => {
          for (const p of proto.metadataProps)
            if (p.key === 'driftwatch.feature_names') p.value = '[x';
        }),
        /is not JSON/,
      ],
      [
        'repeated feature names',
        edited(models.logistic, (proto) => {
          for (const p of proto.metadataProps) {
            if (p.key === 'driftwatch.feature_names') p.value = '["a","a","b","c","d"]';
          }
        }),
        /unique names/,
      ],
      [
        'unknown family',
        edited(models.logistic, (proto) => {
          for (const p of proto.metadataProps)
            if (p.key === 'driftwatch.model_family') p.value = 'forest';
        }),
        /model_family/,
      ],
      [
        'input width differs from the feature names',
        edited(models.logistic, (proto) => {
          for (const p of proto.metadataProps) {
            if (p.key === 'driftwatch.feature_names') p.value = '["a","b","c"]';
          }
        }),
        /must be float32 \[N, 3\]/,
      ],
      [
        'a graph onnxruntime refuses',
        edited(models.logistic, (proto) => {
          (proto.graph as onnxProto.onnx.GraphProto).node[1]!.opType = 'NoSuchOperator';
        }),
        /onnxruntime cannot load the model/,
      ],
    ];
    for (const [name, bytes, message] of invalid) {
      await assert.rejects(OnnxScorer.load(bytes), modelError('DW_MODEL_INVALID', message), name);
    }
  });

  it('rejects a bad matrix or row count', async () => {
    const scorer = await OnnxScorer.load(exportOnnx(models.logistic));
    try {
      const width = featureNames.length;
      await assert.rejects(
        scorer.score(new Float32Array(width * 2), 3),
        modelError('DW_MODEL_INVALID_INPUT'),
      );
      await assert.rejects(
        scorer.score(new Float32Array(width), -1),
        modelError('DW_MODEL_INVALID_INPUT'),
      );
      await assert.rejects(
        scorer.score(new Float32Array(width), 0.5),
        modelError('DW_MODEL_INVALID_INPUT'),
      );
      await assert.rejects(
        scorer.score(new Float64Array(width) as unknown as Float32Array, 1),
        modelError('DW_MODEL_INVALID_INPUT'),
      );
    } finally {
      await scorer.release();
    }
  });

  it('releases idempotently, after the runs in flight, and refuses to score afterwards', async () => {
    const scorer = await OnnxScorer.load(exportOnnx(models.tanh));
    const rows = wideRangeRows(41, 1000);
    const pending = scorer.score(float32Matrix(rows), rows.length);
    const first = scorer.release();
    const second = scorer.release();
    assert.equal((await pending).length, 1000);
    await Promise.all([first, second]);
    await scorer.release();
    await assert.rejects(
      scorer.score(float32Matrix(rows), rows.length),
      modelError('DW_MODEL_RELEASED'),
    );
  });

  it('rejects an invalid thread count', async () => {
    await assert.rejects(
      OnnxScorer.load(exportOnnx(models.logistic), { intraOpNumThreads: 0 }),
      modelError('DW_MODEL_INVALID_INPUT'),
    );
    const scorer = await OnnxScorer.load(exportOnnx(models.logistic), { intraOpNumThreads: 1 });
    await scorer.release();
  });
});

/** A random softmax MLP on the five test features, five classes, logits spread wide. */
function randomSoftmaxMlp(seed: number, activation: 'tanh' | 'relu'): SoftmaxMlpModel {
  const binary = randomMlp(seed, activation);
  const random = mulberry32(seed + 100);
  const weight = (): number => (random() * 2 - 1) * 3;
  const units = binary.family === 'mlp' ? binary.hidden.weights.length : 0;
  return {
    ...(binary as Extract<BinaryModel, { family: 'mlp' }>),
    classCount: 5,
    output: {
      weights: Array.from({ length: 5 }, () => Array.from({ length: units }, weight)),
      bias: Array.from({ length: 5 }, weight),
    },
  };
}

describe('OnnxScorer (multiclass exports)', () => {
  const multiclassModels = trainedMulticlassModels();
  const cases: [string, MulticlassModel][] = [
    ['softmax regression (trained)', multiclassModels.logistic],
    ['softmax mlp tanh (trained)', multiclassModels.tanh],
    ['softmax mlp relu (trained)', multiclassModels.relu],
    ['softmax mlp tanh (random weights)', randomSoftmaxMlp(5, 'tanh')],
    ['softmax mlp relu (random weights)', randomSoftmaxMlp(6, 'relu')],
  ];
  for (const [name, model] of cases) {
    it(`scores every class like the float64 TypeScript model to 1e-6: ${name}`, async () => {
      const scorer = await OnnxScorer.load(exportOnnx(model));
      try {
        assert.equal(scorer.classCount, model.classCount);
        assert.equal(scorer.metadata['driftwatch.class_count'], String(model.classCount));
        const rows = [...wideRangeRows(11, 2000), ...wideRangeRows(12, 2000, 20)];
        const probabilities = await scorer.scoreProbabilities(float32Matrix(rows), rows.length);
        const expected = predictClassProbabilities(
          model,
          rows.map((row) => row.map(Math.fround)),
        );
        assert.equal(probabilities.length, rows.length * model.classCount);
        let worst = 0;
        let spread = 0;
        for (let i = 0; i < probabilities.length; i++) {
          worst = Math.max(worst, Math.abs(probabilities[i]! - expected[i]!));
          if (expected[i]! > 0.05 && expected[i]! < 0.95) spread++;
        }
        assert.ok(worst <= 1e-6, `max |ONNX − TypeScript| = ${worst}`);
        assert.ok(spread > probabilities.length / 20, `${spread} values strictly in (0.05, 0.95)`);
      } finally {
        await scorer.release();
      }
    });
  }

  it('gives [1 − p, p] per row for a binary export, and one probability from score', async () => {
    const scorer = await OnnxScorer.load(exportOnnx(models.tanh));
    try {
      assert.equal(scorer.classCount, 2);
      const rows = wideRangeRows(13, 200);
      const p = await scorer.score(float32Matrix(rows), rows.length);
      const both = await scorer.scoreProbabilities(float32Matrix(rows), rows.length);
      assert.deepEqual(both, Float32Array.from(Array.from(p).flatMap((x) => [1 - x, x])));
      assert.equal((await scorer.scoreProbabilities(new Float32Array(0), 0)).length, 0);
    } finally {
      await scorer.release();
    }
  });

  it('refuses score() on a multiclass export, which has no single probability', async () => {
    const scorer = await OnnxScorer.load(exportOnnx(multiclassModels.logistic));
    try {
      const rows = wideRangeRows(14, 3);
      await assert.rejects(
        scorer.score(float32Matrix(rows), rows.length),
        modelError('DW_MODEL_INVALID_INPUT', /4-class model .* use scoreProbabilities/),
      );
      await assert.rejects(
        scorer.scoreProbabilities(new Float32Array(7), 2),
        modelError('DW_MODEL_INVALID_INPUT'),
      );
    } finally {
      await scorer.release();
    }
    await assert.rejects(
      scorer.scoreProbabilities(new Float32Array(0), 0),
      modelError('DW_MODEL_RELEASED'),
    );
  });

  it('rejects a class count the graph does not have with DW_MODEL_INVALID', async () => {
    const setClassCount = (value: string) => (proto: onnxProto.onnx.ModelProto) => {
      for (const p of proto.metadataProps) if (p.key === 'driftwatch.class_count') p.value = value;
    };
    const invalid: [string, Uint8Array, RegExp][] = [
      ['class count 2', edited(multiclassModels.logistic, setClassCount('2')), /integer ≥ 3/],
      ['class count text', edited(multiclassModels.logistic, setClassCount('4x')), /integer ≥ 3/],
      [
        'class count other than the output width',
        edited(multiclassModels.logistic, setClassCount('5')),
        /output "probabilities" must be float32 \[N, 5\]/,
      ],
      [
        'class count on a binary export',
        edited(models.logistic, (proto) => {
          proto.metadataProps.push(
            onnx.StringStringEntryProto.create({ key: 'driftwatch.class_count', value: '3' }),
          );
        }),
        /output "probabilities" must be float32 \[N, 3\]/,
      ],
    ];
    for (const [name, bytes, message] of invalid) {
      await assert.rejects(OnnxScorer.load(bytes), modelError('DW_MODEL_INVALID', message), name);
    }
  });
});
