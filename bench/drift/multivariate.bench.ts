/**
 * The per-event cost of the multivariate profiles, against scikit-learn on the same rows. For each
 * width (34 columns, a tabular model's features; 768, a text embedding):
 *
 * - Nearest-centroid assignment plus occupancy update: `ReferenceClusters.nearestCentroid` over
 *   k = 20 centroids, then `ClusterOccupancy.add` (tumbling windows of 1000, as the detector
 *   counts them) fed the index.
 * - PCA reconstruction error: `PcaReconstruction.error` (NannyML's default 65 % of the variance).
 *
 * Ours takes one raw row at a time, as the detector does. The baseline, timed inside Python from
 * the same raw rows in files (bench/drift/reference/multivariate_baseline.py): StandardScaler then
 * KMeans.predict with our centroids, and StandardScaler then PCA transform + inverse_transform.
 * scikit-learn is timed twice: batch, all events in one vectorised call (what it is built for, not
 * what a stream consumer can do), and one 1 × d array per call over the first `PER_ROW_EVENTS`
 * events, the like-for-like row. Its labels must equal ours and its errors ours to rounding; the
 * notes say whether they do.
 *
 * The rows: a seeded Gaussian mixture (`MIXTURE_COMPONENTS` components sharing a low-rank
 * covariance plus isotropic noise) with each column shifted and scaled, so the standardization
 * does real work and the PCA keeps a handful of components rather than hundreds. The Python runs
 * in the pinned venv of the scikit-learn goldens (`ensure_venv drift-sklearn`, see
 * scripts/python-venv.sh), one thread.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import {
  categoricalSampler,
  ClusterOccupancy,
  fitPcaReconstruction,
  mulberry32,
  ReferenceClusters,
  type Random,
} from '@driftwatch/drift';

import { timeSeconds, withRatio, type BenchContext, type BenchRow } from '../report.js';
import { describe } from './reference/python.js';
import { repositoryRoot } from './reference/paths.js';

const run = promisify(execFile);

const REFERENCE_ROWS = 5000;
const EVENTS = 20_000;
/** scikit-learn's one-row-per-call loop: a rate, not the whole stream (each call costs ~0.1 ms). */
const PER_ROW_EVENTS = 2000;
const WIDTHS = [34, 768] as const;
const K = 20;
/** The occupancy window, in events. */
const WINDOW = 1000;
/** PcaReconstruction's default, passed to scikit-learn's PCA as `n_components`. */
const VARIANCE_SHARE = 0.65;
const MIXTURE_COMPONENTS = 8;
/** Rank of the covariance the mixture's components share. */
const LATENT_RANK = 8;
const NOISE_STD = 0.5;
const SEED = 768;
/** Best of this many fresh runs (the first warms the JIT up); scikit-learn's too. */
const REPEATS = 3;
const SUITE = 'multivariate';

const VENV = 'drift-sklearn';
const VENV_REQUIREMENTS = join(
  repositoryRoot,
  'test',
  'fixtures',
  'drift',
  'sklearn',
  'requirements.txt',
);
const BASELINE_SCRIPT = join(
  repositoryRoot,
  'bench',
  'drift',
  'reference',
  'multivariate_baseline.py',
);

