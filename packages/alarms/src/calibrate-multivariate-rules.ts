import {
  DriftError,
  PcaReconstruction,
  PsiReference,
  ReferenceClusters,
  spreadForRunLength,
} from '@driftwatch/drift';
import type { CalibratedRule, MultivariateReference } from '@driftwatch/topics';

import { psiThresholdForBudget } from './psi-threshold-for-budget.js';
import { seededFor, simulatedWindows } from './simulated-run-lengths.js';

/** The cluster-occupancy rule's track, as the PSI gauge labels it and the calibration names it. */
export const clusterTrackName = '<clusters>';

export interface MultivariateCalibration {
  /** The threshold of PSI over the clusters; null when it cannot be calibrated. */
  clusters: CalibratedRule | null;
  /** How many reference σ the window's mean reconstruction error may stray; null: none. */
  reconstruction: CalibratedRule | null;
}

/**
 * The multivariate rules on the budget, over tumbling windows of `window` predictions, each
 * re-arming after a window back within bounds:
 * - cluster occupancy: PSI over the clusters, whose exact null is PSI of windows drawn from the
 *   reference's cluster shares, themselves drawn around the shares as the `rows` clustered left
 *   them uncertain (as a feature's PSI). On a budget the threshold alone decides; the chi-square
 *   test the raw rule also asks is what the calibration already allows for.
 * - reconstruction error: the spread around the reference chunks' mean error, from how many
 *   chunks there were ({@link spreadForRunLength}). The chunks' errors are the rows the PCA was
 *   fitted on, a little lower than fresh rows'; the calibration does not know by how much.
 *
 * A reference that does not revive (the detector then judges feature by feature) gets neither.
 */
export function calibrateMultivariateRules(
  reference: MultivariateReference,
  window: number,
  windowsPerAlarm: number,
): MultivariateCalibration {
  const windows = simulatedWindows(windowsPerAlarm);
  const clusters = unlessInvalid(() => {
    const { shares, rows } = ReferenceClusters.fromJSON(reference.clusters);
    const bins = PsiReference.fromJSON({
      kind: 'numeric',
      edges: Array.from({ length: shares.length + 1 }, (_, index) => index),
      proportions: [...shares],
    });
    return psiThresholdForBudget(bins, {
      window,
      windowsPerAlarm,
      referenceRows: rows,
      rearmAt: (threshold) => threshold,
      seed: `psi:${clusterTrackName}`,
    });
  });
  const pcaState = reference.reconstruction;
  const reconstruction = pcaState
    ? unlessInvalid(() => {
        const pca = PcaReconstruction.fromJSON(pcaState);
        const calibrated = spreadForRunLength({
          referenceChunks: pca.referenceChunkErrors.length,
          chunkSize: pca.chunkSize,
          window,
          windowsPerAlarm,
          windows,
          random: seededFor('reconstruction'),
        });
        return { ...calibrated, expectedRunLength: calibrated.expectedRunLength * window };
      })
    : null;
  return { clusters, reconstruction };
}

/**
 * A reference the drift package refuses (a state that does not revive, one chunk, one cluster)
 * leaves the rule on its raw threshold, as the detector leaves it, instead of failing the version.
 */
function unlessInvalid(calibrate: () => CalibratedRule): CalibratedRule | null {
  try {
    return calibrate();
  } catch (error) {
    if (error instanceof DriftError) return null;
    throw error;
  }
}
