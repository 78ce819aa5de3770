import { readTimeRange, type Kafka } from '@driftwatch/bus';
import type { Codec, LabeledPrediction } from '@driftwatch/topics';

import { withinDeadline } from './deadline.js';
import { decodeAll } from './read-report-records.js';

/** How one version did on the labeled predictions of a time range: serving, an A/B arm, or a shadow. */
export interface LiveAccuracy {
  labeled: number;
  /** Right over labeled; null with none labeled. */
  accuracy: number | null;
}

/**
 * `model/version` → its live accuracy, from labeled predictions of any versions and models; a
 * shadow's from its predictions riding on the serving version's, against the same labels.
 */
export function liveAccuracyByVersion(
  labeled: Iterable<
    Pick<LabeledPrediction, 'model' | 'modelVersion' | 'predicted' | 'label' | 'shadows'>
  >,
): Map<string, LiveAccuracy> {
  const counts = new Map<string, { labeled: number; right: number }>();
  const count = (model: string, version: number, right: boolean): void => {
    const key = liveKey(model, version);
    const tally = counts.get(key) ?? { labeled: 0, right: 0 };
    tally.labeled += 1;
    if (right) tally.right += 1;
    counts.set(key, tally);
  };
  for (const { model, modelVersion, predicted, label, shadows } of labeled) {
    count(model, modelVersion, predicted === label);
    for (const shadow of shadows ?? [])
      count(model, shadow.modelVersion, shadow.predicted === label);
  }
  return new Map(
    [...counts].map(([key, { labeled: n, right }]) => [
      key,
      { labeled: n, accuracy: n === 0 ? null : right / n },
    ]),
  );
}

export function liveKey(model: string, version: number): string {
  return `${model}/${version}`;
}

/**
 * Live accuracy per version over the labeled predictions written since `sinceMs` (of `model`, or
 * of every model). Only that stretch of `predictions-labeled` is read (offsets by time); records
 * that do not decode are counted in `notes`, not fatal.
 */
export async function readLiveAccuracy(options: {
  kafka: Kafka;
  topic: string;
  codec: Codec<LabeledPrediction>;
  sinceMs: number;
  model?: string;
  timeoutMs: number;
  notes: string[];
}): Promise<Map<string, LiveAccuracy>> {
  const { model, topic } = options;
  const records = await withinDeadline(options.timeoutMs, `reading ${topic}`, (signal) =>
    readTimeRange({
      kafka: options.kafka,
      topic,
      fromTs: options.sinceMs,
      toTs: Number.MAX_SAFE_INTEGER,
      ...(model === undefined ? {} : { filter: (record) => record.key?.toString() === model }),
      signal,
    }),
  );
  return liveAccuracyByVersion(
    await decodeAll(records, options.codec, model, topic, options.notes),
  );
}