export default async function multivariateBench(context: BenchContext): Promise<void> {
  const referenceCount = Math.max(500, Math.round(REFERENCE_ROWS * context.scale));
  const eventCount = Math.max(1000, Math.round(EVENTS * context.scale));
  const perRowCount = Math.min(
    eventCount,
    Math.max(100, Math.round(PER_ROW_EVENTS * context.scale)),
  );

  let venvProblem: string | undefined;
  try {
    context.log(await ensureSklearnVenv());
  } catch (error) {
    venvProblem = messageOf(error);
    context.log(`scikit-learn baseline not measured: ${venvProblem}`);
  }

  for (const width of WIDTHS) {
    const mixture = gaussianMixture(mulberry32(SEED + width), width);
    const reference = mixture.rows(referenceCount);
    const events = mixture.rows(eventCount);
    const fitStart = performance.now();
    const clusters = ReferenceClusters.fit(reference.rows, { k: K, seed: SEED });
    const pca = fitPcaReconstruction(reference.rows, { varianceShare: VARIANCE_SHARE });
    const fitSeconds = (performance.now() - fitStart) / 1000;
    context.log(
      `d = ${width}: ${count(referenceCount)} reference rows fitted in ${fitSeconds.toFixed(1)} s (k-means k = ${K}, PCA keeps ${pca.componentCount} components)`,
    );

    const labels = new Int32Array(eventCount);
    const assignment = await bestRate(eventCount, () => {
      const occupancy = new ClusterOccupancy(clusters.shares, { window: WINDOW });
      for (let event = 0; event < eventCount; event++) {
        const { index } = clusters.nearestCentroid(events.rows[event] as Float64Array);
        labels[event] = index;
        occupancy.add(index);
      }
    });
    const errors = new Float64Array(eventCount);
    const reconstruction = await bestRate(eventCount, () => {
      for (let event = 0; event < eventCount; event++) {
        errors[event] = pca.error(events.rows[event] as Float64Array);
      }
    });

    const assignmentCase = `nearest of k = ${K} centroids + occupancy, d = ${width}, ${count(eventCount)} events`;
    const reconstructionCase = `PCA reconstruction error (${pca.componentCount} components), d = ${width}, ${count(eventCount)} events`;
    const oursAssignment: BenchRow = {
      suite: SUITE,
      case: assignmentCase,
      subject: 'driftwatch, per event',
      value: assignment,
      unit: 'events/s',
      note: `best of ${REPEATS}; ReferenceClusters.nearestCentroid + ClusterOccupancy.add (tumbling ${WINDOW}, as the detector)`,
    };
    const oursReconstruction: BenchRow = {
      suite: SUITE,
      case: reconstructionCase,
      subject: 'driftwatch, per event',
      value: reconstruction,
      unit: 'events/s',
      note: `best of ${REPEATS}; PcaReconstruction.error`,
    };

    let baseline: SklearnTiming | undefined;
    let baselineProblem = venvProblem;
    if (baselineProblem === undefined) {
      try {
        baseline = await timeSklearn(width, reference.values, events.values, clusters, perRowCount);
      } catch (error) {
        baselineProblem = messageOf(error);
        context.log(`scikit-learn baseline at d = ${width} not measured: ${baselineProblem}`);
      }
    }
    if (baseline === undefined) {
      const why = `not measured: ${baselineProblem ?? 'unknown'}`;
      context.report(oursAssignment);
      context.report(unavailable(assignmentCase, why));
      context.report(oursReconstruction);
      context.report(unavailable(reconstructionCase, why));
      continue;
    }

    const versions = `scikit-learn ${baseline.sklearn}, numpy ${baseline.numpy}, ${baseline.blas}, 1 thread`;
    const labelsAgree = countEqual(labels, baseline.kMeans.labels);
    const largestErrorGap = largestDifference(errors, baseline.pca.errors);
    context.report({
      ...oursAssignment,
      note: `${oursAssignment.note ?? ''}; labels as scikit-learn's for ${count(labelsAgree)} of ${count(eventCount)}`,
    });
    reportAgainstSklearn(context, oursAssignment, {
      batch: eventCount / baseline.kMeans.batchSeconds,
      perRow: baseline.perRowEvents / baseline.kMeans.perRowSeconds,
      work: 'StandardScaler.transform + KMeans.predict (our centroids)',
      versions,
      perRowEvents: baseline.perRowEvents,
      width,
    });
    const sameComponents =
      baseline.pca.components === pca.componentCount
        ? 'same components'
        : `${baseline.pca.components} components, NOT as ours`;
    context.report({
      ...oursReconstruction,
      note: `${oursReconstruction.note ?? ''}; errors within ${largestErrorGap.toExponential(1)} of scikit-learn's (${sameComponents})`,
    });
    reportAgainstSklearn(context, oursReconstruction, {
      batch: eventCount / baseline.pca.batchSeconds,
      perRow: baseline.perRowEvents / baseline.pca.perRowSeconds,
      work: 'StandardScaler.transform + PCA.transform + inverse_transform + row norm',
      versions,
      perRowEvents: baseline.perRowEvents,
      width,
    });
  }
}

