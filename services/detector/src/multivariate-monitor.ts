import {
  ClusterOccupancy,
  DriftError,
  type ClusterOccupancyState,
  type OccupancyWindow,
  PcaReconstruction,
  ReferenceClusters,
} from '@driftwatch/drift';
import type { CalibratedRule, MultivariateReference } from '@driftwatch/topics';

import { budgetNote, count, threeSignificant } from './alert-text.js';
import type { DataSignal } from './data-monitor.js';
import { ThresholdGate, type ThresholdGateState } from './threshold-gate.js';

export interface MultivariateOptions {
  /** Predictions per tumbling window. */
  window: number;
  /**
   * Cluster occupancy alerts when PSI over the clusters passes this and the chi-square test rejects.
   * Lower than a feature's usual 0.2: by chance alone PSI over k clusters is about (k − 1) × (1 /
   * window + 1 / reference rows), ~0.03 at k = 20, 1,000 predictions and 1,600 reference rows.
   */
  psiThreshold: number;
  /**
   * On a false-alarm budget, PSI over the clusters past this threshold alone alerts: the
   * calibration's null already allows for how many rows each side holds, as the test does.
   */
  occupancyBudget?: CalibratedRule | null;
  /** On a false-alarm budget, the spread (in reference σ) that replaces the raw rule's 3. */
  reconstructionBudget?: CalibratedRule | null;
}

export interface MultivariateMonitorState {
  occupancy: ClusterOccupancyState;
  occupancyGate: ThresholdGateState;
  reconstructionGate: ThresholdGateState;
  /** Sum of the reconstruction errors of the window being filled. */
  errorSum: number;
}

/** What the last full window showed, for the detector's gauges. */
export interface MultivariateSnapshot {
  clusterPsi: number | undefined;
  reconstructionError: number | undefined;
}

/** Fires once when its value turns 1, and again only after a window at 0. */
const episodeGate = { direction: 'above', rearmMargin: () => 0.5 } as const;

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/**
 * Drift that no single feature shows, over tumbling windows of predictions, against the version's
 * multivariate reference:
 * - **cluster occupancy**: each row goes to its nearest reference centroid; a window whose mix of
 *   clusters moved (PSI over the clusters above the PSI threshold, and Pearson's chi-square test
 *   rejecting the reference shares at 1%) alerts, naming the clusters that grew and shrank most.
 *   Both are asked because either alone misleads: the test flags differences too small to matter
 *   once windows are long, and PSI alone has no sense of how many rows it saw. On a false-alarm
 *   budget the calibrated PSI threshold alone decides: its null allows for the rows on each side.
 * - **reconstruction error** (NannyML's data reconstruction drift): the window's mean distance
 *   between each row and its projection on the reference's principal components, alerting outside
 *   the reference's mean ± 3σ (on a budget, ± the calibrated number of σ). It sees a broken
 *   correlation even when every feature's own distribution is unchanged.
 *
 * Each alerts once per episode and re-arms after a window back within bounds. Rows with a missing
 * feature are left out (inference dead-letters such events, so they are rare), as are rows too far
 * out to standardize.
 */
export class MultivariateMonitor {
  readonly #features: readonly string[];
  readonly #clusters: ReferenceClusters;
  readonly #pca: PcaReconstruction | null;
  readonly #occupancy: ClusterOccupancy;
  readonly #occupancyGate: ThresholdGate;
  readonly #reconstructionGate: ThresholdGate;
  readonly #options: MultivariateOptions;
  readonly #row: Float64Array;
  /** The reconstruction error's bounds: ± 3σ raw, ± the calibrated spread on a budget. */
  readonly #reconstructionBounds: { spread: number; lower: number | null; upper: number };
  #errorSum: number;
  #last: MultivariateSnapshot = { clusterPsi: undefined, reconstructionError: undefined };

  constructor(
    reference: MultivariateReference,
    options: MultivariateOptions,
    state?: MultivariateMonitorState,
  ) {
    this.#options = options;
    this.#features = reference.features;
    this.#clusters = ReferenceClusters.fromJSON(reference.clusters);
    this.#pca = reference.reconstruction
      ? PcaReconstruction.fromJSON(reference.reconstruction)
      : null;
    this.#occupancy = new ClusterOccupancy(
      this.#clusters.shares,
      { window: options.window, referenceRows: this.#clusters.rows },
      state?.occupancy,
    );
    const spread = options.reconstructionBudget?.threshold ?? 3;
    this.#reconstructionBounds = {
      spread,
      ...(this.#pca?.boundsAt(spread) ?? { lower: null, upper: Infinity }),
    };
    this.#occupancyGate = new ThresholdGate(episodeGate, state?.occupancyGate);
    this.#reconstructionGate = new ThresholdGate(episodeGate, state?.reconstructionGate);
    this.#errorSum = state?.errorSum ?? 0;
    this.#row = new Float64Array(reference.features.length);
  }

  /** Whether a snapshot taken under other options can be continued under these. */
  static fits(options: MultivariateOptions, state: MultivariateMonitorState): boolean {
    return state.occupancy.window === options.window;
  }

