import type { ModelVersion } from '@driftwatch/topics';

import type { DetectorDependencies } from './detector-dependencies.js';

/**
 * The version inference served, from the registry; undefined (and counted) when even a refreshed
 * registry does not hold it. Inference served it, so it is on `model-versions`: the registry may
 * just be behind, and one catch-up settles it.
 */
export async function servedVersion(
  deps: Pick<DetectorDependencies, 'registry' | 'refreshRegistry' | 'diagnostics'>,
  model: string,
  modelVersion: number,
): Promise<ModelVersion | undefined> {
  let version = deps.registry.get(model, modelVersion);
  if (!version) {
    await deps.refreshRegistry();
    version = deps.registry.get(model, modelVersion);
  }
  if (!version) deps.diagnostics.unknownVersion(model, modelVersion);
  return version;
}