/** scikit-learn's rows for one case, then ours over each: per row first, the like-for-like one. */
function reportAgainstSklearn(
  context: BenchContext,
  ours: BenchRow,
  sklearn: {
    batch: number;
    perRow: number;
    work: string;
    versions: string;
    perRowEvents: number;
    width: number;
  },
): void {
  const base = { suite: SUITE, case: ours.case, unit: 'events/s' };
  context.report({
    ...base,
    subject: 'scikit-learn, per event (Python)',
    value: sklearn.perRow,
    note: `one 1×${sklearn.width} array per call over the first ${count(sklearn.perRowEvents)} events; ${sklearn.work}; best of ${REPEATS}`,
  });
  context.report({
    ...base,
    subject: 'scikit-learn, batch (Python)',
    value: sklearn.batch,
    note: `BATCH: all events in one vectorised call, not per event; ${sklearn.work}; best of ${REPEATS} (${sklearn.versions})`,
  });
  context.report({
    ...withRatio(ours, 'scikit-learn per event', sklearn.perRow),
    subject: 'driftwatch / scikit-learn per event',
    note: 'like for like: one row per call on both sides',
  });
  context.report({
    ...withRatio(ours, 'scikit-learn batch', sklearn.batch),
    subject: 'driftwatch / scikit-learn batch',
    note: 'ours per event against scikit-learn vectorised over the whole batch',
  });
}

function unavailable(caseName: string, why: string): BenchRow {
  return {
    suite: SUITE,
    case: caseName,
    subject: 'scikit-learn (Python)',
    value: NaN,
    unit: 'events/s',
    note: why,
  };
}

/** Events per second of the best of `REPEATS` runs of `work` over `events` events. */
async function bestRate(events: number, work: () => void): Promise<number> {
  let best = Infinity;
  for (let repeat = 0; repeat < REPEATS; repeat++) best = Math.min(best, await timeSeconds(work));
  return events / best;
}

/** Rows of one width, each a view into one buffer that is written to file as it is. */
interface Rows {
  values: Float64Array;
  rows: Float64Array[];
}

/**
 * A Gaussian mixture in `width` columns: `MIXTURE_COMPONENTS` components with random weights and
 * N(0, 1) means, sharing a covariance of rank `LATENT_RANK` (about 1 per column) plus N(0,
 * `NOISE_STD`²) noise; each column then shifted by N(0, 10²) and scaled by U(0.5, 4.5). Every draw
 * comes from `random`, in order, so a seed gives the same rows each run.
 */
function gaussianMixture(random: Random, width: number): { rows(count: number): Rows } {
  const normal = normalSource(random);
  const weights = Array.from({ length: MIXTURE_COMPONENTS }, () => 0.5 + random());
  const component = categoricalSampler(weights);
  const means = Array.from({ length: MIXTURE_COMPONENTS }, () =>
    Float64Array.from({ length: width }, normal),
  );
  const loadings = Array.from({ length: width }, () =>
    Float64Array.from({ length: LATENT_RANK }, () => normal() / Math.sqrt(LATENT_RANK)),
  );
  const offsets = Float64Array.from({ length: width }, () => 10 * normal());
  const scales = Float64Array.from({ length: width }, () => 0.5 + 4 * random());
  const latent = new Float64Array(LATENT_RANK);
  return {
    rows(count) {
      const values = new Float64Array(count * width);
      const rows: Float64Array[] = [];
      for (let row = 0; row < count; row++) {
        const mean = means[component(random)] as Float64Array;
        for (let factor = 0; factor < LATENT_RANK; factor++) latent[factor] = normal();
        const start = row * width;
        for (let column = 0; column < width; column++) {
          const loading = loadings[column] as Float64Array;
          let value = (mean[column] as number) + NOISE_STD * normal();
          for (let factor = 0; factor < LATENT_RANK; factor++) {
            value += (loading[factor] as number) * (latent[factor] as number);
          }
          values[start + column] = (offsets[column] as number) + (scales[column] as number) * value;
        }
        rows.push(values.subarray(start, start + width));
      }
      return { values, rows };
    },
  };
}

