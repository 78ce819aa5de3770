import { requireFinite } from './input-checks.js';
import { option } from './errors.js';
import { DriftError } from './errors.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { StateReader } from './state-reader.js';

export interface AdwinOptions {
  /** Confidence of the cut test: smaller means fewer false alarms and later detections. */
  readonly delta?: number;
  /** Test for a cut every `clock` updates. */
  readonly clock?: number;
  /** Buckets of each size kept before the two oldest are merged (M in the paper); at least 2. */
  readonly maxBuckets?: number;
  /** A sub-window must hold more than `minWindowLength + 1` elements to be tested. */
  readonly minWindowLength?: number;
  /** No test while the window holds `gracePeriod` elements or fewer. */
  readonly gracePeriod?: number;
}

/**
 * The plain-JSON snapshot of an {@link Adwin} (`toJSON`, `Adwin.fromJSON`): its options, the rows
 * of the exponential histogram in use, and every counter.
 */
export interface AdwinState {
  delta: number;
  clock: number;
  maxBuckets: number;
  minWindowLength: number;
  gracePeriod: number;
  /** Row r holds buckets of 2^r elements, oldest first; only the rows in use (at least one). */
  rows: { totals: JsonNumber[]; variances: JsonNumber[] }[];
  width: number;
  total: JsonNumber;
  /** Sum of squared deviations from the window mean. */
  squaredDeviations: JsonNumber;
  updates: number;
  /** Updates left before the next test for a cut: `clock − updates mod clock`. */
  updatesUntilTest: number;
  driftDetected: boolean;
  detections: number[];
}

/** Rows are added one at a time and rarely; doubling keeps growth off the per-update path. */
const INITIAL_ROWS = 8;

/**
 * ADWIN2, the adaptive window with an exponential histogram: it keeps the longest recent window
 * whose mean is consistent with "no change", and signals drift when it drops old elements because
 * two sub-windows' means differ by more than the cut threshold ε (Hoeffding/Bernstein bound with
 * the window's variance). Memory and time per test are O(log W) for a window of W elements.
 *
 * Exact against MOA's `moa.classifiers.core.driftdetection.ADWIN` (2024.07.0): same detections,
 * same width, estimation and variance, on the golden streams in test/fixtures/drift/moa. Where it
 * differs from River's ADWIN, and why, is in this package's README.
 *
 * Options, all optional:
 * - `delta` (0.002): confidence of the cut test, in (0, 1).
 * - `clock` (32): test for a cut every `clock` updates.
 * - `maxBuckets` (5): buckets of each size kept before merging (M); at least 2.
 * - `minWindowLength` (5): a split is tested only when both sub-windows hold more than
 *   `minWindowLength + 1` elements.
 * - `gracePeriod` (10): no test while the window holds `gracePeriod` elements or fewer.
 *
 * `toJSON()` snapshots it as plain JSON ({@link AdwinState}); `Adwin.fromJSON` revives it to
 * continue exactly as if it had never stopped.
 *
 * @example
 * ```ts
 * // A classifier's error indicator: the error rate jumps from 0.1 to 0.4 at element 1000.
 * const random = mulberry32(7);
 * const adwin = new Adwin();
 * for (let i = 0; i < 2000; i++) adwin.update(random() < (i < 1000 ? 0.1 : 0.4) ? 1 : 0);
 * adwin.detections; // => [1055, 1087]
 * adwin.width; // => 1072
 * adwin.estimation; // => 0.38992537313432835
 * const revived = Adwin.fromJSON(JSON.parse(JSON.stringify(adwin)));
 * revived.update(1) === adwin.update(1); // => true
 * revived.estimation === adwin.estimation; // => true
 * ```
 *
 * @see Albert Bifet and Ricard Gavaldà, "Learning from Time-Changing Data with Adaptive
 * Windowing", SIAM International Conference on Data Mining (SDM), 2007.
 */
export class Adwin {
  readonly delta: number;
  readonly clock: number;
  readonly maxBuckets: number;
  readonly minWindowLength: number;
  readonly gracePeriod: number;

  /**
   * The exponential histogram. Row r holds buckets of 2^r elements, oldest first; bucket k of row
   * r lives at index r * rowStride + k of the two flat arrays. A row has room for maxBuckets + 1
   * buckets: it overflows by one before its two oldest merge into the next row.
   */
  readonly #rowStride: number;
  #bucketTotals: Float64Array;
  #bucketVariances: Float64Array;
  #rowBucketCounts: Int32Array;
  #rowsInUse = 1;
  #buckets = 0;

