import { Cbpe } from '@driftwatch/drift';
import {
  calibrationCbpeState,
  type DriftAlert,
  type ModelVersion,
  type RetrainRequest,
} from '@driftwatch/topics';

/** One served prediction with its label, as read back from `predictions-labeled`. */
export interface LabeledOutcome {
  /** Position of the event in the replayed stream. */
  index: number;
  modelVersion: number;
  correct: boolean;
  /** The prediction's score (binary: the positive class's probability), for CBPE's estimate. */
  score?: number;
  /** Kafka timestamp of the labeled record: the clock alerts' `windowEnd` is on. */
  writtenAt: number;
  /** Where the labeled record is: an alert's `evidence` names the one that completed it. */
  evidence: NonNullable<DriftAlert['evidence']>;
  /** Whether inference judged the event an edge case. */
  edgeCase?: boolean;
}

export interface SummaryInput {
  dataset: string;
  model: string;
  events: number;
  /**
   * Index of the first event replayed; the events are `firstEvent … firstEvent + events − 1`.
   * Default 0. A stream replayed after the rows version 1 learned from starts past them.
   */
  firstEvent?: number;
  /** Event indices where a new concept starts; empty when the stream's drifts are unknown. */
  knownDrifts: readonly number[];
  /** Segment length for a stream without known drifts. */
  segmentLength: number;
  labeled: readonly LabeledOutcome[];
  /** Whether the never-retrained model (version 1) is right on the event at this index. */
  staticCorrect: (index: number) => boolean;
  alerts: readonly DriftAlert[];
  requests: readonly RetrainRequest[];
  versions: readonly ModelVersion[];
  /** Records on `edge-cases` of the replayed events. Default 0. */
  edgeCases?: number;
  /** Accuracy on a fixed labeled set of version 1 and of the version serving at the end. */
  golden?: GoldenComparison | null;
}

/** Old and new on a fixed labeled set no version learned from. */
export interface GoldenComparison {
  rows: number;
  old: { version: number; accuracy: number };
  new: { version: number; accuracy: number };
}

export interface SegmentSummary {
  index: number;
  fromEvent: number;
  /** Exclusive. */
  toEvent: number;
  labeled: number;
  /** Accuracy of what was served: each event scored by the version serving when it came. */
  accuracy: number;
  /** The never-retrained model on the same events. */
  staticAccuracy: number;
  versions: {
    version: number;
    predictions: number;
    accuracy: number;
    /**
     * The same predictions' accuracy estimated from their scores alone (CBPE with the version's
     * calibration), as the detector estimates it before labels arrive; null for a version without
     * a calibration (multiclass, or too small a holdout).
     */
    estimatedAccuracy: number | null;
  }[];
}

export interface DriftSummary {
  knownAt: number;
  /** Event index of the labeled prediction that completed the evidence, or null if never. */
  detectedAt: number | null;
  /** detectedAt − knownAt, in events. */
  delay: number | null;
  detector: string | null;
  alertId: string | null;
  /** The version promoted in answer to this drift, and when (event index) it started serving. */
  promotedVersion: number | null;
  servingFrom: number | null;
}

export interface DemoSummary {
  dataset: string;
  model: string;
  events: number;
  labeled: number;
  segments: SegmentSummary[];
  drifts: DriftSummary[];
  /** `incidents`: distinct incident ids (alerts written before incidents count one each). */
  alerts: { total: number; incidents: number; byDetector: Record<string, number> };
  retrains: {
    requested: number;
    promoted: number;
    rejected: number;
    byReason: Record<string, number>;
  };
  versions: {
    version: number;
    parentVersion: number | null;
    status: string;
    reason: string;
    trainRows: number;
  }[];
  accuracy: { adaptive: number; static: number };
  /**
   * Events inference judged edge cases (where the serving version's reference was sparse), out of
   * the events replayed, and how many of them were labeled.
   */
  edgeCases: { identified: number; outOf: number; labeled: number };
  golden: GoldenComparison | null;
}

const ratio = (hits: number, total: number): number => (total === 0 ? NaN : hits / total);

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/**
 * What happened in a closed-loop run, from what the topics hold: accuracy per segment between
 * known drifts (per serving version, and for the never-retrained model on the same events), when
 * each drift was detected, which version answered it, and the retrains.
 *
 * An alert is placed on the stream by its `windowEnd`: the Kafka timestamp of the labeled
 * prediction that completed its evidence, found among the labeled records.
 */
