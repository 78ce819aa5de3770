/**
 * Adwin against the two reference implementations on the same stream: MOA's ADWIN (Java, timed
 * inside the JVM by test/fixtures/drift/moa's harness) and River's ADWIN (Python, timed inside the
 * interpreter). The stream is stationary N(0,1) noise, the costly case: bar a rare false alarm the
 * window only grows, and with it the scan of its buckets. Each side builds the stream from the same
 * spec and MOA's checksum must equal ours; River reads our values from a file. MOA's detections and
 * final width, in the notes, should equal ours; River's differ after its first detection (it
 * restarts from an empty window, see packages/drift/README.md).
 */
import { Adwin } from '@driftwatch/drift';

import {
  generateStream,
  streamChecksum,
  type StreamSpec,
} from '../../packages/drift/src/testing/golden-streams.js';
import { timeSeconds, withRatio, type BenchContext, type BenchRow } from '../report.js';
import { benchMoaAdwin } from './reference/moa.js';
import { benchRiverAdwin } from './reference/river.js';

const ELEMENTS = 10_000_000;
/** Ours and MOA's: best of this many fresh runs (the first warms the JIT up). */
const REPEATS = 3;
const SUITE = 'adwin';

export default async function adwinBench(context: BenchContext): Promise<void> {
  const length = Math.max(1000, Math.round(ELEMENTS * context.scale));
  const spec: StreamSpec = {
    seed: 2007,
    segments: [{ kind: 'gaussian', length, mean: 0, std: 1 }],
  };
  const stream = generateStream(spec);
  const checksum = streamChecksum(stream);
  const caseName = `stationary N(0,1), ${length.toLocaleString('en-US')} elements`;
  context.log(`${caseName}, checksum ${checksum}`);

  let bestSeconds = Infinity;
  let summary = { detections: 0, width: 0 };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const detector = new Adwin();
    const seconds = await timeSeconds(() => {
      for (let index = 0; index < stream.length; index++) detector.update(stream[index] ?? 0);
    });
    bestSeconds = Math.min(bestSeconds, seconds);
    summary = {
      detections: detector.detections.length,
      width: detector.width,
    };
  }
  const ours: BenchRow = {
    suite: SUITE,
    case: caseName,
    subject: 'driftwatch Adwin',
    value: length / bestSeconds,
    unit: 'updates/s',
    note: `best of ${REPEATS}; ${summary.detections} detections, width ${summary.width}`,
  };
  context.report(ours);

  try {
    const moa = await benchMoaAdwin(spec, REPEATS);
    if (moa.checksum !== checksum) {
      throw new Error(`the JVM generated a different stream (checksum ${moa.checksum})`);
    }
    const value = length / moa.bestSeconds;
    // Same stream, same algorithm: anything but our own answer would mean a broken port.
    const agreement =
      moa.detections === summary.detections && moa.finalWidth === summary.width
        ? 'as ours'
        : 'DIFFERENT from ours';
    context.report({
      suite: SUITE,
      case: caseName,
      subject: 'MOA ADWIN (Java)',
      value,
      unit: 'updates/s',
      note: `best of ${REPEATS} in the JVM (Java ${moa.java}); ${moa.detections} detections, width ${moa.finalWidth} (${agreement})`,
    });
    context.report({ ...withRatio(ours, 'MOA ADWIN', value), subject: 'driftwatch / MOA' });
  } catch (error) {
    context.report(unavailable(caseName, 'MOA ADWIN (Java)', error));
  }

  try {
    const river = await benchRiverAdwin(stream, `adwin-${checksum}`);
    const value = length / river.seconds;
    context.report({
      suite: SUITE,
      case: caseName,
      subject: 'River ADWIN (Python)',
      value,
      unit: 'updates/s',
      note: `one run (river ${river.river}, Python ${river.python}); ${river.detections} detections, width ${river.finalWidth}`,
    });
    context.report({ ...withRatio(ours, 'River ADWIN', value), subject: 'driftwatch / River' });
  } catch (error) {
    context.report(unavailable(caseName, 'River ADWIN (Python)', error));
  }

  const footprint = measureFootprint(stream);
  context.report({
    suite: SUITE,
    case: caseName,
    subject: 'driftwatch Adwin memory',
    value: footprint.buckets,
    unit: 'buckets',
    note: `after ${length.toLocaleString('en-US')} updates, window width ${footprint.width}`,
  });
  context.report({
    suite: SUITE,
    case: caseName,
    subject: 'driftwatch Adwin memory',
    value: footprint.bytes,
    unit: 'bytes',
    note: 'heap + ArrayBuffer growth from building one detector (approximate; needs --expose-gc)',
  });
}

/** One detector fed the whole stream: its buckets, and the bytes in use it added. */
function measureFootprint(stream: Float64Array): { buckets: number; width: number; bytes: number } {
  const before = bytesInUse();
  const detector = new Adwin();
  for (let index = 0; index < stream.length; index++) detector.update(stream[index] ?? 0);
  const bytes = bytesInUse() - before;
  return { buckets: detector.bucketCount, width: detector.width, bytes };
}

function unavailable(caseName: string, subject: string, error: unknown): BenchRow {
  return {
    suite: SUITE,
    case: caseName,
    subject,
    value: NaN,
    unit: 'updates/s',
    note: `not measured: ${error instanceof Error ? error.message : String(error)}`,
  };
}

function bytesInUse(): number {
  if (!globalThis.gc) return NaN;
  globalThis.gc();
  globalThis.gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