  #windowWidth = 0;
  #windowTotal = 0;
  /** Sum of squared deviations from the window mean; the variance is this over the width. */
  #windowSquaredDeviations = 0;
  #updates = 0;
  #updatesUntilTest: number;
  #detectedNow = false;
  readonly #detectedAt: number[] = [];

  constructor(options: AdwinOptions = {}) {
    this.delta = option.inOpenInterval(options.delta ?? 0.002, 'delta', 0, 1);
    this.clock = option.positiveInteger(options.clock ?? 32, 'clock');
    this.maxBuckets = option.positiveInteger(options.maxBuckets ?? 5, 'maxBuckets');
    // With one bucket per row a merge empties the row, and MOA's bookkeeping (which we follow)
    // then reads buckets that are not there when it shrinks the window.
    if (this.maxBuckets < 2) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option maxBuckets must be at least 2, got ${this.maxBuckets}`,
      );
    }
    this.minWindowLength = option.nonNegativeInteger(
      options.minWindowLength ?? 5,
      'minWindowLength',
    );
    this.gracePeriod = option.nonNegativeInteger(options.gracePeriod ?? 10, 'gracePeriod');
    this.#updatesUntilTest = this.clock;
    this.#rowStride = this.maxBuckets + 1;
    this.#bucketTotals = new Float64Array(INITIAL_ROWS * this.#rowStride);
    this.#bucketVariances = new Float64Array(INITIAL_ROWS * this.#rowStride);
    this.#rowBucketCounts = new Int32Array(INITIAL_ROWS);
  }

  /** Whether the last update detected a change. */
  get driftDetected(): boolean {
    return this.#detectedNow;
  }

  /** Number of elements in the window. */
  get width(): number {
    return this.#windowWidth;
  }

  /** Mean of the window (0 while it is empty). */
  get estimation(): number {
    return this.#windowWidth === 0 ? 0 : this.#windowTotal / this.#windowWidth;
  }

  /** Population variance of the window (0 while it is empty). */
  get variance(): number {
    return this.#windowWidth === 0 ? 0 : this.#windowSquaredDeviations / this.#windowWidth;
  }

  /** Sum of the window's elements. */
  get total(): number {
    return this.#windowTotal;
  }

  /** 0-based indices of the updates at which drift was detected. */
  get detections(): readonly number[] {
    return this.#detectedAt;
  }

  /** Buckets summarising the window: at most (maxBuckets + 1) · (log2(width) + 1). */
  get bucketCount(): number {
    return this.#buckets;
  }

  /** Revives an Adwin from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`). */
  static fromJSON(state: AdwinState): Adwin {
    const reader = new StateReader('Adwin', state);
    const adwin = reader.build(
      () =>
        new Adwin({
          delta: reader.finite('delta'),
          clock: reader.finite('clock'),
          maxBuckets: reader.finite('maxBuckets'),
          minWindowLength: reader.finite('minWindowLength'),
          gracePeriod: reader.finite('gracePeriod'),
        }),
    );
    const rows = reader.objects('rows').map((row, r) => {
      const totals = row.doubles('totals');
      const variances = row.doubles('variances');
      reader.require(
        totals.length === variances.length && totals.length <= adwin.maxBuckets,
        `rows[${r}] must have as many variances as totals, at most maxBuckets (${adwin.maxBuckets})`,
      );
      return { totals, variances };
    });
    // Each row holds buckets of at least 2^r elements (2^31 − 1 from row 31 on), and widths stay
    // below 2^53: more rows than this cannot be a real window.
    reader.require(rows.length <= 64, `rows must be at most 64, got ${rows.length}`);
    const width = reader.integer('width');
    const updates = reader.integer('updates', width);
    const emptyWindow = rows.length === 1 && rows[0]?.totals.length === 0;
    reader.require(
      width === 0 ? emptyWindow : rows.length > 0 && rows.every((row) => row.totals.length > 0),
      'rows must be one empty row for an empty window, else rows of at least one bucket each',
    );
    // Beyond row 30 bucket sizes saturate as MOA's do, and the sum no longer counts elements.
    if (rows.length <= 31) {
      const elements = rows.reduce((sum, row, r) => sum + row.totals.length * bucketSize(r), 0);
      reader.require(elements === width, `width ${width} != ${elements}, the buckets' elements`);
    }
    const updatesUntilTest = reader.integer('updatesUntilTest', 1, adwin.clock);
    reader.require(
      updatesUntilTest === adwin.clock - (updates % adwin.clock),
      `updatesUntilTest must be clock - updates % clock (${adwin.clock - (updates % adwin.clock)}), got ${updatesUntilTest}`,
    );
    const detections = reader.indices('detections', updates);
    const driftDetected = reader.boolean('driftDetected');
    reader.require(
      !driftDetected || detections[detections.length - 1] === updates - 1,
      'driftDetected requires a detection at the last update',
    );

    let capacity = INITIAL_ROWS;
    while (capacity < rows.length) capacity *= 2;
    const stride = adwin.#rowStride;
    adwin.#bucketTotals = new Float64Array(capacity * stride);
    adwin.#bucketVariances = new Float64Array(capacity * stride);
    adwin.#rowBucketCounts = new Int32Array(capacity);
    rows.forEach((row, r) => {
      adwin.#bucketTotals.set(row.totals, r * stride);
      adwin.#bucketVariances.set(row.variances, r * stride);
      adwin.#rowBucketCounts[r] = row.totals.length;
      adwin.#buckets += row.totals.length;
    });
    adwin.#rowsInUse = rows.length;
    adwin.#windowWidth = width;
    adwin.#windowTotal = reader.double('total');
    adwin.#windowSquaredDeviations = reader.double('squaredDeviations');
    adwin.#updates = updates;
    adwin.#updatesUntilTest = updatesUntilTest;
    adwin.#detectedNow = driftDetected;
    adwin.#detectedAt.push(...detections);
    return adwin;
  }