export function summarizeDemo(input: SummaryInput): DemoSummary {
  const byWrite = [...input.labeled].sort((a, b) => a.writtenAt - b.writtenAt);
  /** The event whose labeled record completed an alert's evidence. */
  const eventOf = (alert: DriftAlert): number | null => {
    let low = 0;
    let high = byWrite.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((byWrite[middle]?.writtenAt ?? Infinity) <= alert.windowEnd) low = middle + 1;
      else high = middle;
    }
    // A service that fell behind writes thousands of records in one millisecond: among those,
    // the alert's evidence names the one that completed it.
    const { evidence } = alert;
    for (let i = low - 1; evidence && i >= 0 && byWrite[i]?.writtenAt === alert.windowEnd; i--) {
      const outcome = byWrite[i];
      if (
        outcome &&
        outcome.evidence.topic === evidence.topic &&
        outcome.evidence.partition === evidence.partition &&
        outcome.evidence.offset === evidence.offset
      )
        return outcome.index;
    }
    return low === 0 ? null : (byWrite[low - 1]?.index ?? null);
  };

  const first = input.firstEvent ?? 0;
  const end = first + input.events;
  const bounds: number[] =
    input.knownDrifts.length > 0
      ? [first, ...input.knownDrifts, end]
      : Array.from({ length: Math.ceil(input.events / input.segmentLength) + 1 }, (_, i) =>
          Math.min(first + i * input.segmentLength, end),
        );
  const segments: SegmentSummary[] = [];
  for (let s = 0; s + 1 < bounds.length; s++) {
    const fromEvent = bounds[s] ?? first;
    const toEvent = bounds[s + 1] ?? end;
    if (toEvent <= fromEvent) continue;
    const inSegment = input.labeled.filter((o) => o.index >= fromEvent && o.index < toEvent);
    const versions = [...new Set(inSegment.map((o) => o.modelVersion))].sort((a, b) => a - b);
    segments.push({
      index: segments.length,
      fromEvent,
      toEvent,
      labeled: inSegment.length,
      accuracy: ratio(inSegment.filter((o) => o.correct).length, inSegment.length),
      staticAccuracy: ratio(
        inSegment.filter((o) => input.staticCorrect(o.index)).length,
        inSegment.length,
      ),
      versions: versions.map((version) => {
        const served = inSegment.filter((o) => o.modelVersion === version);
        return {
          version,
          predictions: served.length,
          accuracy: ratio(served.filter((o) => o.correct).length, served.length),
          estimatedAccuracy: estimatedAccuracy(
            input.versions.find((v) => v.version === version),
            served,
          ),
        };
      }),
    });
  }

  const evidence = input.alerts
    .filter((alert) => alert.kind !== 'data')
    .map((alert) => ({ alert, at: eventOf(alert) }))
    .filter((entry): entry is { alert: DriftAlert; at: number } => entry.at !== null)
    .sort((a, b) => a.at - b.at);
  const firstServed = (version: number): number | null => {
    const served = input.labeled.filter((o) => o.modelVersion === version);
    return served.length === 0 ? null : Math.min(...served.map((o) => o.index));
  };
  const drifts: DriftSummary[] = input.knownDrifts.map((knownAt, k) => {
    const next = input.knownDrifts[k + 1] ?? end;
    const inSegment = evidence.filter(({ at }) => at >= knownAt && at < next);
    const first = inSegment[0];
    // Several alerts may tell of one drift (ADWIN, block accuracy); the answer is the first
    // version promoted for a request that any of them caused.
    const answering = new Set(
      input.requests
        .filter((r) => inSegment.some(({ alert }) => alert.alertId === r.alertId))
        .map((r) => r.requestId),
    );
    const promoted = input.versions
      .filter((v) => v.status === 'promoted' && v.requestId !== null && answering.has(v.requestId))
      .sort((a, b) => a.version - b.version)[0];
    return {
      knownAt,
      detectedAt: first?.at ?? null,
      delay: first ? first.at - knownAt : null,
      detector: first?.alert.detector ?? null,
      alertId: first?.alert.alertId ?? null,
      promotedVersion: promoted?.version ?? null,
      servingFrom: promoted ? firstServed(promoted.version) : null,
    };
  });

  const trained = input.versions.filter((v) => v.requestId !== null);
  return {
    edgeCases: {
      identified: input.edgeCases ?? 0,
      outOf: input.events,
      labeled: input.labeled.filter((outcome) => outcome.edgeCase).length,
    },
    golden: input.golden ?? null,
    dataset: input.dataset,
    model: input.model,
    events: input.events,
    labeled: input.labeled.length,
    segments,
    drifts,
    alerts: {
      total: input.alerts.length,
      incidents: new Set(input.alerts.map((a) => a.incidentId ?? a.alertId)).size,
      byDetector: countBy(input.alerts, (a) => a.detector),
    },
    retrains: {
      requested: input.requests.length,
      promoted: trained.filter((v) => v.status === 'promoted').length,
      rejected: trained.filter((v) => v.status === 'rejected').length,
      byReason: countBy(input.requests, (r) => r.reason),
    },
    versions: [...input.versions]
      .sort((a, b) => a.version - b.version)
      .map((v) => ({
        version: v.version,
        parentVersion: v.parentVersion,
        status: v.status,
        reason: v.reason,
        trainRows: v.trainingWindow.trainRows,
      })),
    accuracy: {
      adaptive: ratio(input.labeled.filter((o) => o.correct).length, input.labeled.length),
      static: ratio(
        input.labeled.filter((o) => input.staticCorrect(o.index)).length,
        input.labeled.length,
      ),
    },
  };
}

/** CBPE's accuracy estimate of a version's predictions, from their scores and its calibration. */
function estimatedAccuracy(
  version: ModelVersion | undefined,
  served: readonly LabeledOutcome[],
): number | null {
  const calibration = version?.reference.cbpe;
  const scores = served.flatMap((o) => (o.score === undefined ? [] : [o.score]));
  if (!calibration || scores.length === 0 || scores.length < served.length) return null;
  return Cbpe.fromJSON(calibrationCbpeState(calibration)).estimate(scores).accuracy;
}
