import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Adwin, type AdwinOptions, type AdwinState } from './adwin.js';
import { DriftError } from './errors.js';
import { mulberry32 } from './random.js';
import { detectedIndices } from './testing/detected-indices.js';
import { generateStream, streamChecksum, type StreamSpec } from './testing/golden-streams.js';
import {
  assertRejectsStates,
  assertResumesExactly,
  splitPoints,
} from './testing/resume-exactly.js';

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
      expectDriftError('DW_DRIFT_INVALID_INPUT', () => adwin.update(bad));
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
      expectDriftError('DW_DRIFT_INVALID_OPTION', () => new Adwin(options));
    }
    assert.doesNotThrow(
      () => new Adwin({ delta: 0.5, clock: 1, maxBuckets: 2, minWindowLength: 0, gracePeriod: 0 }),
    );
  });
});

describe('Adwin snapshots', () => {
  const observe = (adwin: Adwin) => [
    adwin.driftDetected,
    adwin.width,
    adwin.estimation,
    adwin.variance,
    adwin.total,
    adwin.bucketCount,
    adwin.detections.length,
  ];
  const update = (adwin: Adwin, value: number) => adwin.update(value);

  // Every option varied, abrupt and gradual changes, Bernoulli and Gaussian, bursts of detections.
  const cases = [
    'abrupt-gaussian-shift-1',
    'bernoulli-0.1-to-0.3',
    'gradual-gaussian-ramp',
    'clock-1',
    'clock-7-bernoulli',
    'max-buckets-2',
    'min-window-length-50',
    'grace-period-0',
    'combined-options',
    'constant-step',
    'short-stream',
  ];
  for (const name of cases) {
    const expected = golden.cases.find((candidate) => candidate.name === name);
    assert.ok(expected, `no golden case ${name}`);
    it(`resumes exactly on ${name}, split anywhere`, () => {
      // Options that test at every update are slow to replay from every split: a shorter prefix.
      const length = expected.options.clock === 1 ? 6_000 : 12_000;
      const stream = generateStream(expected.streamSpec).subarray(0, length);
      const detections = expected.detections.filter((index) => index < stream.length);
      const { clock } = expected.options;
      assertResumesExactly({
        create: () => new Adwin(expected.options),
        revive: (state) => Adwin.fromJSON(state),
        update,
        observe,
        stream,
        splits: splitPoints(stream.length, [...detections, clock, 2 * clock, 1000]),
      });
      // The snapshot is the reference implementation's answer too.
      const adwin = new Adwin(expected.options);
      for (const value of stream) adwin.update(value);
      assert.deepEqual(Adwin.fromJSON(adwin.toJSON()).detections, detections);
    });
  }

  it('keeps only the rows in use, and every double bit for bit (-0, Infinity, NaN)', () => {
    const adwin = new Adwin({ clock: 1 });
    for (let i = 0; i < 40; i++) adwin.update(-0);
    const zeros = adwin.toJSON();
    const stored = zeros.rows.reduce((buckets, row) => buckets + row.totals.length, 0);
    assert.equal(stored, adwin.bucketCount);
    assert.ok(zeros.rows.every((row) => row.totals.length > 0));
    assert.ok(zeros.rows.every((row) => row.totals.every((total) => total === '-0')));
    // Sums of huge values overflow: the window's total and variance become ±Infinity and NaN.
    const huge = [1e308, 1e308, -1e308, 1e308, 5, -0, 1e308];
    assertResumesExactly({
      create: () => new Adwin({ clock: 1, gracePeriod: 0, minWindowLength: 0 }),
      revive: (state) => Adwin.fromJSON(state),
      update,
      observe,
      stream: [...huge, ...huge, ...huge],
      splits: splitPoints(21),
    });
    const overflowing = new Adwin();
    for (const value of huge) overflowing.update(value);
    assert.equal(overflowing.toJSON().total, 'Infinity');
  });

  it('reads the options at the top level and revives under new arrays when the histogram is tall', () => {
    const adwin = new Adwin({ delta: 0.01, maxBuckets: 2 });
    for (let i = 0; i < 1 << 14; i++) adwin.update(i % 2);
    const state = adwin.toJSON();
    assert.equal(state.delta, 0.01);
    assert.ok(state.rows.length > 8, `${state.rows.length} rows`);
    const revived = Adwin.fromJSON(state);
    for (let i = 0; i < 1 << 14; i++) assert.equal(revived.update(i % 3), adwin.update(i % 3));
    assert.deepEqual(revived.toJSON(), adwin.toJSON());
  });

  it('refuses malformed states with DW_DRIFT_INVALID_STATE', () => {
    const adwin = new Adwin({ clock: 4 });
    for (let i = 0; i < 500; i++) adwin.update(i < 250 ? 0 : 1);
    const state = adwin.toJSON();
    assert.ok(state.detections.length > 0 && state.rows.length > 2);
    const rows = state.rows;
    const [first, ...rest] = rows;
    assert.ok(first);
    assertRejectsStates('Adwin', (state) => Adwin.fromJSON(state as AdwinState), {
      'not an object': null,
      'an array': [],
      'delta out of range': { ...state, delta: 1.5 },
      'delta a string': { ...state, delta: '0.002' },
      'clock missing': { ...state, clock: undefined },
      'maxBuckets 1': { ...state, maxBuckets: 1 },
      'no rows': { ...state, rows: [] },
      'rows not an array': { ...state, rows: {} },
      'a row without variances': { ...state, rows: [{ totals: first.totals }, ...rest] },
      'a row longer than maxBuckets': {
        ...state,
        rows: [{ totals: [0, 0, 0, 0, 0], variances: [0, 0, 0, 0, 0] }, ...rest],
      },
      'an empty row below the top': { ...state, rows: [first, { totals: [], variances: [] }] },
      'a total that is null': {
        ...state,
        rows: [{ ...first, totals: first.totals.map(() => null) }, ...rest],
      },
      'width not matching the buckets': { ...state, width: state.width + 1 },
      'a negative width': { ...state, width: -1 },
      'total not a number': { ...state, total: null },
      'total an unknown string': { ...state, total: 'Inf' },
      'updates below width': { ...state, updates: state.width - 1 },
      'updatesUntilTest inconsistent': {
        ...state,
        updatesUntilTest: (state.updatesUntilTest % 4) + 1,
      },
      'updatesUntilTest above clock': { ...state, updatesUntilTest: 5 },
      'detections unsorted': { ...state, detections: [...state.detections].reverse().concat(1) },
      'a detection after the last update': { ...state, detections: [state.updates] },
      'driftDetected without a detection there': { ...state, driftDetected: true },
      'driftDetected not a boolean': { ...state, driftDetected: 1 },
      'an empty window with buckets': { ...state, width: 0, updates: 0 },
    });
    assert.throws(
      () => Adwin.fromJSON({ ...state, delta: 2 }),
      /invalid Adwin state: option delta must be in \(0, 1\), got 2/,
    );
  });

  it('revives an empty detector', () => {
    const state: AdwinState = new Adwin().toJSON();
    assert.deepEqual(state.rows, [{ totals: [], variances: [] }]);
    assert.deepEqual(Adwin.fromJSON(state).toJSON(), state);
  });
});
