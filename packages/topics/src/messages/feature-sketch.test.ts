import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DecodeError } from '../errors.js';
import { decodeFeatureSketch, encodeFeatureSketch, featureSketchesOf } from './feature-sketch.js';
import type { Prediction } from './prediction.js';

const prediction = (i: number, overrides: Partial<Prediction> = {}): Prediction => ({
  id: `e${i}`,
  model: 'sea',
  modelVersion: 1,
  ts: i,
  scoredAt: 1000 + i,
  score: i / 10,
  predicted: 0,
  features: { x1: i + 0.1, x2: -i },
  ...overrides,
});

describe('feature sketches', () => {
  it('one sketch per model version, rows in order, a missing feature NaN', () => {
    const sketches = featureSketchesOf([
      prediction(0),
      prediction(1, { modelVersion: 2 }),
      prediction(2, { features: { x1: 2.1 } }),
      prediction(3, { model: 'other' }),
    ]);
    assert.deepEqual(
      sketches.map((sketch) => [sketch.model, sketch.modelVersion, sketch.rows]),
      [
        ['sea', 1, 2],
        ['sea', 2, 1],
        ['other', 1, 1],
      ],
    );
    const [first] = sketches;
    assert.deepEqual([...first!.timestamps], [1000, 1002]);
    assert.deepEqual([...first!.scores], [0, 0.2]);
    assert.deepEqual([...first!.features.get('x1')!], [0.1, 2.1]);
    assert.deepEqual([...first!.features.get('x2')!], [-0, Number.NaN]);
    assert.deepEqual(first!.classProbabilities, [], 'a binary score says it all');
  });

  it("given the model's features, those are the columns, whatever else an event carries", () => {
    const [sketch] = featureSketchesOf(
      [prediction(0, { features: { x1: 1, extra: 5 } }), prediction(1)],
      { features: ['x2', 'x1'] },
    );
    assert.deepEqual([...sketch!.features.keys()], ['x2', 'x1']);
    assert.deepEqual([...sketch!.features.get('x2')!], [Number.NaN, -1]);
  });

  it('round-trips every value exactly, multiclass probabilities included', () => {
    const classes = ['a', 'b', 'c'];
    const rows = Array.from({ length: 50 }, (_, i) =>
      prediction(i, {
        classes,
        probabilities: [0.1, 0.2 + i / 1e9, 0.7 - i / 1e9],
        features: { 'name with spaces ∑': Math.PI * i, x: 1e-300 * i },
      }),
    );
    const [sketch] = featureSketchesOf(rows);
    const decoded = decodeFeatureSketch(encodeFeatureSketch(sketch!));
    assert.deepEqual(decoded, sketch);
    assert.equal(decoded.classProbabilities.length, 3);
    assert.equal(decoded.classProbabilities[1]![7], 0.2 + 7 / 1e9);
  });

  it('splits a batch whose sketch would exceed the byte bound, at least one row each', () => {
    const rows = Array.from({ length: 100 }, (_, i) => prediction(i));
    // 4 columns of 8 bytes: 32 bytes a row; the header's bytes are set aside first.
    const header = 256 + 'sea'.length + JSON.stringify(['x1', 'x2']).length;
    const sketches = featureSketchesOf(rows, { maxBytes: header + 32 * 30 });
    assert.deepEqual(
      sketches.map((sketch) => sketch.rows),
      [30, 30, 30, 10],
    );
    assert.ok(sketches.every((sketch) => encodeFeatureSketch(sketch).length <= header + 32 * 30));
    assert.deepEqual(
      sketches.flatMap((sketch) => [...sketch.timestamps]),
      rows.map((row) => row.scoredAt),
    );
    assert.deepEqual(
      featureSketchesOf(rows.slice(0, 3), { maxBytes: 1 }).map((sketch) => sketch.rows),
      [1, 1, 1],
    );
  });

  it('refuses bytes it did not write, with the dead-letter code that says why', () => {
    const good = encodeFeatureSketch(featureSketchesOf([prediction(0)])[0]!);
    const codeOf = (bytes: Buffer | null): string => {
      try {
        decodeFeatureSketch(bytes);
      } catch (error) {
        assert.ok(error instanceof DecodeError);
        return error.code;
      }
      return 'decoded';
    };
    assert.equal(codeOf(good), 'decoded');
    assert.equal(codeOf(null), 'DW_EMPTY_MESSAGE');
    assert.equal(codeOf(Buffer.from('{"model":"sea"}')), 'DW_SCHEMA_VIOLATION');
    assert.equal(codeOf(good.subarray(0, 3)), 'DW_SCHEMA_VIOLATION');
    assert.equal(codeOf(Buffer.concat([good, Buffer.alloc(8)])), 'DW_SCHEMA_VIOLATION');
    const hugeHeader = Buffer.from(good);
    hugeHeader.writeUInt32BE(0xffffffff, 1);
    assert.equal(codeOf(hugeHeader), 'DW_SCHEMA_VIOLATION');
    const badJson = Buffer.from(good);
    badJson.write('}', 5);
    assert.equal(codeOf(badJson), 'DW_MALFORMED_JSON');
  });
});
