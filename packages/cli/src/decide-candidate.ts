import type { ModelRegistry } from '@driftwatch/bus';
import type { ModelVersion, ShadowTrial } from '@driftwatch/topics';

import { CliError } from './errors.js';

export type CandidateDecision = 'promote' | 'reject';

/**
 * The record that settles a candidate (a challenger the trainer published under
 * `PROMOTION_MODE=manual`): the same version — same bytes, metrics and lineage — with status
 * `promoted` (inference serves it from its next batch) or `rejected` (it never serves), who
 * decided in `decidedBy`, and the decision's reason before the trainer's in `reason`.
 *
 * Refuses (`DW_CLI_UNKNOWN_MODEL`) a model or version the registry does not hold, and
 * (`DW_CLI_NOT_A_CANDIDATE`) a version that is not waiting for a decision, or a promotion of a
 * candidate older than the version serving: inference only moves forward, so that promotion
 * would never serve.
 *
 * @example
 * ```ts
 * const registry = new ModelRegistry();
 * registry.apply(fakeModelVersion({ model: 'churn', version: 1, parentVersion: null, status: 'promoted' }));
 * registry.apply(fakeModelVersion({ model: 'churn', version: 2, parentVersion: 1, status: 'candidate' }));
 * const record = decideCandidate(registry, { model: 'churn', version: 2, decision: 'promote', by: 'alice', reason: 'checked the holdout' });
 * record.status; // => "promoted"
 * record.decidedBy; // => "alice"
 * record.reason; // => "promoted by alice: checked the holdout (trainer: accuracy check of v2)"
 * ```
 */
export function decideCandidate(
  registry: Pick<ModelRegistry, 'get' | 'latestPromoted' | 'versions'>,
  request: {
    model: string;
    version: number;
    decision: CandidateDecision;
    /** Who decides: the CLI's `--by`, by default the user's login. */
    by: string;
    reason?: string;
    /**
     * `promote` only: instead of serving it, split traffic — the share of events (0 < t < 1) the
     * candidate scores beside the serving version, by a hash of the event id. It stays a candidate.
     */
    traffic?: number;
    /**
     * `promote` only: instead of serving it, put it on trial as a shadow under this rule — it
     * scores every event beside the serving version, and the detector decides it on live labels.
     */
    shadow?: Omit<ShadowTrial, 'evidence'>;
  },
): ModelVersion {
  const { model, version: number, decision, by } = request;
  const version = registry.get(model, number);
  if (!version) {
    const known = registry.versions(model).map((v) => `v${v.version}`);
    throw new CliError(
      'DW_CLI_UNKNOWN_MODEL',
      known.length === 0
        ? `no version of model "${model}" is on model-versions`
        : `${model} has no v${number} (it has ${known.join(', ')})`,
    );
  }
  // A shadow on trial can be decided by a person too, ahead of its live evidence.
  if (version.status !== 'candidate' && version.status !== 'shadow') {
    throw new CliError(
      'DW_CLI_NOT_A_CANDIDATE',
      `${model} v${number} is ${version.status}${version.decidedBy ? ` (by ${version.decidedBy})` : ''}, not a candidate awaiting a decision`,
    );
  }
  if (version.status === 'shadow' && (request.traffic ?? request.shadow) !== undefined) {
    throw new CliError(
      'DW_CLI_NOT_A_CANDIDATE',
      `${model} v${number} is a shadow: it scores every event already; promote or reject it`,
    );
  }
  const serving = registry.latestPromoted(model);
  if (decision === 'promote' && serving && serving.version > number) {
    throw new CliError(
      'DW_CLI_NOT_A_CANDIDATE',
      `${model} v${number} is older than the serving v${serving.version}: inference only moves forward, so it would never serve; reject it instead`,
    );
  }
  // A candidate decided before (a split) keeps the trainer's reason, not the decision's.
  const trainer = /\(trainer: (.*)\)$/.exec(version.reason)?.[1] ?? version.reason;
  const why = `${request.reason ?? 'no reason given'} (trainer: ${trainer})`;
  if (decision === 'promote' && request.traffic !== undefined) {
    const share = `${Number((request.traffic * 100).toFixed(4))}%`;
    return {
      ...version,
      traffic: request.traffic,
      decidedBy: by,
      reason: `A/B split at ${share} of events by ${by}: ${why}`,
    };
  }
  if (decision === 'promote' && request.shadow !== undefined) {
    if (!serving) {
      throw new CliError(
        'DW_CLI_NOT_A_CANDIDATE',
        `no version of ${model} serves, so a shadow would have nothing to be compared with; promote v${number} without --shadow`,
      );
    }
    return {
      ...version,
      status: 'shadow',
      traffic: null,
      shadowTrial: { ...request.shadow, evidence: null },
      decidedBy: by,
      reason: `on trial as a shadow by ${by} until ${request.shadow.minLabeled} labeled events decide: ${why}`,
    };
  }
  const verb = decision === 'promote' ? 'promoted' : 'rejected';
  return {
    ...version,
    status: verb,
    traffic: null,
    decidedBy: by,
    reason: `${verb} by ${by}: ${why}`,
  };
}
