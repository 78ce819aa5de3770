import type { ModelRegistry } from '@driftwatch/bus';
import type { ModelPerformance } from '@driftwatch/detector';

import type { EdgeCasesFound } from './read-edge-cases.js';

/** One model as `driftwatch status` shows it. */
export interface ModelStatus extends Pick<ModelPerformance, 'realized' | 'estimated'> {
  model: string;
  servingVersion: number | null;
  versions: number;
  /**
   * Of the `judged` predictions of `version` (the version the detector last saw served: all its
   * predictions the detector counted), `found` were edge cases. Null when the detector has counted
   * none, when inference looks for none (that version's reference has no clusters) and without an
   * `edge-cases` topic. `found` is read to the topic's end and `judged` as the detector last
   * committed, so while the detector lags behind inference `found` runs a little ahead.
   */
  edgeCases: { version: number; found: number; judged: number } | null;
}

/**
 * Each model of the registry with the serving version, its accuracy and its edge cases as the
 * detector's changelog (`performance`) and the `edge-cases` topic (`edgeCasesFound`, null when
 * there is no such topic) have them.
 */
export function modelStatus(
  registry: ModelRegistry,
  performance: readonly ModelPerformance[],
  edgeCasesFound: EdgeCasesFound | null,
): ModelStatus[] {
  return registry.models().map((model) => {
    const known = performance.find((p) => p.model === model);
    const observed = known?.observed ?? null;
    // Inference looks for edge cases only in versions whose reference carries clusters, which the
    // registry says without asking inference: without, "0 of M" would read as none found when none
    // were looked for. Two cases it cannot see still show 0 of M: inference run with
    // INFERENCE_EDGE_CASES=false, and clusters inference could not revive (it logs
    // model.edge_cases_off); both are inference's settings or faults, not the version's.
    const lookedFor =
      observed !== null && Boolean(registry.get(model, observed.version)?.reference.multivariate);
    return {
      model,
      servingVersion: registry.latestPromoted(model)?.version ?? null,
      versions: registry.versions(model).length,
      realized: known?.realized ?? null,
      estimated: known?.estimated ?? null,
      edgeCases:
        observed === null || !lookedFor || edgeCasesFound === null
          ? null
          : {
              version: observed.version,
              found: edgeCasesFound.get(model)?.get(observed.version) ?? 0,
              judged: observed.predictions,
            },
    };
  });
}