  /** The whole state as plain JSON (see {@link AdwinState}), for `Adwin.fromJSON`. */
  toJSON(): AdwinState {
    const rows: AdwinState['rows'] = [];
    for (let r = 0; r < this.#rowsInUse; r++) {
      const base = r * this.#rowStride;
      const end = base + (this.#rowBucketCounts[r] ?? 0);
      rows.push({
        totals: Array.from(this.#bucketTotals.subarray(base, end), toJsonNumber),
        variances: Array.from(this.#bucketVariances.subarray(base, end), toJsonNumber),
      });
    }
    return {
      delta: this.delta,
      clock: this.clock,
      maxBuckets: this.maxBuckets,
      minWindowLength: this.minWindowLength,
      gracePeriod: this.gracePeriod,
      rows,
      width: this.#windowWidth,
      total: toJsonNumber(this.#windowTotal),
      squaredDeviations: toJsonNumber(this.#windowSquaredDeviations),
      updates: this.#updates,
      updatesUntilTest: this.#updatesUntilTest,
      driftDetected: this.#detectedNow,
      detections: [...this.#detectedAt],
    };
  }

  /** Adds `value` to the window; returns true when that shrank the window because of a change. */
  update(value: number): boolean {
    requireFinite(value, 'Adwin value');
    this.#updates++;
    this.#insert(value);
    let drift = false;
    // Counts down to the next multiple of `clock` (MOA tests when updates % clock === 0).
    if (--this.#updatesUntilTest === 0) {
      this.#updatesUntilTest = this.clock;
      drift = this.#windowWidth > this.gracePeriod && this.#shrink();
    }
    this.#detectedNow = drift;
    if (drift) this.#detectedAt.push(this.#updates - 1);
    return drift;
  }

  #insert(value: number): void {
    const width = ++this.#windowWidth;
    const slot = this.#rowBucketCounts[0] ?? 0;
    this.#bucketTotals[slot] = value;
    this.#bucketVariances[slot] = 0;
    this.#rowBucketCounts[0] = slot + 1;
    this.#buckets++;
    if (width > 1) {
      const previous = width - 1;
      const deviation = value - this.#windowTotal / previous;
      this.#windowSquaredDeviations += (previous * deviation * deviation) / width;
    }
    this.#windowTotal += value;
    if (slot + 1 === this.#rowStride) this.#mergeFullRows();
  }

  /** Merges the two oldest buckets of each full row into the next row, cascading upwards. */
  #mergeFullRows(): void {
    const stride = this.#rowStride;
    for (let row = 0; (this.#rowBucketCounts[row] ?? 0) === stride; row++) {
      if (row + 1 === this.#rowsInUse) this.#addRow();
      // Read after addRow, which may have replaced the arrays with larger ones.
      const totals = this.#bucketTotals;
      const variances = this.#bucketVariances;
      const counts = this.#rowBucketCounts;
      const base = row * stride;
      const size = bucketSize(row);
      const meanDifference = (totals[base] ?? 0) / size - (totals[base + 1] ?? 0) / size;
      // Math.imul: MOA multiplies the two int sizes in 32 bits, which wraps to 0 from row 16 on.
      const mergeVariance =
        (Math.imul(size, size) * meanDifference * meanDifference) / (size + size);
      const next = base + stride + (counts[row + 1] ?? 0);
      totals[next] = (totals[base] ?? 0) + (totals[base + 1] ?? 0);
      variances[next] = (variances[base] ?? 0) + (variances[base + 1] ?? 0) + mergeVariance;
      counts[row + 1] = (counts[row + 1] ?? 0) + 1;
      // A loop, not copyWithin: the row is a handful of slots, and this runs every other update.
      for (let slot = base + 2; slot < base + stride; slot++) {
        totals[slot - 2] = totals[slot] ?? 0;
        variances[slot - 2] = variances[slot] ?? 0;
      }
      counts[row] = stride - 2;
      this.#buckets--;
    }
  }

  #addRow(): void {
    const rows = this.#rowsInUse;
    if (rows === this.#rowBucketCounts.length) {
      this.#bucketTotals = grown(this.#bucketTotals, 2 * rows * this.#rowStride);
      this.#bucketVariances = grown(this.#bucketVariances, 2 * rows * this.#rowStride);
      const counts = new Int32Array(2 * rows);
      counts.set(this.#rowBucketCounts);
      this.#rowBucketCounts = counts;
    }
    this.#rowBucketCounts[rows] = 0;
    this.#rowsInUse = rows + 1;
  }

  /**
   * Drops the oldest bucket while some split of the window, scanned from the oldest bucket to the
   * newest, has sub-window means further apart than ε. Returns whether anything was dropped.
   */
  #shrink(): boolean {
    let dropped = false;
    for (let cut = true; cut;) {
      cut = false;
      const width = this.#windowWidth;
      // ε's terms that depend on the whole window are the same for every split of one pass. (MOA
      // recomputes them per split, and also sums each sub-window's variance, which its test never
      // reads; the values are the same, so the detections are too.)
      const logTerm = Math.log((2 * Math.log(width)) / this.delta);
      const variance = this.#windowSquaredDeviations / width;
      const minimum = this.minWindowLength + 1;
      const shortening = this.minWindowLength - 1;
      const totals = this.#bucketTotals;
      const counts = this.#rowBucketCounts;
      let olderWidth = 0;
      let olderTotal = 0;
      let newerWidth = width;
      let newerTotal = this.#windowTotal;
      scan: for (let row = this.#rowsInUse - 1; row >= 0; row--) {
        const size = bucketSize(row);
        const base = row * this.#rowStride;
        const last = (counts[row] ?? 0) - 1;
        for (let k = 0; k <= last; k++) {
          const bucketTotal = totals[base + k] ?? 0;
          olderWidth += size;
          newerWidth -= size;
          olderTotal += bucketTotal;
          newerTotal -= bucketTotal;
          if (row === 0 && k === last) break scan;
          if (olderWidth <= minimum || newerWidth <= minimum) continue;
          const meanDifference = olderTotal / olderWidth - newerTotal / newerWidth;
          const harmonic = 1 / (olderWidth - shortening) + 1 / (newerWidth - shortening);
          const epsilon =
            Math.sqrt(2 * harmonic * variance * logTerm) + (2 / 3) * logTerm * harmonic;
          if (Math.abs(meanDifference) > epsilon) {
            this.#dropOldestBucket();
            dropped = true;
            cut = true;
            break scan;
          }
        }
      }
    }
    return dropped;
  }

  #dropOldestBucket(): void {
    const row = this.#rowsInUse - 1;
    const base = row * this.#rowStride;
    const size = bucketSize(row);
    const bucketTotal = this.#bucketTotals[base] ?? 0;
    const width = (this.#windowWidth -= size);
    this.#windowTotal -= bucketTotal;
    const meanDifference = bucketTotal / size - this.#windowTotal / width;
    // Math.imul: MOA computes size × remaining width in 32-bit ints, which wraps for wide windows.
    this.#windowSquaredDeviations -=
      (this.#bucketVariances[base] ?? 0) +
      (Math.imul(size, width) * meanDifference * meanDifference) / (size + width);
    const remaining = (this.#rowBucketCounts[row] ?? 0) - 1;
    for (let slot = base + 1; slot <= base + remaining; slot++) {
      this.#bucketTotals[slot - 1] = this.#bucketTotals[slot] ?? 0;
      this.#bucketVariances[slot - 1] = this.#bucketVariances[slot] ?? 0;
    }
    this.#rowBucketCounts[row] = remaining;
    this.#buckets--;
    if (remaining === 0) this.#rowsInUse--;
  }
}

/** 2^row as MOA computes it, `(int) Math.pow(2, row)`, which saturates at 2^31 − 1. */
function bucketSize(row: number): number {
  return row < 31 ? 1 << row : 0x7fffffff;
}

function grown(values: Float64Array, length: number): Float64Array {
  const copy = new Float64Array(length);
  copy.set(values);
  return copy;
}
