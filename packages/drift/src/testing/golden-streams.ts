/**
 * Golden streams described by a seed and segments instead of stored values, so a fixture for a
 * stream of 10^6 elements is a few lines of JSON. The reference harnesses regenerate the same
 * values: test/fixtures/drift/moa/src/main/java/driftwatch/moa/StreamSpec.java follows these rules
 * one for one. Both sides draw every random number from one `mulberry32`, in order, and touch the
 * doubles with + − × ÷ only (no `Math.log` or `Math.cos`, whose last bit may differ between the JVM
 * and V8), so the two agree bit for bit and `streamChecksum` proves it before any detection is
 * compared.
 */
import { mulberry32, type Random } from '../random.js';

/**
 * A normal-ish segment: Irwin–Hall noise (the sum of 12 uniforms minus 6: mean 0, variance 1)
 * scaled by `std` around `mean`, which ramps linearly towards `meanEnd` when that is given. With
 * `outlierRate`, each element first draws one uniform and is `outlierValue` when it falls below
 * the rate (drawing no noise then).
 */
export interface GaussianSegment {
  kind: 'gaussian';
  length: number;
  mean: number;
  meanEnd?: number;
  std: number;
  outlierRate?: number;
  outlierValue?: number;
}

/** 1 with probability `p` (ramping linearly towards `pEnd` when given), else 0: an error stream. */
export interface BernoulliSegment {
  kind: 'bernoulli';
  length: number;
  p: number;
  pEnd?: number;
}

/** `value` repeated; draws nothing. */
export interface ConstantSegment {
  kind: 'constant';
  length: number;
  value: number;
}

export type StreamSegment = GaussianSegment | BernoulliSegment | ConstantSegment;

/** A stream: its segments, concatenated, all drawing from one `mulberry32(seed)`. */
export interface StreamSpec {
  seed: number;
  segments: StreamSegment[];
}

export function streamLength(spec: StreamSpec): number {
  return spec.segments.reduce((length, segment) => length + segment.length, 0);
}

/** The values of `spec`, bit-identical to the Java harness's. */
export function generateStream(spec: StreamSpec): Float64Array {
  const values = new Float64Array(streamLength(spec));
  const random = mulberry32(spec.seed);
  let at = 0;
  for (const segment of spec.segments) {
    for (let index = 0; index < segment.length; index++) {
      values[at++] = draw(segment, index, random);
    }
  }
  return values;
}

function draw(segment: StreamSegment, index: number, random: Random): number {
  switch (segment.kind) {
    case 'gaussian': {
      if (segment.outlierRate !== undefined && random() < segment.outlierRate) {
        return segment.outlierValue ?? 0;
      }
      const mean =
        segment.meanEnd === undefined
          ? segment.mean
          : segment.mean + (segment.meanEnd - segment.mean) * (index / segment.length);
      let sum = 0;
      for (let draws = 0; draws < 12; draws++) sum += random();
      return mean + segment.std * (sum - 6);
    }
    case 'bernoulli': {
      const p =
        segment.pEnd === undefined
          ? segment.p
          : segment.p + (segment.pEnd - segment.p) * (index / segment.length);
      return random() < p ? 1 : 0;
    }
    case 'constant':
      return segment.value;
  }
}

/**
 * FNV-1a over the 32-bit words (low, then high) of each value's IEEE-754 bits, as 8 hex digits:
 * any difference in any bit of any value shows.
 */
export function streamChecksum(values: ArrayLike<number>): string {
  const view = new DataView(new ArrayBuffer(8));
  let hash = 0x811c9dc5;
  for (let index = 0; index < values.length; index++) {
    view.setFloat64(0, values[index] ?? 0, true);
    hash = Math.imul(hash ^ view.getUint32(0, true), 0x01000193);
    hash = Math.imul(hash ^ view.getUint32(4, true), 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
