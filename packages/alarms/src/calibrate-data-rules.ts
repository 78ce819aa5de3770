import { Cbpe, categoricalSampler, slidingMeanFloorForRunLength } from '@driftwatch/drift';
import {
  calibrationCbpeState,
  type AlarmSettings,
  type BinnedDistribution,
  type CalibratedRule,
  type DataCalibration,
  type ReferenceProfile,
  type ScoreCalibration,
} from '@driftwatch/topics';

import { calibrateMultivariateRules, clusterTrackName } from './calibrate-multivariate-rules.js';
import { dataRuleTracks } from './data-rule-tracks.js';
import { psiThresholdForBudget } from './psi-threshold-for-budget.js';
import { seededFor, simulatedEvents, unlessDegenerate } from './simulated-run-lengths.js';

type DataSettings = AlarmSettings['data'];

/**
 * Calibrates a version's data rules to the budget from its reference profile: each PSI track's
 * threshold from PSI of windows drawn from the track's own bins (the exact null of a tumbling
 * PSI, whatever the values inside a bin), allowing for how few rows fitted them; the KS level
 * from the test's uniform p-values under the null; CBPE's floor from scores drawn from the
 * score's bins, their estimated correctness centred on what the holdout expected; with a
 * multivariate reference, cluster occupancy (as the PSI track `<clusters>`) and the reconstruction
 * error's spread ({@link calibrateMultivariateRules}).
 */
export function calibrateDataRules(
  reference: ReferenceProfile,
  options: DataSettings,
  eventsPerAlarm: number,
): DataCalibration {
  const { window } = options;
  const windowsPerAlarm = eventsPerAlarm / window;
  const psi: Record<string, CalibratedRule> = {};
  // PSI under the null depends on the bins' shares alone, and quantile bins give most numeric
  // features the same ones: tracks binned alike share one simulation, which keeps a model of 34
  // features from costing 34 of them (20 s at the default budget).
  const byShares = new Map<string, CalibratedRule | null>();
  for (const { name, profile, bins } of dataRuleTracks(reference)) {
    const shares = profile.proportions.join(',');
    if (!byShares.has(shares)) {
      byShares.set(
        shares,
        unlessDegenerate(() =>
          psiThresholdForBudget(bins, {
            window,
            windowsPerAlarm,
            referenceRows: reference.rows,
            rearmAt: (threshold) => threshold * options.rearmRatio,
            seed: `psi:${shares}`,
          }),
        ),
      );
    }
    const rule = byShares.get(shares);
    if (rule) psi[name] = rule;
  }
  const multivariate = reference.multivariate
    ? calibrateMultivariateRules(reference.multivariate, window, windowsPerAlarm)
    : null;
  if (multivariate?.clusters) psi[clusterTrackName] = multivariate.clusters;
  const { cbpe, score } = reference;
  return {
    eventsPerAlarm,
    psi,
    // Rules at 0 are off, and stay off on a budget.
    ks: options.ksAlpha > 0 ? ksLevel(windowsPerAlarm, window) : null,
    cbpe:
      options.cbpeMaxDrop > 0 && cbpe && score
        ? unlessDegenerate(() => cbpeFloor(cbpe, score, { ...options, eventsPerAlarm }))
        : null,
    reconstruction: multivariate?.reconstruction ?? null,
  };
}

/**
 * Under the null a KS p-value is uniform, so the test fires with probability α per window and
 * re-arms with 1 − α: the run length is 1/α + 1/(1 − α) windows, solved for α. Features with
 * ties make the test conservative (alarms rarer than this), never eager.
 */
function ksLevel(windowsPerAlarm: number, window: number): CalibratedRule {
  const alpha = windowsPerAlarm >= 4 ? (1 - Math.sqrt(1 - 4 / windowsPerAlarm)) / 2 : 0.5;
  return { threshold: alpha, expectedRunLength: (1 / alpha + 1 / (1 - alpha)) * window };
}

/** Scores drawn in a pool this large give each simulated window's mean its own variance. */
const scorePoolSize = 100_000;

function cbpeFloor(
  calibration: ScoreCalibration,
  scoreProfile: BinnedDistribution,
  options: DataSettings & { eventsPerAlarm: number },
): CalibratedRule {
  const cbpe = Cbpe.fromJSON(calibrationCbpeState(calibration));
  const random = seededFor('cbpe');
  const { edges, proportions } = scoreProfile;
  const drawBin = categoricalSampler(proportions);
  const pool = new Float64Array(scorePoolSize);
  for (let i = 0; i < pool.length; i++) {
    const bin = drawBin(random);
    const low = Math.max(0, edges[bin] ?? 0);
    const high = Math.min(1, edges[bin + 1] ?? 1);
    const score = low + (high - low) * random();
    const probability = cbpe.probability(score);
    pool[i] = cbpe.predicts(score) ? probability : 1 - probability;
  }
  // Inside a bin the simulation spreads scores evenly, which moves the mean a little; the
  // holdout measured where it is.
  const shift =
    calibration.expectedAccuracy - pool.reduce((sum, value) => sum + value, 0) / pool.length;
  for (let i = 0; i < pool.length; i++) pool[i] = (pool[i] ?? 0) + shift;
  return slidingMeanFloorForRunLength({
    draw: (r) => pool[Math.floor(r() * pool.length)] ?? 0,
    window: options.window,
    rearmMargin: options.cbpeRearmMargin,
    eventsPerAlarm: options.eventsPerAlarm,
    events: simulatedEvents(options.eventsPerAlarm, 20 * options.window),
    random: seededFor('cbpe-stream'),
  });
}