/**
 * Standard normal draws by Box–Muller, two per pair of uniforms. The Python side reads the rows
 * from file, so no other language has to reproduce these bits.
 */
function normalSource(random: Random): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const draw = spare;
      spare = undefined;
      return draw;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/** What multivariate_baseline.py prints. */
interface SklearnTiming {
  events: number;
  perRowEvents: number;
  kMeans: { batchSeconds: number; perRowSeconds: number; labels: number[] };
  pca: { batchSeconds: number; perRowSeconds: number; components: number; errors: number[] };
  sklearn: string;
  numpy: string;
  python: string;
  blas: string;
}

/**
 * Creates the venv on first use (a minute: pip installs the pinned wheels), else checks it is
 * current; returns ensure_venv's own line, or throws with why it could not.
 */
async function ensureSklearnVenv(): Promise<string> {
  const { stderr } = await inSklearnVenv(['-c', 'import sklearn']);
  return stderr.trim().split('\n').pop() ?? '';
}

async function timeSklearn(
  width: number,
  reference: Float64Array,
  events: Float64Array,
  clusters: ReferenceClusters,
  perRowCount: number,
): Promise<SklearnTiming> {
  const directory = join(repositoryRoot, '.cache', 'bench');
  await mkdir(directory, { recursive: true });
  const files = ['reference', 'events', 'centroids'].map((part) =>
    join(directory, `multivariate-d${width}-${part}.f64`),
  );
  const [referenceFile = '', eventsFile = '', centroidsFile = ''] = files;
  const centroids = new Float64Array(K * width);
  clusters.kMeans.centroids.forEach((centroid, index) => {
    centroids.set(centroid, index * width);
  });
  try {
    await writeFile(referenceFile, littleEndian(reference));
    await writeFile(eventsFile, littleEndian(events));
    await writeFile(centroidsFile, littleEndian(centroids));
    const { stdout } = await inSklearnVenv([
      BASELINE_SCRIPT,
      referenceFile,
      eventsFile,
      centroidsFile,
      String(width),
      String(VARIANCE_SHARE),
      String(perRowCount),
      String(REPEATS),
    ]);
    return JSON.parse(stdout) as SklearnTiming;
  } finally {
    // Up to 150 MB at d = 768: not worth keeping between runs.
    await Promise.all(files.map((file) => rm(file, { force: true })));
  }
}

/**
 * Runs the venv's python with `args` after `ensure_venv` (which pins one thread). OpenBLAS's core
 * type and L2 size are unset for this command alone: this machine sets them for old OpenBLAS
 * builds, and they slow the current one; the script reports the kernel it ran.
 */
async function inSklearnVenv(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  const script = [
    'set -euo pipefail',
    'source "$1"',
    'ensure_venv "$2" "$3"',
    'shift 3',
    'exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$VENV_PYTHON" "$@"',
  ].join('\n');
  try {
    return await run(
      'bash',
      [
        '-c',
        script,
        'bash',
        join(repositoryRoot, 'scripts', 'python-venv.sh'),
        VENV,
        VENV_REQUIREMENTS,
        ...args,
      ],
      { maxBuffer: 64 << 20 },
    );
  } catch (error) {
    throw new Error(`venv-${VENV}: ${describe(error)}`, { cause: error });
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

function countEqual(ours: Int32Array, theirs: readonly number[]): number {
  let equal = 0;
  ours.forEach((label, index) => {
    if (label === theirs[index]) equal++;
  });
  return equal;
}

function largestDifference(ours: Float64Array, theirs: readonly number[]): number {
  let largest = 0;
  ours.forEach((value, index) => {
    largest = Math.max(largest, Math.abs(value - (theirs[index] ?? NaN)));
  });
  return largest;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
