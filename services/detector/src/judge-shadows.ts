import { decideOnLiveEvidence } from '@driftwatch/learn';
import type { LabeledPrediction } from '@driftwatch/topics';

import type { SharedDependencies } from './detector-dependencies.js';
import type { DetectorOutput } from './detector-output.js';
import type { ConceptState } from './model-states.js';
import { servedVersion } from './served-version.js';

/**
 * One labeled prediction of the serving version as evidence in its shadows' trials: each shadow
 * that scored the same event (`labeled.shadows`) is right or wrong beside it. When a trial has
 * its `minLabeled` paired events, the shadow is promoted or retired by its own rule, on
 * `model-versions`, in this batch's transaction — so a restart neither loses nor repeats the
 * decision, and inference serves a promoted shadow from its next batch.
 */
export async function judgeShadows(
  deps: SharedDependencies,
  state: ConceptState,
  labeled: LabeledPrediction,
  output: DetectorOutput,
): Promise<void> {
  const championRight = labeled.predicted === labeled.label;
  for (const shadow of labeled.shadows ?? []) {
    const shadowRight = shadow.predicted === labeled.label;
    deps.diagnostics.liveOutcome(labeled.model, shadow.modelVersion, shadowRight);
    let tally = state.shadows.get(shadow.modelVersion);
    if (!tally) {
      const version = await servedVersion(deps, labeled.model, shadow.modelVersion);
      // Decided already (inference may still score it for a batch or two), or not a shadow.
      if (version?.status !== 'shadow' || version.version <= state.version) continue;
      tally = {
        labeled: 0,
        championCorrect: 0,
        shadowCorrect: 0,
        championOnly: 0,
        shadowOnly: 0,
        decided: false,
      };
      state.shadows.set(shadow.modelVersion, tally);
    }
    if (tally.decided) continue;
    tally.labeled++;
    if (championRight) tally.championCorrect++;
    if (shadowRight) tally.shadowCorrect++;
    if (championRight && !shadowRight) tally.championOnly++;
    if (shadowRight && !championRight) tally.shadowOnly++;
    const version = deps.registry.get(labeled.model, shadow.modelVersion);
    if (!version?.shadowTrial) continue;
    const rule = version.shadowTrial;
    const decision = decideOnLiveEvidence(tally, rule);
    if (!decision) continue;
    tally.decided = true;
    // The same version — bytes, metrics, lineage, createdAt — with the trial's outcome; no person
    // decided it, whoever put it on trial.
    await output.modelVersion({
      ...version,
      decidedBy: null,
      status: decision.promote ? 'promoted' : 'rejected',
      reason: `${decision.promote ? 'promoted on live evidence' : 'retired after its shadow trial'}: ${decision.reason}`,
      shadowTrial: {
        ...rule,
        evidence: {
          championVersion: state.version,
          labeled: tally.labeled,
          championCorrect: tally.championCorrect,
          shadowCorrect: tally.shadowCorrect,
          championOnly: tally.championOnly,
          shadowOnly: tally.shadowOnly,
          pValue: decision.mcnemar?.pValue ?? null,
        },
      },
    });
    deps.diagnostics.shadowDecided(labeled.model, decision.promote ? 'promoted' : 'retired');
  }
}

/**
 * Retires the model's shadows no newer than its new serving version: inference stops scoring
 * them, and their trials — against the old version — can never end.
 */
export async function retireOvertakenShadows(
  deps: SharedDependencies,
  model: string,
  servingVersion: number,
  output: DetectorOutput,
): Promise<void> {
  for (const version of deps.registry.versions(model)) {
    if (version.status !== 'shadow' || version.version >= servingVersion) continue;
    await output.modelVersion({
      ...version,
      decidedBy: null,
      status: 'rejected',
      reason: `retired after its shadow trial: overtaken, v${servingVersion} started serving first`,
      shadowTrial: version.shadowTrial,
    });
    deps.diagnostics.shadowDecided(model, 'retired');
  }
}
