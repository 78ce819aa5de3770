import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { DriftError } from './errors.js';
import { Kswin, type KswinOptions, type KswinState, type WindowSampler } from './kswin.js';
import { mulberry32, type SeededRandom } from './random.js';
import { detectedIndices } from './testing/detected-indices.js';
import {
  assertRejectsStates,
  assertResumesExactly,
  splitPoints,
} from './testing/resume-exactly.js';

/** One KS test River ran: [stream index, sampled window positions, statistic, p-value]. */
type RiverTest = [number, number[], number, number];

/** Written by test/fixtures/drift/river/generate_river_goldens.py; never edit by hand. */
interface RiverGoldens {
  river: string;
  scipy: string;
  streams: Record<string, number[]>;
  cases: {
    name: string;
    stream: string;
    options: KswinOptions;
    detections: number[];
    tests: RiverTest[];
  }[];
}

const goldens = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/drift/river/kswin.json', import.meta.url), 'utf8'),
) as RiverGoldens;

function streamOf(name: string): number[] {
  const stream = goldens.streams[name];
  assert.ok(stream, `fixture has no stream ${name}`);
  return stream;
}

function isInvalid(code: DriftError['code']): (error: unknown) => boolean {
  return (error) => error instanceof DriftError && error.code === code;
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
}

describe('Kswin', () => {
  describe(`agrees with River ${goldens.river} (drift.KSWIN, scipy ${goldens.scipy}) on River's samples`, () => {
    for (const golden of goldens.cases) {
      it(golden.name, () => {
        // Replays River's draws: the sampler must be asked exactly where River tested.
        let index = 0;
        let next = 0;
        const replay: WindowSampler = (populationSize, sampleSize) => {
          const test = golden.tests[next];
          assert.ok(test, `tested at ${index}, River ran only ${golden.tests.length} tests`);
          assert.equal(test[0], index, 'tested at a different element');
          assert.equal(test[1].length, sampleSize);
          assert.ok(test[1].every((position) => position < populationSize));
          return test[1];
        };
        const detector = new Kswin({ ...golden.options, sampler: replay });
        const detections: number[] = [];
        for (const value of streamOf(golden.stream)) {
          if (detector.update(value)) detections.push(index);
          const test = golden.tests[next];
          if (test?.[0] === index) {
            const [, , statistic, pValue] = test;
            assert.ok(
              Math.abs((detector.statistic ?? NaN) - statistic) <= 1e-12,
              `statistic at ${index}: ${detector.statistic} vs River ${statistic}`,
            );
            assert.ok(
              relativeError(detector.pValue ?? NaN, pValue) <= 1e-12,
              `p-value at ${index}: ${detector.pValue} vs River ${pValue}`,
            );
            next++;
          }
          index++;
        }
        assert.equal(next, golden.tests.length, 'River ran tests we did not');
        assert.deepEqual(detections, golden.detections);
        assert.deepEqual(detector.detections, golden.detections);
      });
    }
  });

  it('goldens include detections, ties and a pre-filled window', () => {
    assert.ok(goldens.cases.some((golden) => golden.detections.length > 1));
    assert.ok(goldens.cases.some((golden) => golden.options.initialWindow !== undefined));
    assert.ok(goldens.cases.some((golden) => golden.stream === 'ties'));
  });

  it('tests once the window is full and empties it after a detection', () => {
    let calls = 0;
    const detector = new Kswin({
      alpha: 0.01,
      windowSize: 10,
      statSize: 5,
      sampler: () => {
        calls++;
        return [0, 1, 2, 3, 4];
      },
    });
    const stream = [...Array<number>(5).fill(0), ...Array<number>(5).fill(1), 2, 2];
    assert.deepEqual(detectedIndices(detector, stream), [9]);
    // Detected at the 10th element; the next two refill an empty window, so no test runs.
    assert.equal(calls, 1);
    assert.equal(detector.statistic, 1);
    // Every one of the C(10, 5) = 252 splits but the two extremes has D < 1.
    assert.ok(relativeError(detector.pValue ?? NaN, 2 / 252) <= 1e-15);
  });

  it('never fires on a constant stream', () => {
    const detector = new Kswin({ alpha: 0.5 });
    assert.deepEqual(detectedIndices(detector, Array<number>(2000).fill(4.2)), []);
    assert.equal(detector.statistic, 0);
    assert.equal(detector.pValue, 1);
  });

  it('is reproducible for a seed and samples distinct positions', () => {
    const random = mulberry32(9);
    const stream = Array.from({ length: 3000 }, (_, i) => random() + (i < 1500 ? 0 : 0.3));
    const run = (seed: number): number[] => detectedIndices(new Kswin({ seed }), stream);
    assert.deepEqual(run(1), run(1));

    // The default sampler and the same algorithm fed through `sampler` agree draw for draw.
    const draw = partialFisherYates(mulberry32(1));
    const draws: number[][] = [];
    const replaying = new Kswin({
      sampler: (populationSize, sampleSize) => {
        const positions = draw(populationSize, sampleSize);
        draws.push(positions);
        return positions;
      },
    });
    const defaultSampled = new Kswin({ random: mulberry32(1) });
    assert.deepEqual(detectedIndices(replaying, stream), detectedIndices(defaultSampled, stream));
    assert.ok(draws.length > 2000);
    for (const positions of draws) {
      assert.equal(new Set(positions).size, positions.length);
      assert.ok(positions.every((position) => Number.isInteger(position) && position < 70));
    }
  });

  it('validates options at construction', () => {
    const invalid: KswinOptions[] = [
      { alpha: 0 },
      { alpha: 1 },
      { alpha: NaN },
      { statSize: 0 },
      { statSize: 2.5 },
      { windowSize: 59, statSize: 30 },
      { seed: -1 },
      { initialWindow: [1, NaN] },
    ];
    for (const options of invalid) {
      assert.throws(
        () => new Kswin(options),
        isInvalid('DW_DRIFT_INVALID_OPTION'),
        JSON.stringify(options),
      );
    }
    assert.doesNotThrow(() => new Kswin({ windowSize: 60, statSize: 30 }));
  });

  it('rejects a sampler that returns the wrong positions', () => {
    for (const positions of [
      [0, 1],
      [0, 1, 7],
      [0, 1, 0.5],
    ]) {
      const detector = new Kswin({ windowSize: 6, statSize: 3, sampler: () => positions });
      for (let i = 0; i < 5; i++) detector.update(i);
      assert.throws(() => detector.update(5), isInvalid('DW_DRIFT_INVALID_OPTION'));
    }
  });

  it('rejects non-finite values', () => {
    const detector = new Kswin();
    for (const value of [NaN, Infinity, -Infinity]) {
      assert.throws(() => detector.update(value), isInvalid('DW_DRIFT_INVALID_INPUT'));
    }
    assert.equal(detector.count, 0);
  });
});

