import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Adwin, type AdwinOptions } from './adwin.js';
import { DriftError } from './errors.js';
import { mulberry32 } from './random.js';
import { detectedIndices } from './testing/detected-indices.js';
import { generateStream, streamChecksum, type StreamSpec } from './testing/golden-streams.js';

/** test/fixtures/drift/moa/adwin-golden.json, written by the MOA harness beside it. */
interface GoldenFile {
  moa: string;
  cases: GoldenCase[];
}

interface GoldenCase {
  name: string;
  options: Required<AdwinOptions>;
  streamSpec: StreamSpec;
  length: number;
  checksum: string;
  firstValues: number[];
  detections: number[];
  finalWidth: number;
  finalEstimation: number;
  finalVariance: number;
  finalTotal: number;
}

const golden = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/drift/moa/adwin-golden.json', import.meta.url),
    'utf8',
  ),
) as GoldenFile;

function assertClose(actual: number, expected: number, what: string): void {
  const tolerance = 1e-12 * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs MOA's ${expected}`);
}

function expectDriftError(code: DriftError['code'], build: () => unknown): void {
  assert.throws(build, (error: unknown) => error instanceof DriftError && error.code === code);
}

describe(`Adwin against ${golden.moa}`, () => {
  it('has golden cases', () => {
    assert.ok(golden.cases.length >= 30);
  });

  for (const expected of golden.cases) {
    it(expected.name, () => {
      const stream = generateStream(expected.streamSpec);
      // A generation mismatch would make every comparison below meaningless: catch it first.
      assert.equal(stream.length, expected.length);
      assert.deepEqual(
        Array.from(stream.subarray(0, expected.firstValues.length)),
        expected.firstValues,
      );
      assert.equal(streamChecksum(stream), expected.checksum);

      const adwin = new Adwin(expected.options);
      assert.deepEqual(detectedIndices(adwin, stream), expected.detections);
      assert.deepEqual(adwin.detections, expected.detections);
      assert.equal(adwin.width, expected.finalWidth);
      assertClose(adwin.estimation, expected.finalEstimation, 'estimation');
      assertClose(adwin.variance, expected.finalVariance, 'variance');
      assertClose(adwin.total, expected.finalTotal, 'total');
    });
  }
});

describe('Adwin', () => {
  it('starts empty', () => {
    const adwin = new Adwin();
    assert.equal(adwin.width, 0);
    assert.equal(adwin.estimation, 0);
    assert.equal(adwin.variance, 0);
    assert.equal(adwin.total, 0);
    assert.equal(adwin.driftDetected, false);
    assert.deepEqual(adwin.detections, []);
    assert.equal(adwin.bucketCount, 0);
  });

  it('never fires on a constant stream and keeps it whole', () => {
    const adwin = new Adwin({ clock: 1 });
    for (let i = 0; i < 50_000; i++) assert.equal(adwin.update(-3.25), false);
    assert.equal(adwin.width, 50_000);
    assert.equal(adwin.estimation, -3.25);
    assert.equal(adwin.variance, 0);
    assert.deepEqual(adwin.detections, []);
  });

  it('reports each detection through update, driftDetected and detections', () => {
    const adwin = new Adwin();
    const fired: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const detected = adwin.update(i < 2000 ? 0 : 1);
      assert.equal(adwin.driftDetected, detected);
      if (detected) fired.push(i);
    }
    assert.ok(fired.length > 0);
    assert.deepEqual(adwin.detections, fired);
    assert.ok(fired.every((index) => index >= 2000 && (index + 1) % 32 === 0));
  });

  it('keeps O(log W) buckets over a long stationary run', () => {
    const random = mulberry32(4);
    const adwin = new Adwin();
    for (let i = 0; i < 1 << 21; i++) adwin.update(random());
    // delta bounds false alarms per test, not per stream: a rare cut is allowed, a short window is not.
    assert.ok(adwin.width >= 1 << 20, `width ${adwin.width}`);
    // Rows 0..log2(W/maxBuckets) hold at most maxBuckets buckets each between merges.
    const bound = 5 * (Math.log2(adwin.width) + 1);
    assert.ok(adwin.bucketCount <= bound, `${adwin.bucketCount} buckets > ${bound}`);
    assert.ok(adwin.bucketCount >= Math.log2(adwin.width / 5), `${adwin.bucketCount} buckets`);
  });

  it('rejects NaN and ±Infinity without changing its state', () => {
    const adwin = new Adwin();
    adwin.update(1);
    for (const bad of [NaN, Infinity, -Infinity]) {
      expectDriftError('DW_INVALID_INPUT', () => adwin.update(bad));
    }
    assert.equal(adwin.width, 1);
    assert.equal(adwin.total, 1);
  });

  it('validates its options at construction', () => {
    const invalid: AdwinOptions[] = [
      { delta: 0 },
      { delta: 1 },
      { delta: -0.1 },
      { delta: NaN },
      { clock: 0 },
      { clock: 1.5 },
      { maxBuckets: 1 },
      { maxBuckets: 0 },
      { maxBuckets: 2.5 },
      { minWindowLength: -1 },
      { minWindowLength: 0.5 },
      { gracePeriod: -1 },
      { gracePeriod: Infinity },
    ];
    for (const options of invalid) {
      expectDriftError('DW_INVALID_OPTION', () => new Adwin(options));
    }
    assert.doesNotThrow(
      () => new Adwin({ delta: 0.5, clock: 1, maxBuckets: 2, minWindowLength: 0, gracePeriod: 0 }),
    );
  });
});
