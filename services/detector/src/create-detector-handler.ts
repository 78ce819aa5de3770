import { untilCommitted, type BatchHandler } from '@driftwatch/bus';

import { keepingAlive } from './alarm-calibrator.js';
import { detectConceptDrift } from './detect-concept-drift.js';
import { detectDataDrift } from './detect-data-drift.js';
import type { DetectorDependencies } from './detector-dependencies.js';
import { DetectorOutput } from './detector-output.js';

/**
 * The detector's logic, one batch at a time, for two inputs, both keyed by model:
 * - inference's feature sketches: data drift per model version (PSI per feature and score, KS,
 *   estimated performance);
 * - `predictions-labeled`: concept drift per model version.
 * Both keyed inputs feed the model's one retrain policy.
 * Every state change rides in the batch's transaction as a changelog snapshot.
 */
export function createDetectorHandler(deps: DetectorDependencies): BatchHandler {
  const { names, internal } = deps;
  return async (batch, context) => {
    // A model's sketches and labeled predictions share a partition number (co-partitioned,
    // keyed by model), so the batch's state is its partition's: batches of other partitions may
    // be in hand beside it, never one of its own.
    const scope = batch.partition;
    const stores = {
      concept: deps.concept.begin(scope),
      data: deps.data.begin(scope),
      policies: deps.policies.begin(scope),
    };
    // What this attempt staged becomes the state the next batch starts from only if it commits.
    context.afterCommit(() => {
      stores.concept.committed();
      stores.data.committed();
      stores.policies.committed();
    });
    const attempt = {
      ...deps,
      ...stores,
      diagnostics: untilCommitted(deps.diagnostics, context),
      calibrator: keepingAlive(deps.calibrator, () => {
        context.heartbeat();
      }),
    };
    const output = new DetectorOutput(attempt, deps.now());
    if (batch.topic === internal.sketches) await detectDataDrift(attempt, batch, output);
    else if (batch.topic === names.predictionsLabeled)
      await detectConceptDrift(attempt, batch, output);
    else throw new Error(`detector: no handler for topic ${batch.topic}`);
    return output.messages;
  };
}
