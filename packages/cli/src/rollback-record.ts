import type { ModelRegistry } from '@driftwatch/bus';
import type { ModelVersion } from '@driftwatch/topics';

import { CliError } from './errors.js';

/**
 * The record that rolls `model` back: a new version — numbered after the highest, its parent the
 * version serving now — carrying an earlier version's ONNX bytes, reference and metrics, promoted,
 * with who and why. A new number rather than the old one re-promoted, because inference only
 * moves forward (a late record can never roll it back by accident), and the lineage shows the
 * rollback as what it was.
 *
 * The target is `to`, else the serving version's parent: the one it replaced, so a second
 * rollback undoes the first. It must be a version that once served (promoted), other than the one
 * serving now; anything else is `DW_CLI_NO_ROLLBACK`, as is a model with nothing serving.
 *
 * @example
 * ```ts
 * const registry = new ModelRegistry();
 * registry.apply(fakeModelVersion({ model: 'churn', version: 1, parentVersion: null, status: 'promoted' }));
 * registry.apply(fakeModelVersion({ model: 'churn', version: 2, parentVersion: 1, status: 'promoted' }));
 * const record = rollbackRecord(registry, { model: 'churn', by: 'alice', reason: 'v2 misfires', now: 5 });
 * [record.version, record.parentVersion, record.status, record.decidedBy]; // => [3, 2, "promoted", "alice"]
 * record.sha256 === registry.get('churn', 1)?.sha256; // => true
 * record.reason; // => "rollback to v1 by alice: v2 misfires"
 * ```
 */
export function rollbackRecord(
  registry: Pick<ModelRegistry, 'get' | 'latestPromoted' | 'highestVersionNumber'>,
  request: { model: string; to?: number; by: string; reason?: string; now: number },
): ModelVersion {
  const { model, by } = request;
  const serving = registry.latestPromoted(model);
  if (!serving) {
    throw new CliError('DW_CLI_NO_ROLLBACK', `no version of model "${model}" is serving`);
  }
  const to = request.to ?? serving.parentVersion;
  if (to === null) {
    throw new CliError(
      'DW_CLI_NO_ROLLBACK',
      `${model} v${serving.version} serves and has no parent to roll back to; name one with --to`,
    );
  }
  const target = registry.get(model, to);
  if (!target || target.status !== 'promoted' || to === serving.version) {
    const what = !target
      ? 'does not exist'
      : to === serving.version
        ? 'is the version serving'
        : `is ${target.status === 'candidate' ? 'a candidate' : target.status} and never served (driftwatch promote serves a candidate)`;
    throw new CliError('DW_CLI_NO_ROLLBACK', `cannot roll ${model} back to v${to}: it ${what}`);
  }
  return {
    ...target,
    version: registry.highestVersionNumber(model) + 1,
    parentVersion: serving.version,
    createdAt: request.now,
    status: 'promoted',
    decidedBy: by,
    requestId: null,
    reason: `rollback to v${to} by ${by}: ${request.reason ?? 'no reason given'}`,
  };
}
