import { mulberry32 } from '@driftwatch/drift';
import { modelVersionKey, type Codecs, type ModelVersion, type TopicId } from '@driftwatch/topics';

import type { BadPayload, BadPayloadKind } from '../../packages/topics/src/testing/bad-payloads.js';

/** The input topics issue 10's fuzz feeds, and the services whose processors read each. */
export const fuzzedTopics = {
  events: ['inference'],
  labels: ['joiner'],
  predictions: ['joiner'],
  predictionsLabeled: ['detector'],
  retrainRequested: ['trainer'],
  modelVersions: ['trainer'],
} as const satisfies Partial<Record<TopicId, readonly string[]>>;
export type FuzzedTopic = keyof typeof fuzzedTopics;

/** Marks a produced bad record, so the test finds its offset when it reads the topic back. */
export const badKindHeader = 'fuzz-bad-kind';

export interface FuzzMessage {
  key: string;
  value: Buffer | null;
  headers?: Record<string, string>;
}

/** One topic's input: bad payloads with the good records spread evenly among them. */
export interface TopicInput {
  messages: FuzzMessage[];
  bad: number;
  /** The good records' ids (a version's number for `model-versions`), in the order sent. */
  good: string[];
}

export interface FuzzInputOptions {
  codecs: Codecs;
  model: string;
  /** The model's promoted version 1: what good predictions name, what good versions copy. */
  champion: ModelVersion;
  /** Good records per topic, but `labels`, which labels every good event and good prediction. */
  goodPerTopic: number;
  /**
   * The topic's bad payloads, from a seeded generator; `valid` is a good record of the topic in
   * the codecs' format, for generators that break valid bytes (Avro's).
   */
  badPayloads: (topic: FuzzedTopic, valid: Buffer) => Promise<BadPayload[]>;
  /** Stamps the good records' event times and the retrain requests. */
  now: number;
}

/**
 * Every fuzzed topic's input, from seeded generators. Good records are ones each service
 * processes to an output the test can count: events are scored; every good event and good
 * prediction is labeled, so each is joined; labeled predictions reach the detector's concept
 * monitor; retrain requests ask for an empty window and are skipped for it; model versions are
 * `rejected` ones, read and never served.
 */
export async function fuzzInput(
  options: FuzzInputOptions,
): Promise<Record<FuzzedTopic, TopicInput>> {
  const { codecs, model, champion, goodPerTopic: count, now } = options;
  const random = mulberry32(20_260_410);
  const features = (): Record<string, number> => ({
    x1: random() * 10,
    x2: random() * 10,
    x3: random() * 10,
  });
  const indices = Array.from({ length: count }, (_, i) => i);
  const prediction = (id: string, i: number) => {
    const score = random();
    return {
      id,
      model,
      modelVersion: champion.version,
      ts: now + i,
      scoredAt: now + i,
      score,
      predicted: score >= 0.5 ? 1 : 0,
      features: features(),
    };
  };
  const label = (id: string, i: number) => ({ id, model, ts: now + 1000 + i, label: i % 2 });

  const events = await Promise.all(
    indices.map(async (i) => ({
      key: `event-${i}`,
      value: await codecs.events.encode({
        id: `event-${i}`,
        model,
        ts: now + i,
        features: features(),
      }),
    })),
  );
  const predictions = await Promise.all(
    indices.map(async (i) => ({
      key: `prediction-${i}`,
      value: await codecs.predictions.encode(prediction(`prediction-${i}`, i)),
    })),
  );
  const labels = await Promise.all(
    [...events, ...predictions].map(async ({ key }, i) => ({
      key,
      value: await codecs.labels.encode(label(key, i)),
    })),
  );
  const labeled = await Promise.all(
    indices.map(async (i) => ({
      key: model,
      id: `labeled-${i}`,
      value: await codecs.predictionsLabeled.encode({
        ...prediction(`labeled-${i}`, i),
        label: i % 2,
        labelTs: now + 1000 + i,
        labelDelayMs: 1000,
      }),
    })),
  );
  // A window far past every record: the trainer reads nothing and skips the request.
  const emptyWindow = now + 365 * 86_400_000;
  const requests = await Promise.all(
    indices.map(async (i) => ({
      key: model,
      id: `request-${i}`,
      value: await codecs.retrainRequested.encode({
        requestId: `request-${i}`,
        model,
        reason: 'manual',
        alertId: null,
        fromTs: emptyWindow,
        toTs: emptyWindow + 1000,
        requestedAt: now,
      }),
    })),
  );
  const versions = await Promise.all(
    indices.map(async (i) => {
      const version = champion.version + 1 + i;
      return {
        key: modelVersionKey(model, version),
        id: String(version),
        value: await codecs.modelVersions.encode({
          ...champion,
          version,
          parentVersion: champion.version,
          status: 'rejected',
        }),
      };
    }),
  );

  const good: Record<FuzzedTopic, { key: string; id?: string; value: Buffer }[]> = {
    events,
    labels,
    predictions,
    predictionsLabeled: labeled,
    retrainRequested: requests,
    modelVersions: versions,
  };
  const input = {} as Record<FuzzedTopic, TopicInput>;
  for (const topic of Object.keys(fuzzedTopics) as FuzzedTopic[]) {
    const bad = await options.badPayloads(topic, good[topic][0]!.value);
    input[topic] = {
      messages: interleave(
        bad.map(({ kind, value }, i) => badMessage(topic, kind, value, i)),
        good[topic].map(({ key, value }) => ({ key, value })),
      ),
      bad: bad.length,
      good: good[topic].map(({ key, id }) => id ?? key),
    };
  }
  return input;
}

function badMessage(
  topic: FuzzedTopic,
  kind: BadPayloadKind,
  value: Buffer | null,
  i: number,
): FuzzMessage {
  return { key: `bad-${topic}-${i}`, value, headers: { [badKindHeader]: kind } };
}

/** `good` spread evenly through `bad`, each list's order kept. */
function interleave(bad: readonly FuzzMessage[], good: readonly FuzzMessage[]): FuzzMessage[] {
  const messages: FuzzMessage[] = [];
  let next = 0;
  for (const [i, message] of bad.entries()) {
    while (next < good.length && next * bad.length <= i * good.length) {
      messages.push(good[next++]!);
    }
    messages.push(message);
  }
  messages.push(...good.slice(next));
  return messages;
}
