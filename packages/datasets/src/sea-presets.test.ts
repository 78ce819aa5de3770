/**
 * Measures what the presets promise: how much accuracy each change costs a model of an earlier
 * concept. Exactly, from the closed form of P(x1 + x2 ≤ t), checked against the generated rows;
 * and by training a logistic regression on the first concept and scoring it on every later one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { psi } from '@driftwatch/drift';

import { DatasetError } from './errors.js';
import { seaClassicConcepts, seaDataDriftConcepts, seaDemoConcepts } from './sea-presets.js';
import { seaStream, type ResolvedSeaConcept, type SeaConcept, type SeaRow } from './sea-stream.js';

const NOISE = 0.1;

/** P(u1 + u2 ≤ v) for u1, u2 independent uniform on [0, 1): the triangular CDF. */
function uniformSumCdf(v: number): number {
  if (v <= 0) return 0;
  if (v <= 1) return (v * v) / 2;
  if (v <= 2) return 1 - ((2 - v) * (2 - v)) / 2;
  return 1;
}

/** P(x1 + x2 ≤ t) under `concept`'s feature distribution (x = low + width · u + shift). */
function sumCdf(t: number, concept: ResolvedSeaConcept): number {
  const [low, high] = concept.featureRange;
  const offset = 2 * low + concept.shift.x1 + concept.shift.x2;
  return uniformSumCdf((t - offset) / (high - low));
}

/** P(the rule of `old` and the rule of `current` disagree) on `current`'s features. */
function disagreement(old: ResolvedSeaConcept, current: ResolvedSeaConcept): number {
  const between = Math.abs(sumCdf(old.threshold, current) - sumCdf(current.threshold, current));
  return old.positive === current.positive ? between : 1 - between;
}

/** Accuracy against noisy labels of predicting with `old`'s rule on `current`'s rows. */
function ruleAccuracy(old: ResolvedSeaConcept, current: ResolvedSeaConcept): number {
  const d = disagreement(old, current);
  return (1 - NOISE) * (1 - d) + NOISE * d;
}

function resolved(concepts: SeaConcept[], length: number): readonly ResolvedSeaConcept[] {
  return seaStream({ seed: 1, length, concepts }).concepts;
}

function rowsOf(concept: number, rows: readonly SeaRow[]): SeaRow[] {
  return rows.filter((row) => row.concept === concept);
}

/** A logistic regression on standardized x1, x2, x3, by full-batch gradient descent. */
function trainLogisticRegression(rows: readonly SeaRow[]): (row: SeaRow) => 0 | 1 {
  const names = ['x1', 'x2', 'x3'] as const;
  const means = names.map(
    (name) => rows.reduce((s, row) => s + row.features[name], 0) / rows.length,
  );
  const scales = names.map((name, j) =>
    Math.sqrt(rows.reduce((s, row) => s + (row.features[name] - means[j]!) ** 2, 0) / rows.length),
  );
  const inputs = rows.map((row) =>
    names.map((name, j) => (row.features[name] - means[j]!) / scales[j]!),
  );
  const weights = [0, 0, 0];
  let bias = 0;
  const rate = 1;
  for (let step = 0; step < 1500; step++) {
    const gradient = [0, 0, 0];
    let biasGradient = 0;
    inputs.forEach((x, i) => {
      const z = bias + weights[0]! * x[0]! + weights[1]! * x[1]! + weights[2]! * x[2]!;
      const error = 1 / (1 + Math.exp(-z)) - rows[i]!.label;
      for (let j = 0; j < 3; j++) gradient[j]! += error * x[j]!;
      biasGradient += error;
    });
    for (let j = 0; j < 3; j++) weights[j]! -= (rate * gradient[j]!) / rows.length;
    bias -= (rate * biasGradient) / rows.length;
  }
  return (row) => {
    const z = names.reduce(
      (sum, name, j) => sum + (weights[j]! * (row.features[name] - means[j]!)) / scales[j]!,
      bias,
    );
    return z >= 0 ? 1 : 0;
  };
}

function accuracy(predict: (row: SeaRow) => 0 | 1, rows: readonly SeaRow[]): number {
  return rows.filter((row) => predict(row) === row.label).length / rows.length;
}

const points = (value: number): string => (100 * value).toFixed(1);

