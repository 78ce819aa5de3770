import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from '@driftwatch/drift';

import { LearnError } from './errors.js';
import { predictProbabilities } from './predict-probabilities.js';
import { prequentialBaseline, type PrequentialBaselineOptions } from './prequential-baseline.js';
import { trainModel } from './train-model.js';

const featureNames = ['x', 'noise'];

/**
 * Rows of two features uniform in [−1, 1]; the label is x > 0 before row `flipAt` and x < 0 from
 * it on: an abrupt concept flip that only new training data can follow.
 */
function flippingStream(seed: number, length: number, flipAt: number) {
  const random = mulberry32(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < length; i++) {
    const x = 2 * random() - 1;
    rows.push([x, 2 * random() - 1]);
    labels.push(i < flipAt === x > 0 ? 1 : 0);
  }
  return { rows, labels };
}

const reference = flippingStream(1, 1000, Infinity);
const stream = flippingStream(2, 10_000, 3000);
const base: PrequentialBaselineOptions = { family: 'logistic', featureNames, reference, stream };

const rejects = (options: PrequentialBaselineOptions, code: string): void => {
  assert.throws(
    () => prequentialBaseline(options),
    (error: unknown) => error instanceof LearnError && error.code === code,
  );
};

describe('prequentialBaseline', () => {
  const never = prequentialBaseline(base);
  const periodic = prequentialBaseline({ ...base, retrain: { every: 1000, window: 2000 } });

  it('never retrained: right before the flip, wrong after it', () => {
    assert.equal(never.correct.length, 10_000);
    assert.equal(never.retrains, 0);
    assert.equal(never.skippedRetrains, 0);
    const before = never.correct.slice(0, 3000).filter(Boolean).length;
    const after = never.correct.slice(3000).filter(Boolean).length;
    assert.ok(before > 2950, `before the flip: ${before} of 3000 right`);
    assert.ok(after < 50, `after the flip: ${after} of 7000 right`);
    assert.equal(never.accuracy, (before + after) / 10_000);
  });

  it('periodic retraining follows the flip once a window holds the new concept only', () => {
    assert.ok(never.accuracy < 0.32, `never retrained: ${never.accuracy}`);
    assert.ok(periodic.accuracy > 0.75, `periodic: ${periodic.accuracy}`);
    assert.ok(periodic.accuracy - never.accuracy > 0.45);
    // From row 5000 each window (rows i − 2000 … i − 1) is all new concept.
    const late = periodic.correct.slice(5000).filter(Boolean).length;
    assert.ok(late > 4950, `rows 5000 on: ${late} of 5000 right`);
    assert.equal(periodic.retrains, Math.floor((10_000 - 1) / 1000));
    assert.equal(periodic.skippedRetrains, 0);
  });

  it('scores the first `every` rows with the reference model, as never retrained', () => {
    assert.deepEqual(periodic.correct.slice(0, 1000), never.correct.slice(0, 1000));
    assert.notDeepEqual(periodic.correct.slice(1000, 2000), never.correct.slice(1000, 2000));
  });

  it('runs no retrain whose model would score nothing', () => {
    const short = { rows: stream.rows.slice(0, 3000), labels: stream.labels.slice(0, 3000) };
    const exact = prequentialBaseline({ ...base, stream: short, retrain: { every: 1000 } });
    assert.equal(exact.retrains, 2);
    const one = { rows: stream.rows.slice(0, 3001), labels: stream.labels.slice(0, 3001) };
    assert.equal(
      prequentialBaseline({ ...base, stream: one, retrain: { every: 1000 } }).retrains,
      3,
    );
  });

  it('retrains on the last `window` rows seen, the reference counting as seen', () => {
    const every = 300;
    const window = 500;
    const result = prequentialBaseline({ ...base, retrain: { every, window } });
    // Before stream row 300, 1300 rows were seen: the window is reference rows 800 … 999 and
    // stream rows 0 … 299. Before row 2400, it is stream rows 1900 … 2399.
    for (const [start, windowRows, windowLabels] of [
      [
        300,
        [...reference.rows.slice(800), ...stream.rows.slice(0, 300)],
        [...reference.labels.slice(800), ...stream.labels.slice(0, 300)],
      ],
      [2400, stream.rows.slice(1900, 2400), stream.labels.slice(1900, 2400)],
    ] as const) {
      const model = trainModel('logistic', windowRows, windowLabels, featureNames);
      if ('classCount' in model) assert.fail('a binary model was expected');
      const scores = predictProbabilities(model, stream.rows.slice(start, start + every));
      const expected = Array.from(
        scores,
        (p, i) => (p >= 0.5 ? 1 : 0) === stream.labels[start + i],
      );
      assert.deepEqual(result.correct.slice(start, start + every), expected);
    }
  });

  it('defaults to retraining every 1,000 rows on the last 5,000', () => {
    assert.deepEqual(
      prequentialBaseline({ ...base, retrain: {} }),
      prequentialBaseline({ ...base, retrain: { every: 1000, window: 5000 } }),
    );
  });

  it('is deterministic for a seeded MLP, and the seed matters', () => {
    const small = { rows: stream.rows.slice(2000, 4000), labels: stream.labels.slice(2000, 4000) };
    const options = {
      ...base,
      family: 'mlp',
      stream: small,
      trainOptions: { mlp: { hiddenUnits: 4, epochs: 3, seed: 42 } },
      retrain: { every: 500, window: 1000 },
    } as const;
    const first = prequentialBaseline(options);
    assert.deepEqual(prequentialBaseline(options), first);
    assert.equal(first.retrains, 3);
    const reseeded = prequentialBaseline({
      ...options,
      trainOptions: { mlp: { hiddenUnits: 4, epochs: 3, seed: 43 } },
    });
    assert.notDeepEqual(reseeded.correct, first.correct);
  });

  it('keeps the previous model when a window holds one class', () => {
    // Every stream row is class 1 and agrees with the reference concept, so every window of
    // stream rows alone is one class.
    const positives = {
      rows: [
        [0.5, 0],
        [0.9, 0.1],
        [0.2, -0.3],
        [0.7, 0.4],
      ],
      labels: [1, 1, 1, 1],
    };
    const result = prequentialBaseline({
      ...base,
      stream: positives,
      retrain: { every: 1, window: 1 },
    });
    assert.deepEqual(result.correct, [true, true, true, true]);
    assert.equal(result.retrains, 0);
    assert.equal(result.skippedRetrains, 3);
  });

  it('keeps the previous model when a multiclass window lacks a class', () => {
    // Three classes by x: below −⅓, between, above ⅓.
    const classOf = (row: readonly number[]): number =>
      (row[0] ?? 0) < -1 / 3 ? 0 : (row[0] ?? 0) < 1 / 3 ? 1 : 2;
    const three = { rows: reference.rows, labels: reference.rows.map(classOf) };
    const noZeros = stream.rows.filter((row) => classOf(row) !== 0).slice(0, 40);
    const result = prequentialBaseline({
      ...base,
      classCount: 3,
      reference: three,
      stream: { rows: noZeros, labels: noZeros.map(classOf) },
      retrain: { every: 10, window: 10 },
    });
    assert.equal(result.retrains, 0);
    assert.equal(result.skippedRetrains, 3);
    assert.ok(result.accuracy > 0.9, `accuracy ${result.accuracy}`);
  });

  it('rejects bad options with DW_LEARN_INVALID_OPTION', () => {
    for (const retrain of [{ every: 0 }, { every: 1.5 }, { window: -1 }, { window: Number.NaN }]) {
      rejects({ ...base, retrain }, 'DW_LEARN_INVALID_OPTION');
    }
    rejects({ ...base, family: 'forest' as 'mlp' }, 'DW_LEARN_INVALID_OPTION');
    rejects({ ...base, classCount: 1 }, 'DW_LEARN_INVALID_OPTION');
  });

  it('rejects malformed rows, labels and names with DW_LEARN_INVALID_INPUT', () => {
    const rows = [[0.5, 0]];
    for (const bad of [
      { stream: { rows: [], labels: [] } },
      { stream: { rows, labels: [1, 0] } },
      { stream: { rows, labels: [2] } },
      { stream: { rows: [[0.5]], labels: [1] } },
      { stream: { rows: [[0.5, Number.NaN]], labels: [1] } },
      { reference: { rows: reference.rows, labels: reference.labels.slice(1) } },
      { featureNames: ['x', 'x'] },
    ]) {
      rejects({ ...base, ...bad }, 'DW_LEARN_INVALID_INPUT');
    }
  });
});
