import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertRate, expectInvalidOption } from './testing/stream-assertions.js';
import { seaLabel, seaStream, type SeaConcept, type SeaRow } from './sea-stream.js';

const twoConcepts: SeaConcept[] = [
  { start: 0, threshold: 8 },
  { start: 4000, threshold: 9.5 },
];

describe('seaStream', () => {
  it('yields length rows indexed 0…length−1, each from the concept its start says', () => {
    const concepts: SeaConcept[] = [
      { start: 0, threshold: 8 },
      { start: 3, threshold: 9 },
      { start: 7, threshold: 7 },
    ];
    const stream = seaStream({ seed: 5, length: 10, concepts });
    const rows = [...stream];
    assert.deepEqual(
      rows.map((row) => row.index),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.deepEqual(
      rows.map((row) => row.concept),
      [0, 0, 0, 1, 1, 1, 1, 2, 2, 2],
    );
    assert.deepEqual(stream.drifts, [3, 7]);
    assert.equal(stream.length, 10);
    assert.equal(stream.noise, 0.1);
  });

  it('defaults to the demo concepts: four equal blocks', () => {
    const stream = seaStream({ seed: 1, length: 8000 });
    assert.deepEqual(stream.drifts, [2000, 4000, 6000]);
    assert.deepEqual(
      stream.concepts.map((concept) => concept.threshold),
      [7, 9, 11, 13],
    );
  });

  it('draws x1, x2, x3 uniform in [0, 10)', () => {
    const rows = [...seaStream({ seed: 11, length: 30_000, concepts: twoConcepts })];
    for (const name of ['x1', 'x2', 'x3'] as const) {
      const values = rows.map((row) => row.features[name]);
      assert.ok(
        values.every((value) => value >= 0 && value < 10),
        `${name} outside [0, 10)`,
      );
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
      const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
      // Uniform on [0, 10): mean 5, variance 100/12, standard error of the mean √(100/12/n).
      assert.ok(
        Math.abs(mean - 5) < 5 * Math.sqrt(100 / 12 / values.length),
        `${name} mean ${mean}`,
      );
      assert.ok(Math.abs(variance - 100 / 12) < 0.25, `${name} variance ${variance}`);
      // Each tenth of the range gets about a tenth of the values.
      for (let decile = 0; decile < 10; decile++) {
        const count = values.filter((value) => Math.floor(value) === decile).length;
        assertRate(count, values.length, 0.1, `${name} in [${decile}, ${decile + 1})`);
      }
    }
  });

  it('labels 1 exactly when x1 + x2 ≤ θ without noise, x3 playing no part', () => {
    const rows = [...seaStream({ seed: 2, length: 10_000, concepts: twoConcepts, noise: 0 })];
    for (const row of rows) {
      const threshold = row.concept === 0 ? 8 : 9.5;
      assert.equal(row.label, row.features.x1 + row.features.x2 <= threshold ? 1 : 0);
    }
    // Both classes occur in both concepts.
    for (const concept of [0, 1]) {
      const labels = new Set(rows.filter((row) => row.concept === concept).map((row) => row.label));
      assert.deepEqual([...labels].sort(), [0, 1]);
    }
  });

  it('flips about `noise` of the labels, and the flips are the rows the rule disagrees with', () => {
    for (const noise of [0.1, 0.3]) {
      const stream = seaStream({ seed: 3, length: 20_000, concepts: twoConcepts, noise });
      const clean = [...seaStream({ seed: 3, length: 20_000, concepts: twoConcepts, noise: 0 })];
      let flipped = 0;
      for (const row of stream) {
        const concept = stream.concepts[row.concept]!;
        const cleanRow = clean[row.index]!;
        // Noise touches labels only.
        assert.deepEqual(row.features, cleanRow.features);
        assert.equal(cleanRow.label, seaLabel(concept, row.features));
        if (row.label !== cleanRow.label) flipped++;
      }
      assertRate(flipped, 20_000, noise, `flips at noise ${noise}`);
    }
    const all = [...seaStream({ seed: 3, length: 5000, concepts: twoConcepts, noise: 1 })];
    assert.ok(
      all.every(
        (row) =>
          row.label !==
          (row.features.x1 + row.features.x2 <= (row.concept === 0 ? 8 : 9.5) ? 1 : 0),
      ),
    );
  });

  it('is deterministic for a seed, the same on every pass, and different for another seed', () => {
    const stream = seaStream({ seed: 42, length: 500, concepts: twoConcepts.slice(0, 1) });
    const first = [...stream];
    assert.deepEqual([...stream], first);
    assert.deepEqual(
      [...seaStream({ seed: 42, length: 500, concepts: twoConcepts.slice(0, 1) })],
      first,
    );
    const other = [...seaStream({ seed: 43, length: 500, concepts: twoConcepts.slice(0, 1) })];
    assert.notDeepEqual(other, first);
  });

  it('keeps the features when only thresholds or directions change', () => {
    const a = [...seaStream({ seed: 9, length: 300, concepts: [{ start: 0, threshold: 8 }] })];
    const b = [
      ...seaStream({
        seed: 9,
        length: 300,
        concepts: [
          { start: 0, threshold: 3 },
          { start: 100, threshold: 12, positive: 'above' },
        ],
      }),
    ];
    assert.deepEqual(
      a.map((row) => row.features),
      b.map((row) => row.features),
    );
  });

  it("flips the rule's direction with positive: 'above'", () => {
    const below = [
      ...seaStream({ seed: 4, length: 2000, concepts: [{ start: 0, threshold: 9 }], noise: 0 }),
    ];
    const above = [
      ...seaStream({
        seed: 4,
        length: 2000,
        concepts: [{ start: 0, threshold: 9, positive: 'above' }],
        noise: 0,
      }),
    ];
    below.forEach((row, i) => {
      assert.equal(above[i]!.label, 1 - row.label);
    });
  });

  it('moves the features with shift and featureRange, and labels the moved values', () => {
    const concepts: SeaConcept[] = [
      { start: 0, threshold: 10 },
      { start: 10_000, threshold: 10, shift: { x1: 3, x2: -3, x3: 0.5 } },
      { start: 20_000, threshold: 10, featureRange: [2, 4] },
    ];
    const rows = [...seaStream({ seed: 6, length: 30_000, concepts, noise: 0 })];
    const inConcept = (k: number): SeaRow[] => rows.filter((row) => row.concept === k);
    const mean = (values: number[]): number =>
      values.reduce((sum, value) => sum + value, 0) / values.length;
    const shifted = inConcept(1);
    assert.ok(shifted.every((row) => row.features.x1 >= 3 && row.features.x1 < 13));
    assert.ok(shifted.every((row) => row.features.x2 >= -3 && row.features.x2 < 7));
    assert.ok(shifted.every((row) => row.features.x3 >= 0.5 && row.features.x3 < 10.5));
    assert.ok(Math.abs(mean(shifted.map((row) => row.features.x1)) - 8) < 0.1);
    assert.ok(Math.abs(mean(shifted.map((row) => row.features.x2)) - 2) < 0.1);
    for (const row of rows) {
      assert.equal(row.label, row.features.x1 + row.features.x2 <= 10 ? 1 : 0);
    }
    const narrow = inConcept(2);
    for (const name of ['x1', 'x2', 'x3'] as const) {
      assert.ok(narrow.every((row) => row.features[name] >= 2 && row.features[name] < 4));
    }
    // x1 + x2 ∈ [4, 8) is always ≤ 10.
    assert.ok(narrow.every((row) => row.label === 1));
  });

  it('resolves defaults into concepts', () => {
    const stream = seaStream({ seed: 1, length: 10, concepts: [{ start: 0, threshold: 8 }] });
    assert.deepEqual(stream.concepts, [
      {
        start: 0,
        threshold: 8,
        positive: 'below',
        featureRange: [0, 10],
        shift: { x1: 0, x2: 0, x3: 0 },
      },
    ]);
  });

  it('rejects bad options with DW_DATASET_INVALID_OPTION', () => {
    const one = [{ start: 0, threshold: 8 }];
    expectInvalidOption(() => seaStream({ seed: 1, length: 0, concepts: one }), 'length');
    expectInvalidOption(() => seaStream({ seed: 1, length: 2.5, concepts: one }), 'length');
    expectInvalidOption(() => seaStream({ seed: 0.5, length: 10, concepts: one }), 'seed');
    expectInvalidOption(
      () => seaStream({ seed: 1, length: 10, concepts: one, noise: 1.5 }),
      'noise',
    );
    expectInvalidOption(
      () => seaStream({ seed: 1, length: 10, concepts: one, noise: NaN }),
      'noise',
    );
    expectInvalidOption(() => seaStream({ seed: 1, length: 10, concepts: [] }), 'concepts');
    expectInvalidOption(
      () => seaStream({ seed: 1, length: 10, concepts: [{ start: 1, threshold: 8 }] }),
      'concepts[0].start must be 0',
    );
    expectInvalidOption(
      () =>
        seaStream({
          seed: 1,
          length: 10,
          concepts: [
            { start: 0, threshold: 8 },
            { start: 5, threshold: 9 },
            { start: 5, threshold: 7 },
          ],
        }),
      'concepts[2].start',
    );
    expectInvalidOption(
      () =>
        seaStream({
          seed: 1,
          length: 10,
          concepts: [
            { start: 0, threshold: 8 },
            { start: 10, threshold: 9 },
          ],
        }),
      "below the stream's length 10",
    );
    expectInvalidOption(
      () => seaStream({ seed: 1, length: 10, concepts: [{ start: 0, threshold: NaN }] }),
      'concepts[0].threshold',
    );
    expectInvalidOption(
      () =>
        seaStream({
          seed: 1,
          length: 10,
          concepts: [{ start: 0, threshold: 8, positive: 'left' as 'above' }],
        }),
      'concepts[0].positive',
    );
    expectInvalidOption(
      () =>
        seaStream({
          seed: 1,
          length: 10,
          concepts: [{ start: 0, threshold: 8, featureRange: [5, 5] }],
        }),
      'featureRange',
    );
    expectInvalidOption(
      () =>
        seaStream({
          seed: 1,
          length: 10,
          concepts: [{ start: 0, threshold: 8, shift: { x4: 1 } as unknown as { x1: number } }],
        }),
      'x4',
    );
    expectInvalidOption(
      () =>
        seaStream({
          seed: 1,
          length: 10,
          concepts: [{ start: 0, threshold: 8, shift: { x2: Infinity } }],
        }),
      'shift.x2',
    );
  });
});

describe('seaLabel', () => {
  it('puts the boundary itself in class 1 below and class 0 above', () => {
    assert.equal(seaLabel({ threshold: 8 }, { x1: 4, x2: 4 }), 1);
    assert.equal(seaLabel({ threshold: 8 }, { x1: 4, x2: 4.000001 }), 0);
    assert.equal(seaLabel({ threshold: 8, positive: 'above' }, { x1: 4, x2: 4 }), 0);
    assert.equal(seaLabel({ threshold: 8, positive: 'above' }, { x1: 4, x2: 4.000001 }), 1);
  });
});
