import type { RecordBatch } from '@driftwatch/bus';
import { classProbabilities, DecodeError, type Prediction } from '@driftwatch/topics';

import type { DetectorDependencies } from './detector-dependencies.js';
import type { DetectorOutput } from './detector-output.js';
import type { FeatureBatch } from './internal-topics.js';

/**
 * `predictions` (keyed by event id) → the features repartition topic (keyed by model): one
 * record per model version in the batch, its predictions as columns, so each model's data drift
 * has exactly one owner.
 */
export async function repartitionPredictions(
  deps: Pick<DetectorDependencies, 'codecs'>,
  batch: RecordBatch,
  output: DetectorOutput,
): Promise<void> {
  const groups = new Map<string, FeatureBatch>();
  for (const record of batch.records) {
    let prediction: Prediction;
    try {
      prediction = await deps.codecs.predictions.decode(record.value);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      await output.deadLetter(record, error);
      continue;
    }
    const groupKey = `${prediction.model}/${prediction.modelVersion}`;
    let group = groups.get(groupKey);
    if (!group) {
      group = {
        model: prediction.model,
        modelVersion: prediction.modelVersion,
        timestamps: [],
        scores: [],
        classProbabilities: [],
        features: {},
      };
      groups.set(groupKey, group);
    }
    const row = group.timestamps.length;
    group.timestamps.push(Number(record.timestamp));
    group.scores.push(prediction.score);
    const probabilities = classProbabilities(prediction);
    if (probabilities.length > 2) {
      probabilities.forEach((probability, k) => {
        (group.classProbabilities[k] ??= []).push(probability);
      });
    }
    for (const [name, value] of Object.entries(prediction.features)) {
      const column = (group.features[name] ??= new Array<number | null>(row).fill(null));
      column.push(value);
    }
    for (const column of Object.values(group.features)) if (column.length <= row) column.push(null);
  }
  for (const group of groups.values()) output.featureBatch(group);
}
