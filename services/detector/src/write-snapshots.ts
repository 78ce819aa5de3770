import type { InputRecord } from '@driftwatch/bus';

import type { DetectorOutput } from './detector-output.js';
import {
  RetrainPolicy,
  type RetrainPolicyOptions,
  type RetrainPolicyState,
} from './retrain-policy.js';
import type { StateStream } from './state-key.js';
import type { Snapshotable, StateBatch } from './state-store.js';

/**
 * Writes the state of every model a batch touched (model → the last record folded in) to the
 * changelog, in the batch's transaction, and reports each state's metrics.
 */
export function writeSnapshots<State extends Snapshotable<Json>, Json>(
  stream: StateStream,
  store: StateBatch<State, Json>,
  touched: ReadonlyMap<string, InputRecord>,
  output: DetectorOutput,
  report: (model: string, state: State) => void,
): void {
  for (const [model, record] of touched) {
    output.snapshot({ stream, model }, store.touch(model, record.partition, record.offset));
    const state = store.get(model);
    if (state) report(model, state);
  }
}

/**
 * Writes the retrain policy of every model a batch touched. Both of the detector's keyed inputs
 * move a model's policy, and their offsets do not compare, so a policy's snapshots are ordered by
 * its own revision instead (partition -1: no input partition).
 */
export function writePolicySnapshots(
  store: StateBatch<RetrainPolicy, RetrainPolicyState>,
  models: Iterable<string>,
  output: DetectorOutput,
): void {
  for (const model of models) {
    const policy = store.get(model);
    if (!policy) continue;
    const revision = policy.nextRevision();
    output.snapshot({ stream: 'policy', model }, store.touch(model, -1, String(revision)));
  }
}

/** The model's retrain policy, created on first use. */
export function policyOf(
  store: StateBatch<RetrainPolicy, RetrainPolicyState>,
  model: string,
  options: RetrainPolicyOptions,
): RetrainPolicy {
  let policy = store.get(model);
  if (!policy) {
    policy = new RetrainPolicy(options);
    store.set(model, policy);
  }
  return policy;
}
