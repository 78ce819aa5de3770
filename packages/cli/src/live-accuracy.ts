import { isRetriable, readTimeRange, type Kafka } from '@driftwatch/bus';
import type { Codec, LabeledPrediction } from '@driftwatch/topics';

import { withinDeadline } from './deadline.js';

/** How one version did on the labeled predictions of a time range, serving or an A/B arm. */
export interface LiveAccuracy {
  labeled: number;
  /** Right over labeled; null with none labeled. */
  accuracy: number | null;
}

/** `model/version` → its live accuracy, from labeled predictions of any versions and models. */
export function liveAccuracyByVersion(
  labeled: Iterable<Pick<LabeledPrediction, 'model' | 'modelVersion' | 'predicted' | 'label'>>,
): Map<string, LiveAccuracy> {
  const counts = new Map<string, { labeled: number; right: number }>();
  for (const { model, modelVersion, predicted, label } of labeled) {
    const key = liveKey(model, modelVersion);
    const count = counts.get(key) ?? { labeled: 0, right: 0 };
    count.labeled += 1;
    if (predicted === label) count.right += 1;
    counts.set(key, count);
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
 * that do not decode are counted in `unreadable`, not fatal.
 */
export async function readLiveAccuracy(options: {
  kafka: Kafka;
  topic: string;
  codec: Codec<LabeledPrediction>;
  sinceMs: number;
  model?: string;
  timeoutMs: number;
}): Promise<{ byVersion: Map<string, LiveAccuracy>; unreadable: number }> {
  const { model } = options;
  const records = await withinDeadline(options.timeoutMs, `reading ${options.topic}`, (signal) =>
    readTimeRange({
      kafka: options.kafka,
      topic: options.topic,
      fromTs: options.sinceMs,
      toTs: Number.MAX_SAFE_INTEGER,
      ...(model === undefined ? {} : { filter: (record) => record.key?.toString() === model }),
      signal,
    }),
  );
  const labeled: LabeledPrediction[] = [];
  let unreadable = 0;
  for (const record of records) {
    try {
      labeled.push(await options.codec.decode(record.value));
    } catch (error) {
      // A Schema Registry that is down is not a bad record.
      if (isRetriable(error)) throw error;
      unreadable += 1;
    }
  }
  return { byVersion: liveAccuracyByVersion(labeled), unreadable };
}