/** The default sampler's algorithm, written out again: partial Fisher–Yates on a kept permutation. */
function partialFisherYates(
  random: () => number,
): (populationSize: number, sampleSize: number) => number[] {
  let permutation: number[] = [];
  return (populationSize, sampleSize) => {
    if (permutation.length !== populationSize) {
      permutation = Array.from({ length: populationSize }, (_, i) => i);
    }
    for (let i = 0; i < sampleSize; i++) {
      const j = i + Math.floor(random() * (populationSize - i));
      [permutation[i], permutation[j]] = [permutation[j]!, permutation[i]!];
    }
    return permutation.slice(0, sampleSize);
  };
}

describe('Kswin snapshots', () => {
  const observe = (detector: Kswin) => [
    detector.driftDetected,
    detector.count,
    detector.statistic,
    detector.pValue,
    detector.detections.length,
  ];
  const update = (detector: Kswin, value: number) => detector.update(value);

  /** Where the window fills: from the start, and again after each detection. */
  function marks(options: KswinOptions, stream: readonly number[]): number[] {
    const detections = detectedIndices(new Kswin(options), stream);
    const windowSize = options.windowSize ?? 100;
    const prefilled = [...(options.initialWindow ?? [])].length;
    return [
      ...detections,
      windowSize - prefilled,
      ...detections.map((index) => index + windowSize),
    ];
  }

  // River's options, but our own seeded sampler: its generator and permutation are the state.
  let casesWithDetections = 0;
  const cases = [
    'abrupt-mean/defaults',
    'abrupt-mean/small-window',
    'abrupt-mean/warm-window',
    'variance-change/large-window',
    'integers/defaults',
    'ties/small-window',
  ];
  for (const name of cases) {
    const golden = goldens.cases.find((candidate) => candidate.name === name);
    assert.ok(golden, `no golden case ${name}`);
    it(`resumes exactly on ${name}, split anywhere, with the default sampler`, () => {
      const stream = streamOf(golden.stream);
      const options: KswinOptions = { ...golden.options, seed: 3 };
      casesWithDetections += detectedIndices(new Kswin(options), stream).length > 0 ? 1 : 0;
      assertResumesExactly({
        create: () => new Kswin(options),
        revive: (state) => Kswin.fromJSON(state),
        update,
        observe,
        stream,
        splits: splitPoints(stream.length, marks(options, stream)),
      });
    });
  }

  it('split those streams around detections, where the snapshot says driftDetected', () => {
    assert.ok(casesWithDetections >= 4, `${casesWithDetections} cases detected drift`);
  });

  const stream = streamOf('abrupt-mean');
  const options: KswinOptions = { alpha: 0.01, windowSize: 60, statSize: 20 };

  it('carries a mulberry32 random passed in', () => {
    const state = (() => {
      const detector = new Kswin({ ...options, random: mulberry32(77) });
      detectedIndices(detector, stream.slice(0, 100));
      return detector.toJSON();
    })();
    assert.ok(state.sampler.kind === 'uniform' && typeof state.sampler.random === 'number');
    assertResumesExactly({
      create: () => new Kswin({ ...options, random: mulberry32(77) }),
      revive: (snapshot) => Kswin.fromJSON(snapshot),
      update,
      observe,
      stream,
      splits: splitPoints(stream.length, marks(options, stream)),
    });
  });

  it('takes an injected random back, positioned where it was', () => {
    // Not made by mulberry32, so the snapshot cannot hold it; the test knows where it stands.
    let inner: SeededRandom = mulberry32(0);
    const opaque = (seed: number) => {
      inner = mulberry32(seed);
      const source = inner;
      return () => source();
    };
    assertResumesExactly({
      create: () => new Kswin({ ...options, random: opaque(5) }),
      revive: (state) => {
        assert.ok(state.sampler.kind === 'uniform' && state.sampler.random === null);
        return Kswin.fromJSON(state, { random: opaque(inner.state()) });
      },
      update,
      observe,
      stream,
      splits: splitPoints(stream.length, marks(options, stream)),
    });
  });

  it('takes an injected sampler back, in the state it was left', () => {
    let draws: SeededRandom = mulberry32(0);
    const sampler = (seed: number): WindowSampler => {
      draws = mulberry32(seed);
      const random = draws;
      return (populationSize, sampleSize) => {
        const positions = new Set<number>();
        while (positions.size < sampleSize) positions.add(Math.floor(random() * populationSize));
        return [...positions];
      };
    };
    assertResumesExactly({
      create: () => new Kswin({ ...options, sampler: sampler(8) }),
      revive: (state) => {
        assert.deepEqual(state.sampler, { kind: 'injected' });
        return Kswin.fromJSON(state, { sampler: sampler(draws.state()) });
      },
      update,
      observe,
      stream,
      splits: splitPoints(stream.length, [59, 60, 61, 200]),
    });
  });

  it('refuses a resume that does not match how the snapshot sampled', () => {
    const seeded = new Kswin(options).toJSON();
    const opaque = new Kswin({ ...options, random: () => 0.5 }).toJSON();
    const injected = new Kswin({ ...options, sampler: () => [0] }).toJSON();
    const random = mulberry32(1);
    const sampler: WindowSampler = () => [0];
    const refusals: [KswinState, Parameters<typeof Kswin.fromJSON>[1]][] = [
      [seeded, { random }],
      [seeded, { sampler }],
      [opaque, {}],
      [opaque, { sampler }],
      [injected, {}],
      [injected, { random }],
    ];
    for (const [state, resume] of refusals) {
      assert.throws(
        () => Kswin.fromJSON(state, resume),
        isInvalid('DW_DRIFT_INVALID_OPTION'),
        `${state.sampler.kind} with ${Object.keys(resume ?? {}).join(', ')}`,
      );
    }
  });

  it('refuses malformed states with DW_DRIFT_INVALID_STATE', () => {
    const detector = new Kswin(options);
    for (const value of stream.slice(0, 200)) detector.update(value);
    const state = detector.toJSON();
    assert.ok(state.sampler.kind === 'uniform');
    const sampler = state.sampler;
    assertRejectsStates('Kswin', (state) => Kswin.fromJSON(state as KswinState), {
      'not an object': undefined,
      'sampler missing': { ...state, sampler: undefined },
      'sampler of an unknown kind': { ...state, sampler: { kind: 'reservoir' } },
      'random out of range': { ...state, sampler: { ...sampler, random: 2 ** 32 } },
      'permutation with a repeat': {
        ...state,
        sampler: { ...sampler, permutation: sampler.permutation.map(() => 0) },
      },
      'permutation too short': {
        ...state,
        sampler: { ...sampler, permutation: sampler.permutation.slice(1) },
      },
      'statSize too large for the window': { ...state, statSize: 31 },
      'window longer than windowSize': { ...state, window: [...state.window, 1] },
      'window holding NaN': { ...state, window: ['NaN', ...state.window.slice(1)] },
      'pValue without a statistic': { ...state, statistic: null },
      'detections beyond count': { ...state, detections: [state.count + 3] },
      'driftDetected without a detection there': { ...state, driftDetected: true },
    });
  });
});
