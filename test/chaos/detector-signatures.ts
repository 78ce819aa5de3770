import type { DriftAlert, RetrainRequest } from '@driftwatch/topics';

/** Where a record sits, told by its place in its partition rather than by its offset. */
export type EvidencePosition = (
  evidence: NonNullable<DriftAlert['evidence']>,
) => number | undefined;

/**
 * What an alert says, without what differs between two runs over the same input: its id and
 * evidence offset (derived from offsets, which transaction markers and aborted batches move) are
 * replaced by the evidence's position among the committed records of its partition, its topic by
 * the topic's name without the deployment prefix, and `observedAt` (the wall clock) is left out.
 */
export function alertSignature(
  alert: DriftAlert,
  prefix: string,
  position: EvidencePosition,
): string {
  const { evidence } = alert;
  return JSON.stringify([
    alert.model,
    alert.modelVersion,
    alert.kind,
    alert.detector,
    alert.feature,
    alert.statistic,
    alert.threshold,
    alert.windowStart,
    alert.windowEnd,
    alert.severity,
    evidence === null
      ? null
      : [
          evidence.topic.startsWith(prefix) ? evidence.topic.slice(prefix.length) : evidence.topic,
          evidence.partition,
          position(evidence) ?? `offset ${evidence.offset} not among the committed records`,
        ],
  ]);
}

/**
 * What a retrain request says, its alert given by that alert's signature; its id (derived from
 * an offset) and `requestedAt` (the wall clock) left out.
 */
export function requestSignature(
  request: RetrainRequest,
  alertSignatures: ReadonlyMap<string, string>,
): string {
  const alert =
    request.alertId === null
      ? null
      : (alertSignatures.get(request.alertId) ?? `unknown alert ${request.alertId}`);
  return JSON.stringify([request.model, request.reason, alert, request.fromTs, request.toTs]);
}

export interface SignatureComparison {
  /** In the undisturbed run, not (or fewer times) in the disturbed one. */
  missing: string[];
  /** In the disturbed run beyond what the undisturbed one has. */
  extra: string[];
}

/**
 * Compares two runs' signatures as multisets: an alert raised twice shows as extra, one never
 * raised as missing.
 *
 * @example
 * ```ts
 * compareSignatures(['a', 'b'], ['a', 'a']); // { missing: ['b'], extra: ['a'] }
 * ```
 */
export function compareSignatures(
  undisturbed: readonly string[],
  disturbed: readonly string[],
): SignatureComparison {
  const left = new Map<string, number>();
  for (const signature of undisturbed) left.set(signature, (left.get(signature) ?? 0) + 1);
  const extra: string[] = [];
  for (const signature of disturbed) {
    const count = left.get(signature) ?? 0;
    if (count > 0) left.set(signature, count - 1);
    else extra.push(signature);
  }
  const missing = [...left].flatMap(([signature, count]) =>
    Array.from({ length: count }, () => signature),
  );
  return { missing, extra };
}
