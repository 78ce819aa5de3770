/**
 * StreamingPsi against recomputing the PSI from scratch, on the same stream and reference. The
 * detector service reads the PSI of the last `WINDOW` values every `READ_EVERY` values; the
 * streaming class pays O(log bins) per value and O(bins) per read, the obvious alternative bins the
 * whole window again at each read. Both read the same PSI values (checked). Evidently's psi stat
 * test on the same windows runs in the oracle venv when it can be had; it bins each window with
 * its own Sturges edges, so its values differ and only its rate compares.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { PsiReference, StreamingPsi } from '@driftwatch/drift';

import { generateStream } from '../../packages/drift/src/testing/golden-streams.js';
import { timeSeconds, withRatio, type BenchContext, type BenchRow } from '../report.js';
import { describe, ensurePythonVenv } from './reference/python.js';
import { repositoryRoot } from './reference/paths.js';

const run = promisify(execFile);

const VALUES = 10_000_000;
const WINDOW = 10_000;
const READ_EVERY = 1000;
const BINS = 10;
/** Best of this many fresh runs (the first warms the JIT up). */
const REPEATS = 3;
/** Evidently windows to time: a rate, not the whole stream (each takes milliseconds). */
const EVIDENTLY_WINDOWS = 100;
const SUITE = 'psi';

export default async function psiBench(context: BenchContext): Promise<void> {
  const length = Math.max(2 * WINDOW, Math.round(VALUES * context.scale));
  const stream = generateStream({
    seed: 4242,
    segments: [
      { kind: 'gaussian', length: length / 2, mean: 0, std: 1 },
      { kind: 'gaussian', length: length - length / 2, mean: 0.3, std: 1.2 },
    ],
  });
  const referenceSample = generateStream({
    seed: 4243,
    segments: [{ kind: 'gaussian', length: WINDOW, mean: 0, std: 1 }],
  });
  const reference = PsiReference.fit(referenceSample, { bins: BINS });
  const values = length.toLocaleString('en-US');

  const slidingCase = `sliding window ${WINDOW.toLocaleString('en-US')}, read every ${READ_EVERY}, ${values} values`;
  const streaming = await bestRate(length, () => {
    const psi = new StreamingPsi(reference, { window: WINDOW });
    let checksum = 0;
    for (let index = 0; index < stream.length; index++) {
      if (psi.update(stream[index] ?? 0) && (index + 1) % READ_EVERY === 0) {
        checksum += psi.value ?? 0;
      }
    }
    return checksum;
  });
  const ours: BenchRow = {
    suite: SUITE,
    case: slidingCase,
    subject: 'driftwatch StreamingPsi',
    value: streaming.rate,
    unit: 'values/s',
    note: `best of ${REPEATS}; ${BINS} quantile bins`,
  };
  context.report(ours);
  const batch = await bestRate(length, () => {
    let checksum = 0;
    for (let end = WINDOW; end <= stream.length; end++) {
      if (end % READ_EVERY === 0) checksum += reference.psi(stream.subarray(end - WINDOW, end));
    }
    return checksum;
  });
  if (batch.checksum !== streaming.checksum) {
    throw new Error(`batch and streaming PSI differ: ${batch.checksum} vs ${streaming.checksum}`);
  }
  const batchRow: BenchRow = {
    suite: SUITE,
    case: slidingCase,
    subject: 'batch psi per read',
    value: batch.rate,
    unit: 'values/s',
    note: `best of ${REPEATS}; PsiReference.psi over the window at each read, same values`,
  };
  context.report(batchRow);
  context.report({
    ...withRatio(ours, 'batch psi per read', batch.rate),
    subject: 'streaming / batch',
  });

  try {
    const evidently = await timeEvidently(referenceSample, stream);
    const rate = (evidently.windows * READ_EVERY) / evidently.seconds;
    context.report({
      suite: SUITE,
      case: slidingCase,
      subject: 'Evidently psi per read (Python)',
      value: rate,
      unit: 'values/s',
      note: `${evidently.windows} windows timed in-process (evidently ${evidently.evidently}, Python ${evidently.python}); own Sturges bins`,
    });
    context.report({
      ...withRatio(ours, 'Evidently psi per read', rate),
      subject: 'streaming / Evidently',
    });
  } catch (error) {
    context.report({
      ...ours,
      subject: 'Evidently psi per read (Python)',
      value: NaN,
      note: `not measured: ${error instanceof Error ? error.message : String(error)}`,
    });
  }

  const tumblingCase = `tumbling window ${WINDOW.toLocaleString('en-US')}, ${values} values`;
  const tumbling = await bestRate(length, () => {
    const psi = new StreamingPsi(reference, { window: WINDOW, kind: 'tumbling' });
    let checksum = 0;
    for (let index = 0; index < stream.length; index++) {
      if (psi.update(stream[index] ?? 0)) checksum += psi.value ?? 0;
    }
    return checksum;
  });
  const tumblingRow: BenchRow = {
    suite: SUITE,
    case: tumblingCase,
    subject: 'driftwatch StreamingPsi',
    value: tumbling.rate,
    unit: 'values/s',
    note: `best of ${REPEATS}`,
  };
  context.report(tumblingRow);
  const tumblingBatch = await bestRate(length, () => {
    let checksum = 0;
    for (let end = WINDOW; end <= stream.length; end += WINDOW) {
      checksum += reference.psi(stream.subarray(end - WINDOW, end));
    }
    return checksum;
  });
  context.report({
    ...withRatio(tumblingRow, 'batch psi per window', tumblingBatch.rate),
    subject: 'streaming / batch',
    note: `batch: PsiReference.psi once per window, ${formatRate(tumblingBatch.rate)} values/s`,
  });
}

