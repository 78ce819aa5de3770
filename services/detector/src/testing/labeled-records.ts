import type { InputRecord } from '@driftwatch/bus';
import { mulberry32 } from '@driftwatch/drift';
import type { Codecs, LabeledPrediction, Prediction, TopicNames } from '@driftwatch/topics';

/** Labeled predictions of model `sea` v1 whose error rate jumps from 10% to 45% at 1500. */
export async function labeledRecords(
  codecs: Pick<Codecs, 'predictionsLabeled'>,
  names: Pick<TopicNames, 'predictionsLabeled'>,
  count: number,
): Promise<InputRecord[]> {
  const random = mulberry32(5);
  const records: InputRecord[] = [];
  for (let i = 0; i < count; i++) {
    const label = random() < 0.5 ? 1 : 0;
    const predicted = random() < (i < 1500 ? 0.1 : 0.45) ? 1 - label : label;
    const prediction: Prediction = {
      id: `e${i}`,
      model: 'sea',
      modelVersion: 1,
      ts: i,
      scoredAt: i,
      score: predicted === 1 ? 0.9 : 0.1,
      predicted,
      features: { x1: 1 },
    };
    const labeled: LabeledPrediction = {
      ...prediction,
      label: label,
      labelTs: i + 5,
      labelDelayMs: 5,
    };
    records.push(await labeledRecord(codecs, names, labeled, i));
  }
  return records;
}

/** `labeled` as record `offset` of partition 0, written at 10,000 + offset ms. */
export async function labeledRecord(
  codecs: Pick<Codecs, 'predictionsLabeled'>,
  names: Pick<TopicNames, 'predictionsLabeled'>,
  labeled: LabeledPrediction,
  offset: number,
): Promise<InputRecord> {
  return {
    topic: names.predictionsLabeled,
    partition: 0,
    offset: String(offset),
    key: Buffer.from(labeled.model),
    value: await codecs.predictionsLabeled.encode(labeled),
    timestamp: String(10_000 + offset),
    headers: {},
  };
}
