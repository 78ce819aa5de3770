import type { DetectorDependencies } from '../detector-dependencies.js';

/**
 * Detector options for unit tests: windows of 200 so a drift shows within a few hundred records,
 * drift-triggered retraining on, every other policy off.
 */
export const unitDetectorOptions: DetectorDependencies['options'] = {
  concept: {
    window: 200,
    adwinDelta: 0.002,
    blockSize: 200,
    blockAccuracyThreshold: 0,
    accuracyThreshold: 0,
    rearmMargin: 0.02,
    adwinCooldown: 500,
  },
  data: {
    window: 200,
    kind: 'tumbling',
    psiThreshold: 0.2,
    rearmRatio: 0.5,
    ksAlpha: 0,
    cbpeMaxDrop: 0.05,
    cbpeRearmMargin: 0.02,
  },
  policy: {
    onDrift: true,
    onDataDrift: false,
    accuracyBelow: 0,
    rearmMargin: 0.02,
    intervalMs: 0,
    afterLabeled: 0,
    minRows: 100,
    inFlightTimeoutMs: 60_000,
    incidentWindowMs: 60_000,
  },
};