/** Values per second of the best of `REPEATS` runs, and the run's checksum. */
async function bestRate(
  length: number,
  work: () => number,
): Promise<{ rate: number; checksum: number }> {
  let best = Infinity;
  let checksum = NaN;
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const seconds = await timeSeconds(() => {
      checksum = work();
    });
    best = Math.min(best, seconds);
  }
  return { rate: length / best, checksum };
}

function formatRate(rate: number): string {
  return Math.round(rate).toLocaleString('en-US');
}

interface EvidentlyTiming {
  windows: number;
  seconds: number;
  evidently: string;
  python: string;
}

async function timeEvidently(
  referenceSample: Float64Array,
  stream: Float64Array,
): Promise<EvidentlyTiming> {
  const python = await ensurePythonVenv(['evidently', 'pandas<3']);
  const directory = join(repositoryRoot, '.cache', 'bench');
  await mkdir(directory, { recursive: true });
  const referenceFile = join(directory, 'psi-reference.f64');
  const streamFile = join(directory, 'psi-stream.f64');
  const windowsNeeded = WINDOW + EVIDENTLY_WINDOWS * READ_EVERY;
  await writeFile(referenceFile, littleEndian(referenceSample));
  await writeFile(streamFile, littleEndian(stream.subarray(0, windowsNeeded)));
  const script = join(
    repositoryRoot,
    'test',
    'fixtures',
    'drift',
    'evidently',
    'time_psi_windows.py',
  );
  try {
    const { stdout } = await run(
      python,
      [
        script,
        referenceFile,
        streamFile,
        String(WINDOW),
        String(READ_EVERY),
        String(EVIDENTLY_WINDOWS),
      ],
      { maxBuffer: 1 << 20 },
    );
    return JSON.parse(stdout) as EvidentlyTiming;
  } catch (error) {
    throw new Error(`Evidently run failed: ${describe(error)}`, { cause: error });
  }
}

function littleEndian(values: Float64Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => {
    view.setFloat64(index * 8, value, true);
  });
  return bytes;
}
