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

/**
 * Whether `modelVersion` of `model` is a candidate — scoring an A/B share beside the serving
 * version (`driftwatch promote … --traffic`) — whose records are not evidence about the serving
 * version. The detector keeps watching the serving one; a candidate's records count once it is
 * promoted.
 */
export async function isCandidate(
  deps: Pick<DetectorDependencies, 'registry' | 'refreshRegistry' | 'diagnostics'>,
  model: string,
  modelVersion: number,
): Promise<boolean> {
  return (await servedVersion(deps, model, modelVersion))?.status === 'candidate';
}