  observe(
    features: Readonly<Record<string, number | null>>,
    windowStart: number,
    ts: number,
  ): DataSignal[] {
    for (const [column, name] of this.#features.entries()) {
      const value = features[name];
      if (value === null || value === undefined || !Number.isFinite(value)) return [];
      this.#row[column] = value;
    }
    let error: number;
    let cluster: number;
    try {
      error = this.#pca?.error(this.#row) ?? 0;
      cluster = this.#clusters.nearestCentroid(this.#row).index;
    } catch (thrown) {
      // A value so far out that standardizing it overflows (a near-constant reference column)
      // cannot be placed or projected: left out, as a row with a missing feature is.
      if (thrown instanceof DriftError) return [];
      throw thrown;
    }
    // Squared, such a row's error can overflow too: the same row, left out the same way.
    if (!Number.isFinite(error)) return [];
    this.#errorSum += error;
    const occupancy = this.#occupancy.add(cluster);
    if (!occupancy) return [];
    const signals: DataSignal[] = [];
    const { window, occupancyBudget } = this.#options;
    const psiThreshold = occupancyBudget?.threshold ?? this.#options.psiThreshold;
    const moved = occupancyBudget
      ? occupancy.psi > psiThreshold
      : occupancy.rejected && occupancy.psi > psiThreshold;
    this.#last = { clusterPsi: occupancy.psi, reconstructionError: undefined };
    if (this.#occupancyGate.check(moved ? 1 : 0, 0.5)) {
      signals.push({
        kind: 'data',
        detector: 'cluster-occupancy',
        feature: null,
        statistic: occupancy.psi,
        threshold: psiThreshold,
        windowStart,
        windowEnd: ts,
        severity: occupancy.psi >= 2 * psiThreshold ? 'critical' : 'warning',
        summary: `the mix of inputs moved across the reference's ${occupancy.shares.length} clusters: ${this.#largestChanges(occupancy)} over the last ${count(window)} predictions (PSI over clusters ${occupancy.psi.toFixed(3)}, alert at ${threeSignificant(psiThreshold)}${occupancyBudget ? budgetNote(occupancyBudget.expectedRunLength, 'predictions') : `; chi-square ${occupancy.chiSquare.toFixed(1)} > ${String(occupancy.critical)} at 1% with ${occupancy.degreesOfFreedom} degrees of freedom`})`,
        expectedRunLength: occupancyBudget?.expectedRunLength ?? null,
      });
    }
    if (this.#pca) {
      const meanError = this.#errorSum / window;
      this.#errorSum = 0;
      this.#last.reconstructionError = meanError;
      const budget = this.#options.reconstructionBudget;
      const { spread, lower: lowerThreshold, upper: upperThreshold } = this.#reconstructionBounds;
      const outside = !((lowerThreshold ?? -Infinity) < meanError && meanError < upperThreshold);
      if (this.#reconstructionGate.check(outside ? 1 : 0, 0.5)) {
        const above = meanError >= upperThreshold;
        signals.push({
          kind: 'data',
          detector: 'reconstruction',
          feature: null,
          statistic: meanError,
          threshold: above ? upperThreshold : (lowerThreshold ?? 0),
          windowStart,
          windowEnd: ts,
          severity: above && meanError >= 2 * upperThreshold ? 'critical' : 'warning',
          summary: `the inputs no longer follow the reference's correlations: mean PCA reconstruction error ${threeSignificant(meanError)} over the last ${count(window)} predictions, ${above ? `above ${threeSignificant(upperThreshold)}` : `below ${threeSignificant(lowerThreshold ?? 0)}`} (the reference's mean ± ${threeSignificant(spread)}σ, ${this.#pca.componentCount} of ${this.#features.length} components${budget ? budgetNote(budget.expectedRunLength, 'predictions') : ''})`,
          expectedRunLength: budget?.expectedRunLength ?? null,
        });
      }
    }
    return signals;
  }

  /** The last full window's cluster PSI and mean reconstruction error. */
  get last(): MultivariateSnapshot {
    return this.#last;
  }

  toJSON(): MultivariateMonitorState {
    return {
      occupancy: this.#occupancy.toJSON(),
      occupancyGate: this.#occupancyGate.toJSON(),
      reconstructionGate: this.#reconstructionGate.toJSON(),
      errorSum: this.#errorSum,
    };
  }

  /** "cluster 7 grew from 2.0% to 31.5%, cluster 3 shrank from 12.0% to 4.1%". */
  #largestChanges(occupancy: OccupancyWindow): string {
    const changes = occupancy.shares
      .map((share, cluster) => ({ cluster, from: this.#clusters.shares[cluster] ?? 0, to: share }))
      .sort((a, b) => Math.abs(b.to - b.from) - Math.abs(a.to - a.from));
    const grew = changes.find((change) => change.to > change.from);
    const shrank = changes.find((change) => change.to < change.from);
    return [
      grew && `cluster ${grew.cluster} grew from ${percent(grew.from)} to ${percent(grew.to)}`,
      shrank &&
        `cluster ${shrank.cluster} shrank from ${percent(shrank.from)} to ${percent(shrank.to)}`,
    ]
      .filter(Boolean)
      .join(', ');
  }
}