describe('seaDemoConcepts', () => {
  const length = 20_000;
  const concepts = resolved(seaDemoConcepts(length), length);

  it('has four blocks of equal length', () => {
    assert.equal(concepts.length, 4);
    assert.deepEqual(
      concepts.map((concept) => concept.start),
      [0, 1, 2, 3].map((k) => (k * length) / 4),
    );
  });

  it('costs the previous concept’s boundary at least 5 points (Bayes-optimal) at every change', (t) => {
    for (let k = 1; k < concepts.length; k++) {
      const drop = 1 - NOISE - ruleAccuracy(concepts[k - 1]!, concepts[k]!);
      t.diagnostic(`change ${k}: previous boundary loses ${points(drop)} points`);
      assert.ok(drop >= 0.05, `change ${k}: drop ${drop}`);
    }
  });

  it('costs a model of concept 0 at least 5 more points at every change', (t) => {
    const first = concepts[0]!;
    for (let k = 1; k < concepts.length; k++) {
      const before = ruleAccuracy(first, concepts[k - 1]!);
      const after = ruleAccuracy(first, concepts[k]!);
      t.diagnostic(`change ${k}: concept-0 boundary ${points(before)}% → ${points(after)}%`);
      assert.ok(before - after >= 0.05, `change ${k}: ${before} → ${after}`);
    }
  });

  it('generates rows on which the old boundaries score what the closed form says', () => {
    const rows = [...seaStream({ seed: 21, length, concepts })];
    for (let k = 1; k < concepts.length; k++) {
      for (const old of [concepts[0]!, concepts[k - 1]!]) {
        const block = rowsOf(k, rows);
        const expected = ruleAccuracy(old, concepts[k]!);
        const predicted = (row: SeaRow): 0 | 1 =>
          row.features.x1 + row.features.x2 <= old.threshold ? 1 : 0;
        const measured = accuracy(predicted, block);
        const tolerance = 5 * Math.sqrt((expected * (1 - expected)) / block.length);
        assert.ok(Math.abs(measured - expected) <= tolerance, `${measured} vs ${expected}`);
      }
    }
  });

  it('makes a logistic regression trained on concept 0 lose at least 5 points at every change', (t) => {
    const training = rowsOf(0, [...seaStream({ seed: 1, length, concepts })]);
    const model = trainLogisticRegression(training);
    const test = [...seaStream({ seed: 2, length, concepts })];
    const accuracies = concepts.map((_, k) => accuracy(model, rowsOf(k, test)));
    t.diagnostic(`logistic regression per concept: ${accuracies.map(points).join(' → ')}%`);
    // Trained well: close to the Bayes-optimal 90% on its own concept.
    assert.ok(accuracies[0]! >= 1 - NOISE - 0.02, `concept 0: ${accuracies[0]}`);
    for (let k = 1; k < accuracies.length; k++) {
      assert.ok(
        accuracies[k - 1]! - accuracies[k]! >= 0.05,
        `change ${k}: ${accuracies.join(', ')}`,
      );
      // And it loses what its boundary, nearly x1 + x2 = 7, would.
      assert.ok(Math.abs(accuracies[k]! - ruleAccuracy(concepts[0]!, concepts[k]!)) < 0.03);
    }
  });

  it('rejects a length shorter than the number of blocks', () => {
    assert.throws(
      () => seaDemoConcepts(3),
      (error: unknown) =>
        error instanceof DatasetError && error.code === 'DW_DATASET_INVALID_OPTION',
    );
  });
});

describe('seaClassicConcepts', () => {
  const length = 60_000;
  const concepts = resolved(seaClassicConcepts(length), length);

  it("are the paper's θ = 8, 9, 7, 9.5 in four equal blocks", () => {
    assert.deepEqual(
      concepts.map((concept) => [concept.start, concept.threshold, concept.positive]),
      [
        [0, 8, 'below'],
        [15_000, 9, 'below'],
        [30_000, 7, 'below'],
        [45_000, 9.5, 'below'],
      ],
    );
  });

  it('do not cost a model of concept 0 accuracy at every change (why the demo uses others)', (t) => {
    const first = concepts[0]!;
    const drops = concepts
      .slice(1)
      .map((concept, k) => ruleAccuracy(first, concepts[k]!) - ruleAccuracy(first, concept));
    t.diagnostic(`concept-0 boundary drops: ${drops.map(points).join(', ')} points`);
    assert.ok(drops.some((drop) => drop < 0.05));
  });
});

describe('seaDataDriftConcepts', () => {
  const length = 20_000;
  const concepts = resolved(seaDataDriftConcepts(length), length);

  it('keeps the rule and the class balance', () => {
    const [before, after] = concepts;
    assert.equal(disagreement(before!, after!), 0);
    assert.equal(sumCdf(before!.threshold, before!), sumCdf(after!.threshold, after!));
  });

  it('moves x1 and x2 enough for PSI to alert, and costs a logistic regression nothing', (t) => {
    const rows = [...seaStream({ seed: 5, length, concepts })];
    const [before, after] = [rowsOf(0, rows), rowsOf(1, rows)];
    // Unit bins over [-3, 13), where both blocks' values lie.
    const proportions = (values: number[]): number[] => {
      const counts = new Array<number>(16).fill(0);
      for (const value of values) counts[Math.floor(value) + 3]! += 1;
      return counts.map((count) => count / values.length);
    };
    for (const name of ['x1', 'x2'] as const) {
      const index = psi(
        proportions(before.map((row) => row.features[name])),
        proportions(after.map((row) => row.features[name])),
      );
      t.diagnostic(`PSI of ${name}: ${index.toFixed(2)}`);
      assert.ok(index > 0.25, `PSI of ${name}: ${index}`);
    }
    const x3 = psi(
      proportions(before.map((row) => row.features.x3)),
      proportions(after.map((row) => row.features.x3)),
    );
    assert.ok(x3 < 0.1, `PSI of x3: ${x3}`);
    const model = trainLogisticRegression(before);
    const [own, shifted] = [accuracy(model, before), accuracy(model, after)];
    t.diagnostic(`logistic regression: ${points(own)}% → ${points(shifted)}%`);
    assert.ok(Math.abs(own - shifted) < 0.02);
  });
});
