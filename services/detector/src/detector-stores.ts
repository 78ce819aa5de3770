import type { ModelRegistry } from '@driftwatch/bus';

import type { DetectorDependencies } from './detector-dependencies.js';
import { ConceptState, DataState } from './model-states.js';
import { RetrainPolicy } from './retrain-policy.js';
import { StateStore } from './state-store.js';

/**
 * The detector's three state stores, each reviving its snapshots under the current options: a
 * data state is judged against its version's reference, so one whose version the registry does
 * not hold cannot be continued.
 */
export function createDetectorStores(
  options: DetectorDependencies['options'],
  registry: Pick<ModelRegistry, 'get'>,
  onUnrevivable?: (key: string, error: unknown) => void,
): Pick<DetectorDependencies, 'concept' | 'data' | 'policies'> {
  return {
    concept: new StateStore(
      (_model, json) => ConceptState.revive(json, options.concept),
      onUnrevivable,
    ),
    data: new StateStore((model, json) => {
      const version = registry.get(model, json.version);
      return version ? DataState.revive(json, version.reference, options.data) : undefined;
    }, onUnrevivable),
    policies: new StateStore(
      (_model, json) => new RetrainPolicy(options.policy, json),
      onUnrevivable,
    ),
  };
}
